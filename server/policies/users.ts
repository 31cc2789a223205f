/**
 * Who may manage which user accounts. Pure predicates; routes answer 404 when a user is out of
 * the admin's reach, so another agency's ids reveal nothing.
 */
import type { UserDoc } from '../models/User';
import type { Role } from '../models/roles';

const isSameAgency = (user: UserDoc, agencyId: unknown) => String(user.agencyId) === String(agencyId);
const isSystemAdmin = (user: UserDoc) => user.roles.includes('system_admin');
const isSelf = (admin: UserDoc, target: { _id: unknown }) => String(admin._id) === String(target._id);

/** Roles only a system admin may grant or take away. */
export const SYSTEM_ONLY_ROLES: readonly Role[] = ['system_admin'];

/** The store filter for the users an admin may see: their own agency, or any for a system admin. */
export function manageableUsersFilter(admin: UserDoc): { agencyId?: UserDoc['agencyId'] } {
  return isSystemAdmin(admin) ? {} : { agencyId: admin.agencyId };
}

/** May see and manage the account at all (same agency, or a system admin). */
export function canManageUser(admin: UserDoc, target: { agencyId: unknown }): boolean {
  return isSystemAdmin(admin) || isSameAgency(admin, target.agencyId);
}

/** May set these roles on someone: agency admins cannot hand out system-only roles. */
export function canGrantRoles(admin: UserDoc, roles: readonly string[]): boolean {
  return isSystemAdmin(admin) || !roles.some((r) => (SYSTEM_ONLY_ROLES as readonly string[]).includes(r));
}

/** May change this account: agency admins cannot change a system admin's account. */
export function canChangeUser(admin: UserDoc, target: { roles: readonly string[] }): boolean {
  return canGrantRoles(admin, target.roles);
}

/** May change the account's roles: never one's own (no self-escalation). */
export function canChangeRoles(admin: UserDoc, target: { _id: unknown; roles: readonly string[] }): boolean {
  return !isSelf(admin, target) && canChangeUser(admin, target);
}

/** May disable or re-enable the account: never one's own (no lock-out). */
export function canSetDisabled(admin: UserDoc, target: { _id: unknown; roles: readonly string[] }): boolean {
  return !isSelf(admin, target) && canChangeUser(admin, target);
}
