/** `/alerts` (the inbox) and `/alerts/:id` (one alert): the nav row owns both paths. */
import { useLocation } from '../router/history';
import { AlertInboxPage } from './AlertInboxPage';
import { AlertPage } from './AlertPage';
import { NotFoundPage } from './NotFoundPage';

export function AlertsPage() {
  const { pathname } = useLocation();
  const rest = pathname.replace(/\/+$/, '').slice('/alerts'.length).split('/').filter(Boolean);
  if (rest.length === 0) return <AlertInboxPage />;
  if (rest.length === 1) {
    let id = rest[0];
    try {
      id = decodeURIComponent(id);
    } catch {
      return <NotFoundPage />;
    }
    // Another alert is another page: start with fresh state.
    return <AlertPage key={id} id={id} />;
  }
  return <NotFoundPage />;
}
