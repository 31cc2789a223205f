/**
 * Break-glass grants this tab opened, so the person page can say how long emergency access
 * lasts even after navigating away and back. Only ids and times are kept (sessionStorage).
 */
import type { BreakGlassGrant } from '../api/breakGlass';

const KEY = 'emergency-access-grants';

function readAll(): BreakGlassGrant[] {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? (list as BreakGlassGrant[]) : [];
  } catch {
    return [];
  }
}

function writeAll(list: BreakGlassGrant[]): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or blocked: the banner then lasts only while the page is open.
  }
}

function live(grant: BreakGlassGrant, now: number): boolean {
  const ends = Date.parse(grant.expiresAt);
  return !Number.isNaN(ends) && ends > now;
}

/** The unexpired grant for this person, if this tab opened one. */
export function liveGrant(personId: string, now = Date.now()): BreakGlassGrant | null {
  return readAll().find((grant) => grant.personId === personId && live(grant, now)) ?? null;
}

export function rememberGrant(grant: BreakGlassGrant, now = Date.now()): void {
  writeAll([...readAll().filter((g) => g.personId !== grant.personId && live(g, now)), grant]);
}
