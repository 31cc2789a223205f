/** `/imports` (upload and recent uploads) and `/imports/:id` (one report): the nav row owns both. */
import { ListOrDetail } from '../router/ListOrDetail';
import { ImportUploadPage } from './ImportUploadPage';
import { ImportReportPage } from './ImportReportPage';

export function ImportsPage() {
  return <ListOrDetail base="/imports" List={ImportUploadPage} Detail={ImportReportPage} />;
}
