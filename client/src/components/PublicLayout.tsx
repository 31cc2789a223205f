import type { ReactNode } from 'react';
import { SkipLink } from './SkipLink';

/** Frame for pages outside the signed-in shell: sign-in, MFA set-up, loading. */
export function PublicLayout({ children, aside }: { children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="public-layout">
      <SkipLink />
      <header className="app-header">
        <span className="product-name">Crisis Care Workspace</span>
        {aside}
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        {children}
      </main>
    </div>
  );
}
