/** Words for the administration pages: agency kinds, account states and error codes. */
import { ApiError, errorMessage } from '../api/ApiError';
import type { AgencyKind } from '../api/agencies';
import type { AdminUser } from '../api/users';
import { humanise } from '../people/vocab';

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  police: 'Police',
  mental_health: 'Mental health trust',
  ambulance: 'Ambulance service',
  acute: 'Acute hospital (A&E)',
  social_care: 'Social care',
  housing: 'Housing',
  substance_misuse: 'Substance misuse service',
  voluntary: 'Voluntary sector (safe haven)',
  gp: 'GP practice',
  other: 'Other',
};

export function agencyKindLabel(kind: string): string {
  return AGENCY_KIND_LABELS[kind as AgencyKind] ?? humanise(kind);
}

/** What admins are told for the codes the admin routes answer with. */
const ADMIN_ERRORS: Record<string, string> = {
  duplicate_email: 'An account with that email address already exists. Search for it in the list instead.',
  cannot_change_own_roles: 'You cannot change your own roles. Ask another administrator.',
  cannot_disable_self: 'You cannot disable your own account. Ask another administrator.',
  role_not_grantable: 'Only a system administrator can grant the System administrator role.',
  already_revoked: 'That key was already revoked. The list has been refreshed.',
  duplicate_code: 'Another agency already uses that code. Choose a different one.',
  conflict: 'Someone else changed this at the same time. The list has been refreshed: check and try again.',
};

/** A message for an admin action's failure: known codes in plain words, else the server's. */
export function adminErrorMessage(err: unknown): string {
  if (err instanceof ApiError && ADMIN_ERRORS[err.code]) return ADMIN_ERRORS[err.code];
  return errorMessage(err);
}

export type AccountState = 'active' | 'disabled' | 'locked';

/** Disabled, locked (can be both), or active. */
export function accountStates(user: Pick<AdminUser, 'disabled' | 'locked'>): AccountState[] {
  const states: AccountState[] = [];
  if (user.disabled) states.push('disabled');
  if (user.locked) states.push('locked');
  return states.length ? states : ['active'];
}

export const ACCOUNT_STATE_LABELS: Record<AccountState, string> = {
  active: 'Active',
  disabled: 'Disabled',
  locked: 'Locked',
};

export const ACCOUNT_STATE_TONES: Record<AccountState, 'good' | 'warn' | 'muted'> = {
  active: 'good',
  disabled: 'muted',
  locked: 'warn',
};
