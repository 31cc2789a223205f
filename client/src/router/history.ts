/**
 * A tiny history-API router: the URL is the state, `navigate` changes it, `useLocation`
 * re-renders on change. The server answers index.html for any non-API path.
 */
import { useMemo, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export interface Location {
  pathname: string;
  search: string;
  query: URLSearchParams;
  /** Path and query, as to return to after signing in. */
  href: string;
}

/** The current location; the component re-renders when it changes. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return { pathname: url.pathname, search: url.search, query: url.searchParams, href };
  }, [href]);
}

/** Go to an in-app path (`/`, `/account/security?x=1`). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else {
    window.history.pushState(null, '', to);
    window.scrollTo(0, 0);
  }
  notify();
}

/** Accept only same-origin app paths as a place to return to (no `//evil.example`). */
export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw === '/login' || raw.startsWith('/login?')) return '/';
  return raw;
}

/** The login path that brings the user back to `returnTo` afterwards. */
export function loginPath(returnTo: string): string {
  const next = safeReturnPath(returnTo);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
