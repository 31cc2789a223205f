import type { ReactNode } from 'react';

interface BannerProps {
  tone: 'info' | 'error' | 'success';
  children: ReactNode;
}

/** A message box. Errors are announced at once (`role="alert"`), others politely. */
export function Banner({ tone, children }: BannerProps) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** An always-present alert region that announces whatever message it is given. */
export function AlertRegion({ message }: { message: ReactNode }) {
  return (
    <div role="alert" className={message ? 'banner banner-error' : 'alert-empty'}>
      {message}
    </div>
  );
}

/** A page's data could not be loaded: the reason, announced, and a way to try again. */
export function LoadFailed({ message, onRetry }: { message: ReactNode; onRetry: () => void }) {
  return (
    <>
      <Banner tone="error">{message}</Banner>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </>
  );
}
