/**
 * Small facts about an alert that routing, escalation and handover share: whose hours and rota
 * apply, the system actor for audit events, and the hint that tells duty consoles to refresh.
 */
import { trusted, type Types } from 'mongoose';
import type { AlertRecord } from '../models/Alert';
import { Encounter } from '../models/Encounter';
import type { RealtimeControl } from '../context';
import { appendAudit } from '../audit';

/**
 * The agency whose hours and rota an alert follows: the agency of the most recent encounter in
 * its evidence (the service that saw the person last is best placed to act tonight), falling back
 * to the first evidence agency, then the first audience agency.
 */
export async function alertAgencyId(alert: Pick<AlertRecord, 'evidence' | 'evidenceAgencyIds' | 'audience'>): Promise<Types.ObjectId | null> {
  if (alert.evidence.length > 0) {
    const latest = await Encounter.findOne({ _id: trusted({ $in: alert.evidence }) }).sort({ occurredAt: -1 }).select('agencyId').lean();
    if (latest) return latest.agencyId;
  }
  return alert.evidenceAgencyIds[0] ?? alert.audience?.agencyIds?.[0] ?? null;
}

/** Statuses in which an alert is still someone's to handle. */
export const LIVE_STATUSES = ['open', 'acknowledged'] as const;

/** Tells the duty consoles of an agency that its queue changed (an id hint; they refetch). */
export function queueChanged(realtime: Pick<RealtimeControl, 'emit'> | undefined, agencyId: unknown, alertId: string): void {
  if (!realtime || !agencyId) return;
  for (const role of ['duty_manager', 'agency_admin']) realtime.emit(`agency:${String(agencyId)}:role:${role}`, 'duty:changed', { id: alertId });
}

/** An audit event for a step the system took (no user actor). */
export async function auditSystem(action: string, alert: Pick<AlertRecord, '_id' | 'personId'>, reason: string, at: Date): Promise<void> {
  await appendAudit({ at, actor: {}, action, subject: { type: 'alert', id: alert._id, personId: alert.personId }, outcome: 'succeeded', reason });
}
