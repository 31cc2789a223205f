/**
 * An alert as the duty console lists it: ids, severity, status, who holds it, the deadline. No
 * evidence and nothing about the person: the console links to the alert page, where the sharing
 * rules decide what this viewer sees.
 */
import type { AlertDoc } from '../models/Alert';
import type { UserDoc } from '../models/User';
import { domainConfig } from '../../config/domain';
import { heldSince } from '../duty/handover';

/** Staff names by user id (other on-call managers are colleagues, not subjects). */
export type Names = ReadonlyMap<string, string>;

export function presentDutyAlert(alert: AlertDoc, viewer: UserDoc, names: Names) {
  const level = domainConfig().escalation.levels.find((l) => l.rank === alert.routedTo?.level);
  const holders = (alert.routedTo?.userIds ?? []).map(String);
  return {
    id: alert.id as string,
    severity: alert.severity,
    status: alert.status,
    level: alert.routedTo?.level ?? null,
    levelLabel: level?.label ?? null,
    holders: holders.map((id) => ({ id, name: names.get(id) ?? 'Unknown user' })),
    heldByMe: holders.includes(viewer.id),
    heldSince: heldSince(alert)?.toISOString() ?? null,
    ackDeadline: alert.status === 'open' && alert.ackDeadline ? alert.ackDeadline.toISOString() : null,
    acknowledgedAt: alert.acknowledgedAt ? alert.acknowledgedAt.toISOString() : null,
    escalations: alert.escalations.length,
    raisedAt: (alert as unknown as { createdAt: Date }).createdAt.toISOString(),
    path: `/alerts/${alert.id as string}`,
  };
}
