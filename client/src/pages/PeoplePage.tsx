/** `/people` (search) and `/people/:id` (a person): the nav row owns both paths. */
import { ListOrDetail } from '../router/ListOrDetail';
import { PeopleSearchPage } from './PeopleSearchPage';
import { PersonPage } from './PersonPage';

export function PeoplePage() {
  return <ListOrDetail base="/people" List={PeopleSearchPage} Detail={PersonPage} />;
}
