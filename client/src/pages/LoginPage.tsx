import type { SignedOutReason } from '../auth/authState';
import { Banner } from '../components/Banner';
import { LoginForm } from '../components/LoginForm';
import { MfaCodeForm } from '../components/MfaCodeForm';
import { PageHeading } from '../components/PageHeading';
import { PublicLayout } from '../components/PublicLayout';

const REASON_TEXT: Record<SignedOutReason, string> = {
  session_ended: 'Your session has ended — please sign in again',
  signed_out_elsewhere: 'You signed out in another window — please sign in again',
};

/** Sign-in: email and password, then the second factor when the server asks for one. */
export function LoginPage({ step, reason }: { step: 'password' | 'mfa'; reason: SignedOutReason | null }) {
  return (
    <PublicLayout>
      <div className="panel narrow">
        {step === 'password' ? (
          <>
            <PageHeading title="Sign in" />
            {reason ? <Banner tone="info">{REASON_TEXT[reason]}</Banner> : null}
            <LoginForm />
            <p className="small muted">
              Trouble signing in? Your agency administrator can reset your password or unlock your account.
            </p>
          </>
        ) : (
          <>
            <PageHeading title="Check your authenticator app" />
            <MfaCodeForm />
          </>
        )}
      </div>
    </PublicLayout>
  );
}
