import { createContext, useContext } from 'react';
import type { User } from '../api/types';
import type { AuthState } from './authState';

export interface Auth {
  state: AuthState;
  /** Check email and password; the state moves on to MFA, enrolment or signed in. */
  login(email: string, password: string): Promise<void>;
  /** Send the TOTP or recovery code after a password was accepted. */
  verifyMfa(code: string): Promise<void>;
  /** Leave the MFA step and start again with another account. */
  cancelMfa(): Promise<void>;
  /** MFA was just activated (and recovery codes acknowledged). */
  completeEnrollment(user: User): Promise<void>;
  /** Sign out; rejects if the server could not be told. */
  signOut(): Promise<void>;
  /** The server said (over the socket) that this session is over. */
  sessionEnded(reason: string): void;
  /** Ask the server again after it could not be reached at start. */
  retry(): void;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth must be used inside <AuthProvider>');
  return auth;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useCurrentUser(): User {
  const { state } = useAuth();
  if (state.status !== 'signedIn' && state.status !== 'enrolling') {
    throw new Error('useCurrentUser needs a signed-in user');
  }
  return state.user;
}
