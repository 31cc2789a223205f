/** `/people` (search) and `/people/:id` (a person): the nav row owns both paths. */
import { useLocation } from '../router/history';
import { NotFoundPage } from './NotFoundPage';
import { PeopleSearchPage } from './PeopleSearchPage';
import { PersonPage } from './PersonPage';

export function PeoplePage() {
  const { pathname } = useLocation();
  const rest = pathname.replace(/\/+$/, '').slice('/people'.length).split('/').filter(Boolean);
  if (rest.length === 0) return <PeopleSearchPage />;
  if (rest.length === 1) {
    let id = rest[0];
    try {
      id = decodeURIComponent(id);
    } catch {
      return <NotFoundPage />;
    }
    // A new person is a new page: reset all state.
    return <PersonPage key={id} id={id} />;
  }
  return <NotFoundPage />;
}
