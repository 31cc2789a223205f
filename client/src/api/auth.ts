/** The authentication endpoints, typed. */
import { api } from './client';
import type { MfaActivation, MfaEnrollment, SessionInfo, User } from './types';

export const authApi = {
  session: () => api.get<SessionInfo>('/api/auth/session'),
  login: (email: string, password: string) => api.post<SessionInfo>('/api/auth/login', { email, password }),
  verifyMfa: (code: string) => api.post<SessionInfo>('/api/auth/mfa/verify', { code }),
  enrollMfa: () => api.post<MfaEnrollment>('/api/auth/mfa/enroll'),
  activateMfa: (code: string) => api.post<MfaActivation>('/api/auth/mfa/activate', { code }),
  logout: () => api.post<void>('/api/auth/logout'),
  me: () => api.get<{ user: User }>('/api/me'),
};
