/**
 * Who may see and work an alert: staff of the audience agencies holding an audience role, and
 * anyone it has been routed, escalated or assigned to. Everyone else gets the same 404 as for an
 * alert that does not exist.
 */
import { trusted } from 'mongoose';
import type { AlertDoc } from '../models/Alert';
import type { UserDoc } from '../models/User';

const has = (list: readonly unknown[] | undefined | null, id: unknown) => (list ?? []).some((x) => String(x) === String(id));

/** True when the user is in the alert's audience or it was put in their hands. */
export function canSeeAlert(user: Pick<UserDoc, '_id' | 'agencyId' | 'roles'>, alert: AlertDoc): boolean {
  const audience = alert.audience;
  if (audience && has(audience.agencyIds, user.agencyId) && user.roles.some((r) => audience.roles.includes(r))) return true;
  if (has(alert.routedTo?.userIds, user._id)) return true;
  if (alert.assignedTo && String(alert.assignedTo) === String(user._id)) return true;
  return (alert.escalations ?? []).some((e) => has(e.userIds, user._id));
}

/** The same rule as a query filter, so a list checks access for the whole page in one query. */
export function visibleAlertsFilter(user: Pick<UserDoc, '_id' | 'agencyId' | 'roles'>): Record<string, unknown> {
  return {
    $or: [
      { 'audience.agencyIds': user.agencyId, 'audience.roles': trusted({ $in: [...user.roles] }) },
      { 'routedTo.userIds': user._id },
      { assignedTo: user._id },
      { 'escalations.userIds': user._id },
    ],
  };
}
