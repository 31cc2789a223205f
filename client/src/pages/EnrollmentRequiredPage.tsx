import type { User } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { AppHeader } from '../components/AppHeader';
import { MfaSetup } from '../components/MfaSetup';
import { PageHeading } from '../components/PageHeading';
import { SkipLink } from '../components/SkipLink';

/** Roles that can see or change a lot must set up MFA before anything else opens. */
export function EnrollmentRequiredPage({ user }: { user: User }) {
  const { completeEnrollment } = useAuth();
  return (
    <div className="public-layout">
      <SkipLink />
      <AppHeader user={user} live={false} />
      <main id="main" tabIndex={-1} className="public-main">
        <div className="panel">
          <PageHeading title="Set up two-step verification">
            Your role gives you access to sensitive information across agencies, so your account needs a
            second check at sign-in. This takes about two minutes.
          </PageHeading>
          <MfaSetup onDone={completeEnrollment} />
        </div>
      </main>
    </div>
  );
}
