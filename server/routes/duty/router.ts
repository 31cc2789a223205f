/**
 * `/api/duty`: the out-of-hours duty console. Who is on call, gaps ahead, the live queue of alerts
 * routed to me or my agency, take / escalate / hand over, and the delivery log. Duty managers act;
 * agency admins watch. An alert of another agency answers 404.
 */
import { Router, type Request } from 'express';
import { trusted } from 'mongoose';
import type { AppContext } from '../../context';
import { authenticate, currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { Alert, type AlertDoc } from '../../models/Alert';
import { AlertDelivery } from '../../models/AlertDelivery';
import { HandoverNote } from '../../models/HandoverNote';
import { User } from '../../models/User';
import { appendAudit } from '../../audit';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { domainConfig } from '../../../config/domain';
import { canActOnDuty, canActOnDutyAlert, canSeeDutyAlert, canViewDuty } from '../../policies/duty';
import { presentDutyAlert } from '../../presenters/dutyAlert';
import { presentDelivery } from '../../presenters/dutyDelivery';
import { presentSegment } from '../../presenters/dutyRota';
import { resolveDuty } from '../../duty/options';
import { LIVE_STATUSES } from '../../duty/alertFacts';
import { onCallAt, rotaGaps, ON_CALL_ROLE } from '../../duty/rota';
import { escalateByHand } from '../../duty/escalation';
import { handOver, takeAlert } from '../../duty/handover';
import { namesOf } from '../../duty/names';
import type { NotifyDeps } from '../../notify/dispatch';
import { IdParams } from '../common';
import { DeliveriesQuery, HandoverInput, HandoverNoteInput, type HandoverInputType } from './schema';
import { webhooksRouter } from './webhooks';

/** Most alerts the live queue lists. */
const QUEUE_LIMIT = 200;

/** Refuses users who may not use the console (403: the console's existence is no secret). */
const viewer = () => (req: Request, _res: unknown, next: (err?: unknown) => void) => next(canViewDuty(currentUser(req)) ? undefined : new ForbiddenError());

/** The /api/duty router. */
export function dutyRouter(ctx: AppContext): Router {
  const router = Router();
  // The console shows rota changes at once: no rota cache here.
  const duty = resolveDuty({ rotaCacheMs: 0 });
  // ctx.realtime is replaced once Socket.io attaches: read it at call time.
  const deps = (): NotifyDeps => ({ queue: (name) => ctx.queue(name), realtime: ctx.realtime, logger: ctx.logger, duty });

  async function loadAlert(req: Request, may: typeof canSeeDutyAlert): Promise<AlertDoc> {
    const user = currentUser(req);
    const id = (req.params as { id: string }).id;
    const alert = await Alert.findById(id);
    if (!alert || !may(user, alert)) {
      await auditDenied(req, userActor(user), { type: 'alert', id, personId: alert?.personId }, alert ? 'not_duty_holder' : 'not_found');
      throw new NotFoundError('No such alert in your duty queue.');
    }
    return alert;
  }

  async function respondWithAlert(req: Request, alert: AlertDoc) {
    const names = await namesOf(alert.routedTo?.userIds ?? []);
    return { alert: presentDutyAlert(alert, currentUser(req), names) };
  }

  router.use(authenticate());
  router.use('/webhooks', webhooksRouter(ctx));

  router.get('/on-call', viewer(), async (req, res) => {
    const user = currentUser(req);
    const now = duty.now();
    const levels = await Promise.all(
      domainConfig().escalation.levels.map(async (level) => ({ level: level.id, rank: level.rank, label: level.label, segment: await onCallAt(user.agencyId, level.id, now) })),
    );
    const names = await namesOf(levels.map((l) => l.segment?.userId).filter(Boolean));
    await appendAudit({ actor: userActor(user), action: 'duty.on_call.read', subject: { type: 'rota', id: user.agencyId }, outcome: 'allowed', requestId: req.id });
    res.json({
      now: now.toISOString(),
      levels: levels.map((l) => ({ level: l.level, rank: l.rank, label: l.label, onCall: l.segment ? presentSegment(l.segment, names) : null })),
    });
  });

  router.get('/gaps', viewer(), async (req, res) => {
    const user = currentUser(req);
    const gaps = await rotaGaps(user.agencyId, duty.now());
    await appendAudit({ actor: userActor(user), action: 'duty.gaps.read', subject: { type: 'rota', id: user.agencyId }, outcome: 'allowed', requestId: req.id });
    res.json({ levels: gaps.map((l) => ({ level: l.level, rank: l.rank, gaps: l.gaps.map((g) => ({ from: g.from.toISOString(), to: g.to.toISOString() })) })) });
  });

  router.get('/queue', viewer(), async (req, res) => {
    const user = currentUser(req);
    const alerts = await Alert.find({
      status: trusted({ $in: [...LIVE_STATUSES] }),
      'routedTo.mode': 'out_of_hours',
      $or: [{ 'routedTo.agencyId': user.agencyId }, { 'routedTo.userIds': user._id }],
    })
      .sort({ ackDeadline: 1, createdAt: 1 })
      .limit(QUEUE_LIMIT);
    const names = await namesOf(alerts.flatMap((a) => a.routedTo?.userIds ?? []));
    await appendAudit({ actor: userActor(user), action: 'duty.queue.read', subject: { type: 'duty_queue', id: user.agencyId }, outcome: 'allowed', reason: `alerts=${alerts.length}`, requestId: req.id });
    res.json({ now: duty.now().toISOString(), alerts: alerts.map((a) => presentDutyAlert(a, user, names)) });
  });

  router.post('/alerts/:id/take', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const alert = await loadAlert(req, canActOnDutyAlert);
    const updated = await takeAlert(deps(), alert, user);
    await auditWrite(req, userActor(user), 'alert.take', { type: 'alert', id: alert._id, personId: alert.personId });
    res.json(await respondWithAlert(req, updated));
  });

  router.post('/alerts/:id/escalate', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const alert = await loadAlert(req, canActOnDutyAlert);
    const updated = await escalateByHand(deps(), alert, user);
    await auditWrite(req, userActor(user), 'alert.escalate_manual', { type: 'alert', id: alert._id, personId: alert.personId }, { reason: `level=${updated.routedTo?.level}` });
    res.json(await respondWithAlert(req, updated));
  });

  router.get('/alerts/:id/deliveries', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const alert = await loadAlert(req, canSeeDutyAlert);
    const rows = await AlertDelivery.find({ alertId: alert._id }).sort({ createdAt: -1 }).limit(500);
    const names = await namesOf(rows.map((r) => r.recipient));
    await appendAudit({ actor: userActor(user), action: 'duty.deliveries.read', subject: { type: 'alert', id: alert._id, personId: alert.personId }, outcome: 'allowed', requestId: req.id });
    res.json({ deliveries: rows.map((r) => presentDelivery(r, names)) });
  });

  router.get('/deliveries', viewer(), validate(DeliveriesQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { limit } = req.query as unknown as { limit: number };
    const alerts = await Alert.find({ 'routedTo.agencyId': user.agencyId, 'routedTo.mode': 'out_of_hours' }).sort({ updatedAt: -1 }).limit(500).select('_id');
    const rows = await AlertDelivery.find({ alertId: trusted({ $in: alerts.map((a) => a._id) }) }).sort({ createdAt: -1 }).limit(limit);
    const names = await namesOf(rows.map((r) => r.recipient));
    await appendAudit({ actor: userActor(user), action: 'duty.deliveries.read', subject: { type: 'duty_queue', id: user.agencyId }, outcome: 'allowed', reason: `rows=${rows.length}`, requestId: req.id });
    res.json({ deliveries: rows.map((r) => presentDelivery(r, names)) });
  });

  router.post('/handover', validate(HandoverInput), async (req, res) => {
    const user = currentUser(req);
    if (!canActOnDuty(user)) throw new ForbiddenError();
    const input = req.body as HandoverInputType;
    let toUserId = input.toUserId;
    if (!toUserId) {
      const current = await onCallAt(user.agencyId, domainConfig().escalation.levels[0].id, duty.now());
      if (!current || current.userId === user.id) throw new ConflictError('no_incoming', 'Nobody else is on call now: name the colleague to hand over to.');
      toUserId = current.userId;
    }
    const incoming = await User.findOne({ _id: toUserId, agencyId: user.agencyId, disabled: false, roles: ON_CALL_ROLE });
    if (!incoming) throw new BadRequestError('invalid_recipient', 'toUserId: must be an active duty manager of your agency');
    if (incoming.id === user.id) throw new BadRequestError('invalid_recipient', 'toUserId: must be someone else');
    const moved = await handOver(deps(), { fromUserId: user.id, toUserId: incoming.id as string, alertIds: input.alertIds, note: input.note ?? undefined, actor: user });
    await auditWrite(req, userActor(user), 'duty.handover', { type: 'user', id: incoming._id }, { reason: `alerts=${moved.length}` });
    res.json({ moved, toUserId: incoming.id as string });
  });

  router.get('/handover-note', async (req, res) => {
    const user = currentUser(req);
    if (!canActOnDuty(user)) throw new ForbiddenError();
    const note = await HandoverNote.findOne({ userId: user._id, usedAt: null }).sort({ createdAt: -1 });
    res.json({ note: note ? { text: note.text, savedAt: (note as unknown as { createdAt: Date }).createdAt.toISOString() } : null });
  });

  router.put('/handover-note', validate(HandoverNoteInput), async (req, res) => {
    const user = currentUser(req);
    if (!canActOnDuty(user)) throw new ForbiddenError();
    const note = await HandoverNote.create({ userId: user._id, agencyId: user.agencyId, text: (req.body as { note: string }).note });
    await auditWrite(req, userActor(user), 'duty.handover_note', { type: 'handover_note', id: note._id });
    res.json({ note: { text: note.text, savedAt: (note as unknown as { createdAt: Date }).createdAt.toISOString() } });
  });

  return router;
}
