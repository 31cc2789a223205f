/**
 * Structured items and the message history of one conference, mounted at /api/conferences/:id:
 * risk entries, decisions and actions (any participant, while live), an action's status (its
 * owner or the chair, any time), and messages after a sequence number (the HTTP catch-up).
 */
import { Router } from 'express';
import type { Types } from 'mongoose';
import type { AppContext } from '../../context';
import { currentUser } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { recordAction, recordDecision, recordRisk, updateActionStatus } from '../../conferences/items';
import { conferenceSequence } from '../../conferences/sequence';
import { messagesAfter } from '../../conferences/messages';
import { conferenceRealtime } from '../../conferences/realtime';
import { lookupNames } from '../../conferences/names';
import { presentMessage } from '../../presenters/conferenceMessage';
import { canRecord, canUpdateAction } from '../../policies/conferences';
import { IdParams } from '../common';
import { ActionInput, ActionParams, ActionUpdateInput, DecisionInput, MessagesQuery, RiskInput } from './schema';
import { auditConference, conferenceWriteLimit, detailFor, loadAccess } from './load';

/** The items router (mergeParams: reads `:id`). */
export function conferenceItemsRouter(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });
  const writes = conferenceWriteLimit(ctx);
  const realtime = () => conferenceRealtime(ctx);

  /** The conference for a participant who may record items now. */
  async function loadForRecording(req: Parameters<typeof loadAccess>[0]) {
    const access = await loadAccess(req);
    if (!canRecord(currentUser(req), access.conference)) {
      throw new ConflictError('conference_not_live', 'Items can only be recorded while the conference is live.');
    }
    return access;
  }

  router.get('/messages', validate(IdParams, 'params'), validate(MessagesQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { conference, basis } = await loadAccess(req);
    const { after, limit } = req.query as unknown as { after: number; limit: number };
    const { messages, more } = await messagesAfter(conference._id as Types.ObjectId, after, limit);
    const names = await lookupNames(messages.map((m) => m.authorId).filter(Boolean), messages.map((m) => m.agencyId).filter(Boolean));
    await auditConference(req, 'conference.messages.read', conference, { outcome: 'allowed', reason: `after=${after} count=${messages.length}` });
    res.json({ messages: messages.map((m) => presentMessage(m, String(user.agencyId), basis, names)), more, headSeq: Math.max(conference.lastSeq, await conferenceSequence(ctx).current(conference._id as Types.ObjectId)) });
  });

  router.post('/risks', writes, validate(IdParams, 'params'), validate(RiskInput), async (req, res) => {
    const user = currentUser(req);
    const { conference, basis } = await loadForRecording(req);
    const { category, level, rationale } = req.body as { category: string; level: string; rationale: string };
    const result = await recordRisk({ conference, user, basis, realtime: realtime(), sequence: conferenceSequence(ctx), category, level, rationale });
    await auditConference(req, 'conference.risk.create', result.conference, { reason: `${category}:${level}` });
    res.status(201).json({ itemId: result.itemId.toHexString(), conference: await detailFor(user, result.conference, basis) });
  });

  router.post('/decisions', writes, validate(IdParams, 'params'), validate(DecisionInput), async (req, res) => {
    const user = currentUser(req);
    const { conference, basis } = await loadForRecording(req);
    const result = await recordDecision({ conference, user, basis, realtime: realtime(), sequence: conferenceSequence(ctx), text: (req.body as { text: string }).text });
    await auditConference(req, 'conference.decision.create', result.conference);
    res.status(201).json({ itemId: result.itemId.toHexString(), conference: await detailFor(user, result.conference, basis) });
  });

  router.post('/actions', writes, validate(IdParams, 'params'), validate(ActionInput), async (req, res) => {
    const user = currentUser(req);
    const { conference, basis } = await loadForRecording(req);
    const { text, ownerUserId, dueAt } = req.body as { text: string; ownerUserId: string; dueAt: Date };
    const result = await recordAction({ conference, user, basis, realtime: realtime(), sequence: conferenceSequence(ctx), text, ownerUserId, dueAt, taskRealtime: ctx.realtime });
    await auditConference(req, 'conference.action.create', result.conference);
    res.status(201).json({ itemId: result.itemId.toHexString(), conference: await detailFor(user, result.conference, basis) });
  });

  router.patch('/actions/:actionId', writes, validate(ActionParams, 'params'), validate(ActionUpdateInput), async (req, res) => {
    const user = currentUser(req);
    const { conference, basis } = await loadAccess(req);
    const actionId = (req.params as { actionId: string }).actionId;
    const action = conference.actions.find((a) => String(a._id) === actionId);
    if (!action || !basis.allows(String(user.agencyId), String(action.agencyId))) throw new NotFoundError('No such action.');
    if (!canUpdateAction(user, conference, action)) throw new ForbiddenError('not_owner', 'Only the owner or the chair can change this action.');
    const { status } = req.body as { status: 'done' | 'cancelled' };
    const updated = await updateActionStatus({ conference, user, actionId, status, realtime: realtime() });
    await auditConference(req, 'conference.action.update', updated, { reason: status });
    res.json({ conference: await detailFor(user, updated, basis) });
  });

  return router;
}
