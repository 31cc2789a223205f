import { useLayoutEffect } from 'react';
import { navigate } from './history';

/** Replace the current URL (no history entry) and render nothing meanwhile. */
export function Redirect({ to }: { to: string }) {
  useLayoutEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
