import type { SessionInfo, User } from '../api/types';

/** Why the user is looking at the login page, when it was not their choice. */
export type SignedOutReason = 'session_ended' | 'signed_out_elsewhere';

/** Where the app is in signing in. One value, so impossible mixes cannot arise. */
export type AuthState =
  | { status: 'loading' }
  | { status: 'unavailable'; message: string }
  | { status: 'signedOut'; reason: SignedOutReason | null }
  | { status: 'mfaPending' }
  | { status: 'enrolling'; user: User }
  | { status: 'signedIn'; user: User };

/** Read the server's session answer into an app state. */
export function stateFromSession(session: SessionInfo, reason: SignedOutReason | null = null): AuthState {
  if (session.user && session.mfa.enrollmentRequired) return { status: 'enrolling', user: session.user };
  if (session.user) return { status: 'signedIn', user: session.user };
  if (session.mfa.pending) return { status: 'mfaPending' };
  return { status: 'signedOut', reason };
}
