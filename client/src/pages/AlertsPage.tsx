/** `/alerts` (the inbox) and `/alerts/:id` (one alert): the nav row owns both paths. */
import { ListOrDetail } from '../router/ListOrDetail';
import { AlertInboxPage } from './AlertInboxPage';
import { AlertPage } from './AlertPage';

export function AlertsPage() {
  return <ListOrDetail base="/alerts" List={AlertInboxPage} Detail={AlertPage} />;
}
