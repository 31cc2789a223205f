/** The agencies list (server/routes/agencies): names for ids, and pickers. */
import { api } from './client';
import type { Agency } from './types';

export const agenciesApi = {
  /** The active agencies, by name. */
  list: () => api.get<{ agencies: Agency[] }>('/api/agencies'),
};
