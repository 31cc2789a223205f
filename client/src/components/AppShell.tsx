import { useEffect, useRef } from 'react';
import type { User } from '../api/types';
import { canSee, findRoute } from '../nav';
import { NoAccessPage } from '../pages/NoAccessPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { useLocation } from '../router/history';
import { NewAlertNotice } from '../alerts/NewAlertNotice';
import { AppHeader } from './AppHeader';
import { ErrorBoundary } from './ErrorBoundary';
import { Sidebar } from './Sidebar';
import { SkipLink } from './SkipLink';

/** The signed-in frame: header, sidebar and the page for the current path. */
export function AppShell({ user }: { user: User }) {
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After in-app navigation, move focus to the new page's heading so screen readers announce it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [pathname]);

  const route = findRoute(pathname);
  const alertsRoute = findRoute('/alerts');
  const receivesAlerts = alertsRoute !== undefined && canSee(user, alertsRoute);
  const Page = !route ? NotFoundPage : canSee(user, route) ? route.page : NoAccessPage;

  return (
    <div className="shell">
      <SkipLink />
      <AppHeader user={user} />
      <Sidebar user={user} pathname={pathname} />
      <main id="main" ref={mainRef} tabIndex={-1} className="content">
        {receivesAlerts ? <NewAlertNotice pathname={pathname} /> : null}
        <ErrorBoundary resetKey={pathname}>
          <Page />
        </ErrorBoundary>
      </main>
    </div>
  );
}
