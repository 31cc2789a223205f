import type { UserDoc } from '../models/User';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * A user account as an (agency or system) admin sees it: the whitelist of `presentUser` plus the
 * account state admins act on. Never hashes, secrets or failed-login counters.
 */
export function presentAdminUser(user: UserDoc, now = new Date()) {
  return {
    id: user.id as string,
    email: user.email,
    name: user.name,
    agencyId: String(user.agencyId),
    roles: [...user.roles],
    mfaEnabled: Boolean(user.mfa?.enabled),
    disabled: Boolean(user.disabled),
    lockedUntil: iso(user.lockedUntil),
    /** True while a lockout is in force (an `unlock` clears it). */
    locked: Boolean(user.lockedUntil && user.lockedUntil > now),
    lastLoginAt: iso(user.lastLoginAt),
    createdAt: iso((user as unknown as { createdAt?: Date }).createdAt),
  };
}

export type PresentedAdminUser = ReturnType<typeof presentAdminUser>;
