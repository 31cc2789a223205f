/**
 * Owns the sign-in state. The server is the source of truth: the state is always read from
 * a session answer (`/api/auth/session`, login, MFA verify), never guessed.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { authApi } from '../api/auth';
import { errorMessage, isSessionEnded } from '../api/ApiError';
import { setApiListener, setCsrfToken } from '../api/client';
import type { SessionInfo, User } from '../api/types';
import { loginPath, navigate } from '../router/history';
import { AuthContext, type Auth } from './AuthContext';
import { stateFromSession, type AuthState, type SignedOutReason } from './authState';

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  /** Set while this tab signs out, so the server's own "session ended" echo is not a surprise. */
  const signingOut = useRef(false);

  const apply = useCallback((session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    setState(stateFromSession(session));
  }, []);

  const load = useCallback(async () => {
    try {
      apply(await authApi.session());
    } catch (err) {
      setState({ status: 'unavailable', message: errorMessage(err) });
    }
  }, [apply]);

  /** The server ended the session: back to login, remembering where the user was. */
  const endSession = useCallback((reason: SignedOutReason) => {
    if (signingOut.current) return;
    const here = window.location.pathname + window.location.search;
    setState({ status: 'signedOut', reason });
    if (window.location.pathname !== '/login') navigate(loginPath(here), { replace: true });
    // The old session's CSRF token is dead; fetch the new anonymous one.
    authApi.session().then((s) => setCsrfToken(s.csrfToken), () => undefined);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    setApiListener({
      onSessionEnded: () => endSession('session_ended'),
      onEnrollmentRequired: () =>
        setState((prev) => (prev.status === 'signedIn' ? { status: 'enrolling', user: prev.user } : prev)),
    });
    return () => setApiListener(null);
  }, [endSession]);

  const signOut = useCallback(async () => {
    signingOut.current = true;
    try {
      try {
        await authApi.logout();
      } catch (err) {
        if (!isSessionEnded(err)) throw err; // already over: that is what we wanted
      }
      setCsrfToken(null);
      setState({ status: 'signedOut', reason: null });
      navigate('/login');
      await load();
    } finally {
      signingOut.current = false;
    }
  }, [load]);

  const sessionEnded = useCallback(
    (reason: string) => endSession(reason === 'logout' ? 'signed_out_elsewhere' : 'session_ended'),
    [endSession],
  );

  const auth = useMemo<Auth>(
    () => ({
      state,
      login: async (email, password) => apply(await authApi.login(email, password)),
      verifyMfa: async (code) => apply(await authApi.verifyMfa(code)),
      cancelMfa: async () => {
        await authApi.logout().catch(() => undefined);
        await load();
      },
      completeEnrollment: async (user: User) => {
        setState({ status: 'signedIn', user });
        // Activation may rotate the session; pick up its token and confirm the state.
        await load();
      },
      signOut,
      sessionEnded,
      retry: () => {
        setState({ status: 'loading' });
        void load();
      },
    }),
    [state, apply, load, signOut, sessionEnded],
  );

  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}
