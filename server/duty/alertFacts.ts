/**
 * Small facts about an alert that routing, escalation and handover share: whose hours and rota
 * apply, the system actor for audit events, and the hint that tells duty consoles to refresh.
 */
import type { Types } from 'mongoose';
import type { AlertRecord } from '../models/Alert';
import type { RealtimeControl } from '../context';
import { appendAudit } from '../audit';

/**
 * The agency whose hours and rota an alert follows: the agency of the most recent encounter in
 * its evidence (the service that saw the person last is best placed to act tonight), which is the
 * first evidence agency (evidence is kept newest first), falling back to the first audience agency.
 */
export function alertAgencyId(alert: Pick<AlertRecord, 'evidenceAgencyIds' | 'audience'>): Types.ObjectId | null {
  return alert.evidenceAgencyIds[0] ?? alert.audience?.agencyIds?.[0] ?? null;
}

/** Statuses in which an alert is still someone's to handle. */
export const LIVE_STATUSES = ['open', 'acknowledged'] as const;

/** Tells the duty consoles of an agency that its queue changed (an id hint; they refetch). */
export function queueChanged(realtime: Pick<RealtimeControl, 'emit'> | undefined, agencyId: unknown, alertId: string): void {
  if (!realtime || !agencyId) return;
  realtime.emit(['duty_manager', 'agency_admin'].map((role) => `agency:${String(agencyId)}:role:${role}`), 'duty:changed', { id: alertId });
}

/** An audit event for a step the system took (no user actor). */
export async function auditSystem(action: string, alert: Pick<AlertRecord, '_id' | 'personId'>, reason: string, at: Date): Promise<void> {
  await appendAudit({ at, actor: {}, action, subject: { type: 'alert', id: alert._id, personId: alert.personId }, outcome: 'succeeded', reason });
}
