import { useAuth, useCurrentUser } from '../auth/AuthContext';
import { Banner } from '../components/Banner';
import { MfaSetup } from '../components/MfaSetup';
import { PageHeading } from '../components/PageHeading';

/** Two-step verification status, and set-up for those who have not done it. */
export function AccountSecurityPage() {
  const user = useCurrentUser();
  const { completeEnrollment } = useAuth();

  return (
    <>
      <PageHeading title="Account security" />
      <section className="panel" aria-labelledby="mfa-title">
        <h2 id="mfa-title">Two-step verification</h2>
        {user.mfaEnabled ? (
          <Banner tone="success">
            Two-step verification is on. You will be asked for a code from your authenticator app when you
            sign in. If you lose your phone, use a recovery code, then ask your agency administrator to reset
            it.
          </Banner>
        ) : (
          <>
            <p>
              Two-step verification is off. Turning it on protects the people whose information you can see,
              even if your password is ever guessed or stolen.
            </p>
            <MfaSetup onDone={completeEnrollment} />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="signin-title">
        <h2 id="signin-title">Signing in</h2>
        <p>
          Signed in as <strong>{user.email}</strong>. For safety you are signed out after 15 minutes without
          activity, and after 12 hours in any case.
        </p>
      </section>
    </>
  );
}
