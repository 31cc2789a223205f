/** An agency's API keys for its systems (server/routes/apiClients), for agency admins. */
import { api } from './client';

export const API_SCOPES = ['ingest'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** server/presenters/apiClient.ts: never the secret or its hash. */
export interface ApiClient {
  id: string;
  name: string;
  /** The public part of the key (`ccw_<keyId>.…`). */
  keyId: string;
  scopes: ApiScope[];
  createdAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  active: boolean;
}

export const apiClientsApi = {
  list: () => api.get<{ apiClients: ApiClient[] }>('/api/api-clients'),
  /** The full `key` is in this answer only: it is never shown again. */
  create: (input: { name: string; scopes: ApiScope[] }) =>
    api.post<{ apiClient: ApiClient; key: string }>('/api/api-clients', input),
  revoke: (id: string) => api.post<{ apiClient: ApiClient }>(`/api/api-clients/${encodeURIComponent(id)}/revoke`),
};
