/**
 * Who may see and act on out-of-hours duty. Pure predicates; a foreign agency's alert or shift
 * answers 404 so ids reveal nothing.
 */
import type { UserDoc } from '../models/User';
import type { AlertDoc } from '../models/Alert';
import { hasAnyRole, isSameAgency } from './people';

/** The duty console: duty managers act, agency admins watch and run the rota. */
export const canViewDuty = (user: UserDoc) => hasAnyRole(user, ['duty_manager', 'agency_admin']);

/** Acknowledge, take, escalate, hand over. */
export const canActOnDuty = (user: UserDoc) => hasAnyRole(user, ['duty_manager']);

/** Edit an agency's rota (overrides, swaps, weekly pattern); `null` is the shared rota (system admins). */
export function canManageRota(user: UserDoc, agencyId: unknown): boolean {
  if (agencyId === null) return hasAnyRole(user, ['system_admin']);
  return hasAnyRole(user, ['agency_admin', 'duty_manager']) && isSameAgency(user, agencyId);
}

/** Was the alert ever put in this user's hands (routed, escalated or handed over to them)? */
export function isHolder(user: UserDoc, alert: AlertDoc): boolean {
  const mine = (ids: unknown[] | undefined) => (ids ?? []).some((id) => String(id) === user.id);
  return mine(alert.routedTo?.userIds) || alert.escalations.some((e) => mine(e.userIds));
}

/** See an out-of-hours alert in the duty queue and its delivery log: the routed agency's duty staff, or a holder. */
export function canSeeDutyAlert(user: UserDoc, alert: AlertDoc): boolean {
  if (alert.routedTo?.mode !== 'out_of_hours' || !canViewDuty(user)) return false;
  return isSameAgency(user, alert.routedTo.agencyId) || isHolder(user, alert);
}

/** Take, escalate by hand or hand over an alert: a duty manager who may see it. */
export const canActOnDutyAlert = (user: UserDoc, alert: AlertDoc) => canActOnDuty(user) && canSeeDutyAlert(user, alert);

/** Manage the agency's pager / SMS webhooks. */
export const canManageWebhooks = (user: UserDoc) => hasAnyRole(user, ['agency_admin']);
