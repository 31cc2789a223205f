/**
 * Evaluates the detection rules for one person after their records changed, then, for each alert
 * that changed: audits it, sends its notification round (queued through the outbox if that
 * fails), routes it when it is new or more severe (queued for the duty workers if that fails),
 * and for a pseudonymous alert asks a key worker of the agency with the most recent contact to
 * seek consent.
 *
 * A run holds the person's detection lock (server/alerts/detectionLock.ts). The link job runs it
 * straight after linking a record when the lock is free (`detectAfterLink`); otherwise, and after
 * an unlink, merge or split, the deduplicated `detectAlerts` job runs it once the lock is free.
 */
import { Types } from 'mongoose';
import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import { requestDetection, type DetectJobData } from '../../server/alerts/requestDetection';
import { detectForPerson } from '../../server/alerts/detector';
import { enqueueNotify, enqueueRoute } from '../../server/alerts/outbox';
import { emitChanged, sendRound } from '../../server/alerts/notifier';
import { releaseDetectionLock, tryDetectionLock, withDetectionLock } from '../../server/alerts/detectionLock';
import { appendAuditMany } from '../../server/audit';
import { raiseTask } from '../../server/commands/taskRaiser';
import { routeAlert } from '../../server/duty/router';
import { alertAgencyId } from '../../server/duty/alertFacts';
import { resolveDuty, type Duty } from '../../server/duty/options';
import type { AlertChange } from '../../server/alerts/alertRaiser';
import type { PersonFacts } from '../../server/linkage/personFacts';
import type { WorkerContext } from '../context';

async function askForConsent(change: AlertChange, ctx: WorkerContext): Promise<void> {
  const { alert } = change;
  // Evidence is kept newest first, and its agencies in the same order.
  const agencyId = alertAgencyId(alert);
  if (!agencyId) return;
  await raiseTask({
    kind: 'seek_consent',
    agencyId,
    assigneeUserId: null,
    assigneeRole: 'key_worker',
    subject: { type: 'alert', id: alert._id, personId: alert.personId },
    dedupeKey: `seek_consent:alert:${String(alert._id)}`,
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
    await sendRound(change.alert, version, ctx.realtime, new Date(), change.recipients);
  } catch (err) {
    ctx.logger.warn({ alertId: String(change.alert._id), version, error: (err as Error).name }, 'notification round queued for retry');
    await enqueueNotify(ctx.queue, String(change.alert._id), version);
  }
}

/**
 * Routes a new or more severe alert from this run (in hours: recorded; out of hours: to the duty
 * manager on call, with its deadline timer). If that fails the routing job is queued (retried
 * with backoff); an alert left unrouted by a process that died is found by the outbox sweeper.
 */
async function routeNow(change: AlertChange, ctx: WorkerContext, duty: Duty): Promise<void> {
  const id = String(change.alert._id);
  try {
    await routeAlert({ queue: ctx.queue, realtime: ctx.realtime, logger: ctx.logger, duty }, id, { alert: change.alert });
  } catch (err) {
    ctx.logger.warn({ alertId: id, error: (err as Error).name }, 'routing queued for retry');
    await enqueueRoute(ctx.queue, id, change.alert.severity);
  }
}

/** One detection run for a person and its follow-ons; the caller holds the person's lock. */
export async function runDetection(personId: Types.ObjectId, ctx: WorkerContext, duty: Duty, known?: PersonFacts): Promise<{ changes: number | string[] }> {
  const changes = await detectForPerson(personId, new Date(), known);
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
  // The audit record and each alert's follow-ons are independent writes: made together.
  const followOns = changes.map(async (c) => {
    if (!c.notify) emitChanged(c.alert, ctx.realtime);
    await Promise.all([
      c.notify ? notifyNow(c, ctx) : undefined,
      c.route ? routeNow(c, ctx, duty) : undefined,
      (c.change === 'raised' || c.notify) && c.alert.audience?.mode === 'pseudonymous' ? askForConsent(c, ctx) : undefined,
    ]);
  });
  await Promise.all([audited, ...followOns]);
  return { changes: changes.map((c) => c.change) };
}

/**
 * Detection for the person a record was just linked to, from the link job: run at once if
 * nobody else is evaluating the person, else queued (the queued run waits for the one in
 * progress and then sees this record too). `known`: the person as the link left them. A run that fails here is queued as well, so a link
 * never fails for want of a detection.
 */
export async function detectAfterLink(personId: string, ctx: WorkerContext, duty: Duty, known?: PersonFacts): Promise<'ran' | 'queued'> {
  const lock = { redis: ctx.redis, redisPrefix: ctx.redisPrefix };
  const token = await tryDetectionLock(lock, personId);
  if (token !== null) {
    try {
      await runDetection(new Types.ObjectId(personId), ctx, duty, known);
      return 'ran';
    } catch (err) {
      ctx.logger.warn({ personId, error: (err as Error).name }, 'detection queued for retry');
    } finally {
      await releaseDetectionLock(lock, personId, token);
    }
  }
  await requestDetection(ctx.queue, [personId]);
  return 'queued';
}

/** The `detectAlerts` job, routing with the given duty settings. */
export function detectAlertsProcessor(duty: Duty): Processor {
  return async (job, ctx) => {
    const { personId } = job.data as DetectJobData;
    if (typeof personId !== 'string' || !Types.ObjectId.isValid(personId)) throw new UnrecoverableError('bad person id');
    return withDetectionLock({ redis: ctx.redis, redisPrefix: ctx.redisPrefix }, personId, () => runDetection(new Types.ObjectId(personId), ctx, duty));
  };
}

/** The `detectAlerts` job with the production duty settings. */
export const detectAlerts: Processor = detectAlertsProcessor(resolveDuty());
