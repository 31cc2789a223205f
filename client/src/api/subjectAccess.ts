/** Subject access request exports (server/routes/sar), for IG leads, behind a fresh second-factor code. */
import { api } from './client';

export type SarFormat = 'json' | 'html';

export const subjectAccessApi = {
  /** Everything held about the person, as a file; each code works once. */
  export: (personId: string, code: string, format: SarFormat) =>
    api.postBlob(`/api/people/${encodeURIComponent(personId)}/sar${format === 'html' ? '?format=html' : ''}`, { code }),
};
