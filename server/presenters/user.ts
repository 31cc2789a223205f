import type { UserDoc } from '../models/User';
import type { AgencyDoc } from '../models/Agency';

/** The signed-in user as the client sees them: no hashes, no secrets, no lockout counters. */
export function presentUser(user: UserDoc, agency: AgencyDoc | null) {
  return {
    id: user.id as string,
    email: user.email,
    name: user.name,
    roles: [...user.roles],
    mfaEnabled: Boolean(user.mfa?.enabled),
    agency: agency
      ? { id: agency.id as string, code: agency.code, name: agency.name, kind: agency.kind }
      : null,
  };
}

export type PresentedUser = ReturnType<typeof presentUser>;
