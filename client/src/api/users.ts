/** User accounts, for agency admins (their agency) and system admins (any) — server/routes/users. */
import { api } from './client';
import type { Role } from './types';

/** An account as an admin sees it (server/presenters/adminUser.ts). */
export interface AdminUser {
  id: string;
  email: string;
  name: string;
  agencyId: string;
  roles: Role[];
  mfaEnabled: boolean;
  disabled: boolean;
  lockedUntil: string | null;
  /** A lockout is in force now. */
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string | null;
}

export interface UserListQuery {
  q?: string;
  role?: Role | '';
  disabled?: 'true' | 'false' | '';
  offset: number;
  limit: number;
}

export interface UserCreateInput {
  email: string;
  name: string;
  roles: Role[];
  password: string;
  /** System admins only; for anyone else the server refuses the field. */
  agencyId?: string;
}

export interface UserPatch {
  name?: string;
  roles?: Role[];
  disabled?: boolean;
}

/** Initial passwords: the server's MIN_PASSWORD_LENGTH and MAX_PASSWORD_LENGTH. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

export const usersApi = {
  list: (q: UserListQuery) => {
    const params = new URLSearchParams();
    if (q.q?.trim()) params.set('q', q.q.trim());
    if (q.role) params.set('role', q.role);
    if (q.disabled) params.set('disabled', q.disabled);
    params.set('offset', String(q.offset));
    params.set('limit', String(q.limit));
    return api.get<{ users: AdminUser[]; total: number }>(`/api/users?${params.toString()}`);
  },
  create: (input: UserCreateInput) => api.post<{ user: AdminUser }>('/api/users', input),
  update: (id: string, patch: UserPatch) => api.patch<{ user: AdminUser }>(userPath(id), patch),
  unlock: (id: string) => api.post<{ user: AdminUser }>(`${userPath(id)}/unlock`),
};
