/**
 * The alert inbox and the alert page: `/api/alerts`. Access is the audience rule
 * (server/policies/alerts.ts); an alert outside it answers 404, the same as one that does not
 * exist. Every read and step is audited; every step sends an `alert:changed` hint to the
 * audience's sockets so open inboxes refresh.
 */
import { Router, type Request } from 'express';
import { trusted, Types } from 'mongoose';
import type { AppContext } from '../../context';
import { authenticate, currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { Alert, type AlertDoc } from '../../models/Alert';
import { User } from '../../models/User';
import type { Role } from '../../models/roles';
import { canSeeAlert, visibleAlertsFilter } from '../../policies/alerts';
import { acknowledgeAlert, assignAlert, closeAlert, noteAlert, type CloseOutcome } from '../../alerts/lifecycle';
import { buildAlertView } from '../../alerts/alertView';
import { emitChanged } from '../../alerts/notifier';
import { presentAlertDetail, presentAlertListItem } from '../../presenters/alert';
import { auditDenied, auditWrite, userActor } from '../../commands/auditTrail';
import { appendAuditMany } from '../../audit';
import { domainConfig } from '../../../config/domain';
import { IdParams } from '../common';
import { AlertListQuery, AssignInput, CloseInput, EmptyInput, NoteInput, type AlertListQueryType } from './schema';

async function loadAlert(req: Request): Promise<AlertDoc> {
  const user = currentUser(req);
  const alert = await Alert.findById((req.params as { id: string }).id);
  if (!alert || !canSeeAlert(user, alert)) {
    await auditDenied(req, userActor(user), { type: 'alert', id: alert?._id, personId: alert?.personId }, alert ? 'not_in_audience' : 'not_found');
    throw new NotFoundError('No such alert.');
  }
  return alert;
}

/** Called after an acknowledgement, e.g. to cancel pending escalations. */
export type AfterAcknowledge = (alert: AlertDoc) => Promise<void>;

/** The /api/alerts router. */
export function alertsRouter(ctx: AppContext, hooks: { afterAcknowledge?: AfterAcknowledge } = {}): Router {
  const router = Router();
  router.use(authenticate());

  router.get('/', validate(AlertListQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const q = req.query as unknown as AlertListQueryType;
    const filter: Record<string, unknown> = {
      ...visibleAlertsFilter(user),
      status: q.status === 'active' ? trusted({ $ne: 'closed' }) : q.status,
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.ruleId ? { ruleId: q.ruleId } : {}),
      ...(q.assigned === 'me' ? { assignedTo: user._id } : {}),
    };
    const alerts = await Alert.find(filter).sort({ updatedAt: -1 }).limit(q.limit);
    await auditWrite(req, userActor(user), 'alert.list', { type: 'alert' }, { outcome: 'allowed', reason: `results:${alerts.length}` });
    res.json({ alerts: alerts.map(presentAlertListItem) });
  });

  router.get('/rules', (_req, res) => {
    res.json({ rules: domainConfig().alertRules.rules.map((r) => ({ id: r.id, name: r.name, description: r.description, severity: r.severity, enabled: r.enabled })) });
  });

  router.get('/:id', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const alert = await loadAlert(req);
    const view = await buildAlertView(user, alert);
    const actor = userActor(user);
    await appendAuditMany([
      { actor, action: 'alert.read', subject: { type: 'alert', id: alert._id, personId: alert.personId }, purpose: 'risk_panel', outcome: 'allowed', reason: alert.audience?.mode ?? undefined, requestId: req.id },
      ...view.decisions.map((d) => ({
        actor,
        action: 'encounter.read',
        subject: { type: 'encounter', id: d.encounterId, personId: alert.personId },
        purpose: 'risk_panel',
        outcome: d.outcome.effect === 'allow' ? ('allowed' as const) : d.outcome.effect === 'redact' ? ('redacted' as const) : ('denied' as const),
        reason: d.outcome.code,
        requestId: req.id,
      })),
    ]);
    res.json({ alert: presentAlertDetail(view) });
  });

  /** People this alert can be given to: audience members of the caller's agency. */
  router.get('/:id/assignees', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const alert = await loadAlert(req);
    const roles = (alert.audience?.roles ?? []) as Role[];
    const users = await User.find({ agencyId: user.agencyId, roles: trusted({ $in: roles }), disabled: trusted({ $ne: true }) }, { name: 1 }).sort({ name: 1 }).limit(200).lean();
    res.json({ users: users.map((u) => ({ id: String(u._id), name: u.name })) });
  });

  const step = async (req: Request, action: string, run: (alert: AlertDoc) => Promise<AlertDoc>, reason?: string) => {
    const user = currentUser(req);
    const alert = await loadAlert(req);
    const updated = await run(alert);
    await auditWrite(req, userActor(user), action, { type: 'alert', id: updated._id, personId: updated.personId }, { purpose: 'risk_panel', reason });
    emitChanged(updated, ctx.realtime);
    return updated;
  };

  router.post('/:id/acknowledge', validate(IdParams, 'params'), validate(EmptyInput), async (req, res) => {
    const updated = await step(req, 'alert.acknowledge', (alert) => acknowledgeAlert(alert, currentUser(req)));
    await hooks.afterAcknowledge?.(updated);
    res.json({ alert: presentAlertListItem(updated) });
  });

  router.post('/:id/assign', validate(IdParams, 'params'), validate(AssignInput), async (req, res) => {
    const { userId } = req.body as { userId: string };
    const updated = await step(req, 'alert.assign', (alert) => assignAlert(alert, currentUser(req), new Types.ObjectId(userId)));
    res.json({ alert: presentAlertListItem(updated) });
  });

  router.post('/:id/notes', validate(IdParams, 'params'), validate(NoteInput), async (req, res) => {
    const { text } = req.body as { text: string };
    const updated = await step(req, 'alert.note', (alert) => noteAlert(alert, currentUser(req), text));
    res.status(201).json({ alert: presentAlertListItem(updated) });
  });

  router.post('/:id/close', validate(IdParams, 'params'), validate(CloseInput), async (req, res) => {
    const { outcome, note } = req.body as { outcome: CloseOutcome; note?: string };
    const updated = await step(req, 'alert.close', (alert) => closeAlert(alert, currentUser(req), outcome, note ?? null), outcome);
    res.json({ alert: presentAlertListItem(updated) });
  });

  return router;
}
