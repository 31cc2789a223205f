/** `/imports` (upload and recent uploads) and `/imports/:id` (one report): the nav row owns both. */
import { useLocation } from '../router/history';
import { ImportReportPage } from './ImportReportPage';
import { ImportUploadPage } from './ImportUploadPage';
import { NotFoundPage } from './NotFoundPage';

export function ImportsPage() {
  const { pathname } = useLocation();
  const rest = pathname.replace(/\/+$/, '').slice('/imports'.length).split('/').filter(Boolean);
  if (rest.length === 0) return <ImportUploadPage />;
  if (rest.length === 1) {
    let id = rest[0];
    try {
      id = decodeURIComponent(id);
    } catch {
      return <NotFoundPage />;
    }
    return <ImportReportPage key={id} id={id} />;
  }
  return <NotFoundPage />;
}
