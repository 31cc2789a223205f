/**
 * Picks the screen from the sign-in state and the URL:
 * signed out or mid-MFA → /login (remembering the page asked for), MFA set-up required →
 * the enrolment page, signed in → the shell (and away from /login to where the user was going).
 */
import { useAuth } from './auth/AuthContext';
import { AppShell } from './components/AppShell';
import { FullPageStatus } from './components/FullPageStatus';
import { EnrollmentRequiredPage } from './pages/EnrollmentRequiredPage';
import { LoginPage } from './pages/LoginPage';
import { RealtimeProvider } from './realtime/RealtimeProvider';
import { loginPath, safeReturnPath, useLocation } from './router/history';
import { Redirect } from './router/Redirect';

export function App() {
  const { state, retry } = useAuth();
  const location = useLocation();
  const onLogin = location.pathname === '/login';

  switch (state.status) {
    case 'loading':
      return <FullPageStatus message="Loading…" />;
    case 'unavailable':
      return <FullPageStatus message={state.message} onRetry={retry} />;
    case 'signedOut':
    case 'mfaPending':
      if (!onLogin) return <Redirect to={loginPath(location.href)} />;
      return (
        <LoginPage
          step={state.status === 'mfaPending' ? 'mfa' : 'password'}
          reason={state.status === 'signedOut' ? state.reason : null}
        />
      );
    case 'enrolling':
      return <EnrollmentRequiredPage user={state.user} />;
    case 'signedIn':
      if (onLogin) return <Redirect to={safeReturnPath(location.query.get('next'))} />;
      return (
        <RealtimeProvider>
          <AppShell user={state.user} />
        </RealtimeProvider>
      );
  }
}
