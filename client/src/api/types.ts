/** Shapes the server sends; kept in step with the API contract in server/routes. */

export const ROLES = [
  'practitioner',
  'key_worker',
  'panel_member',
  'panel_chair',
  'duty_manager',
  'ig_lead',
  'agency_admin',
  'system_admin',
] as const;

export type Role = (typeof ROLES)[number];

export interface Agency {
  id: string;
  code: string;
  name: string;
  kind: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  mfaEnabled: boolean;
  agency: Agency;
}

export interface MfaState {
  /** A password was accepted; a TOTP or recovery code is needed next. */
  pending: boolean;
  /** Signed in, but the user's roles require MFA and it is not set up yet. */
  enrollmentRequired: boolean;
}

/** `GET /api/auth/session`, and the body of login / MFA verify responses. */
export interface SessionInfo {
  user: User | null;
  csrfToken: string;
  mfa: MfaState;
}

export interface MfaEnrollment {
  otpauthUrl: string;
  qrDataUrl: string;
  secret: string;
}

export interface MfaActivation {
  recoveryCodes: string[];
  user: User;
}

/** The error body every non-2xx answer carries. */
export interface ErrorBody {
  error: { code: string; message: string; requestId?: string };
}
