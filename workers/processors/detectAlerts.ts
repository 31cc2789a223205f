/**
 * Evaluates the detection rules for one person after their records changed, then, for each alert
 * that changed: audits it, sends its notification round (queued through the outbox if that
 * fails), asks the duty workers to route it when it is new or more severe, and for a pseudonymous
 * alert asks a key worker of the agency with the most recent contact to seek consent.
 */
import { Types } from 'mongoose';
import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import type { DetectJobData } from '../../server/alerts/requestDetection';
import { detectForPerson } from '../../server/alerts/detector';
import { enqueueNotify, enqueueRoute } from '../../server/alerts/outbox';
import { emitChanged, sendRound } from '../../server/alerts/notifier';
import { appendAuditMany } from '../../server/audit';
import { Encounter } from '../../server/models/Encounter';
import { raiseTask } from '../../server/commands/taskRaiser';
import type { AlertChange } from '../../server/alerts/alertRaiser';
import type { WorkerContext } from '../context';

async function askForConsent(change: AlertChange, ctx: WorkerContext): Promise<void> {
  const { alert } = change;
  const latest = alert.evidence[0] ? await Encounter.findById(alert.evidence[0], { agencyId: 1 }).lean() : null;
  if (!latest) return;
  await raiseTask({
    kind: 'seek_consent',
    agencyId: latest.agencyId,
    assigneeUserId: null,
    assigneeRole: 'key_worker',
    subject: { type: 'alert', id: alert._id, personId: alert.personId },
    dedupeKey: `seek_consent:alert:${alert.id as string}`,
    realtime: ctx.realtime,
  });
}

/**
 * Sends the alert's new notification round from this run, as the alert was just written; the
 * outbox is the retry path: if sending fails here the round is queued as a notify job (retried
 * with backoff), and if this process dies first the round is still pending on the alert, where
 * the sweeper finds it. The delivery ledger makes a second sending harmless.
 */
async function notifyNow(change: AlertChange, ctx: WorkerContext): Promise<void> {
  const version = change.alert.outbox?.version ?? 1;
  try {
    await sendRound(change.alert, version, ctx.realtime);
  } catch (err) {
    ctx.logger.warn({ alertId: change.alert.id as string, version, error: (err as Error).name }, 'notification round queued for retry');
    await enqueueNotify(ctx.queue, change.alert.id as string, version);
  }
}

export const detectAlerts: Processor = async (job, ctx) => {
  const { personId } = job.data as DetectJobData;
  if (typeof personId !== 'string' || !Types.ObjectId.isValid(personId)) throw new UnrecoverableError('bad person id');
  const changes = await detectForPerson(new Types.ObjectId(personId));
  if (changes.length === 0) return { changes: 0 };
  const audited = appendAuditMany(
    changes.map((c) => ({
      actor: {},
      action: `alert.${c.change}`,
      subject: { type: 'alert', id: c.alert._id, personId: c.alert.personId },
      purpose: 'risk_panel',
      outcome: 'succeeded' as const,
      reason: `${c.alert.ruleId}:${c.alert.audience?.mode ?? 'none'}`,
    })),
  );
  // The audit record and each alert's follow-on jobs are independent writes: made together.
  const followOns = changes.map(async (c) => {
    const id = c.alert.id as string;
    if (!c.notify) emitChanged(c.alert, ctx.realtime);
    await Promise.all([
      c.notify ? notifyNow(c, ctx) : undefined,
      c.route ? enqueueRoute(ctx.queue, id, c.alert.severity) : undefined,
      (c.change === 'raised' || c.notify) && c.alert.audience?.mode === 'pseudonymous' ? askForConsent(c, ctx) : undefined,
    ]);
  });
  await Promise.all([audited, ...followOns]);
  return { changes: changes.map((c) => c.change) };
};
