/**
 * Case conferences: list mine, create (panel chairs, from a person or an alert), read, agenda,
 * invite candidates with reasons, invite and remove participants, start, close with an outcome,
 * and the minutes (JSON, printable page, download). Structured items are in ./items.ts.
 * Non-participants get 404; a participant whose agency lost its basis gets 403 `no_sharing_basis`.
 */
import { Router } from 'express';
import { trusted } from 'mongoose';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { ConflictError } from '../../errors';
import { Conference } from '../../models/Conference';
import type { ConferenceOutcome } from '../../models/Conference';
import { createConference } from '../../conferences/conferenceCreator';
import { closeConference, setAgenda, startConference } from '../../conferences/conferenceCloser';
import { conferenceSequence } from '../../conferences/sequence';
import { inviteCandidates, inviteParticipant, removeParticipant } from '../../conferences/participants';
import { conferenceRealtime, rooms } from '../../conferences/realtime';
import { basisOf } from '../../conferences/access';
import { lookupNames } from '../../conferences/names';
import { presentConferenceSummary, namesNeeded } from '../../presenters/conference';
import { presentMinutes } from '../../presenters/conferenceMinutes';
import { renderMinutesHtml } from '../../presenters/conferenceMinutesHtml';
import { IdParams } from '../common';
import { AgendaInput, CloseInput, CreateConferenceInput, EmptyInput, InviteInput, ListQuery, ParticipantParams, type CreateConferenceInputType } from './schema';
import { auditConference, conferenceWriteLimit, detailFor, loadAccess, loadAsChair, personNameFor } from './load';
import { conferenceItemsRouter } from './items';
import type { Types } from 'mongoose';

/** Most conferences one list returns. */
const LIST_LIMIT = 200;

const STATUS_OF = { upcoming: 'scheduled', live: 'live', closed: 'closed' } as const;

/** The /api/conferences router. */
export function conferencesRouter(ctx: AppContext): Router {
  const router = Router();
  const writes = conferenceWriteLimit(ctx);
  const realtime = () => conferenceRealtime(ctx);
  router.use(authenticate());

  router.get('/', validate(ListQuery, 'query'), async (req, res) => {
    const user = currentUser(req);
    const { status } = req.query as { status?: keyof typeof STATUS_OF };
    const list = await Conference.find({
      participants: trusted({ $elemMatch: { userId: user._id, removedAt: null } }),
      ...(status ? { status: STATUS_OF[status] } : {}),
    })
      .sort({ scheduledFor: status === 'closed' ? -1 : 1 })
      .limit(LIST_LIMIT);
    const names = await lookupNames(list.map((c) => c.chairId), []);
    res.json({ conferences: list.map((c) => presentConferenceSummary(c, user, names)) });
  });

  router.post('/', requireRole('panel_chair'), writes, validate(CreateConferenceInput), async (req, res) => {
    const user = currentUser(req);
    const input = req.body as CreateConferenceInputType;
    const conference = await createConference({ user, ...input });
    await auditConference(req, 'conference.create', conference, { reason: input.alertId ? 'from_alert' : 'from_person' });
    res.status(201).json({ conference: await detailFor(user, conference, await basisOf(conference)) });
  });

  router.get('/:id', validate(IdParams, 'params'), async (req, res) => {
    const { conference, basis } = await loadAccess(req);
    await auditConference(req, 'conference.read', conference, { outcome: 'allowed' });
    res.json({ conference: await detailFor(currentUser(req), conference, basis) });
  });

  router.put('/:id/agenda', writes, validate(IdParams, 'params'), validate(AgendaInput), async (req, res) => {
    const { conference, basis } = await loadAsChair(req);
    const updated = await setAgenda(conference, (req.body as { items: { text: string; done: boolean }[] }).items, realtime());
    await auditConference(req, 'conference.agenda.update', updated);
    res.json({ conference: await detailFor(currentUser(req), updated, basis) });
  });

  router.get('/:id/candidates', validate(IdParams, 'params'), async (req, res) => {
    const { conference } = await loadAsChair(req);
    const agencies = await inviteCandidates(conference);
    await auditConference(req, 'conference.candidates.read', conference, { outcome: 'allowed' });
    res.json({ agencies });
  });

  router.post('/:id/participants', writes, validate(IdParams, 'params'), validate(InviteInput), async (req, res) => {
    const user = currentUser(req);
    const { conference } = await loadAsChair(req);
    const { userId } = req.body as { userId: string };
    const result = await inviteParticipant({ conference, chairId: user._id as Types.ObjectId, userId });
    await auditConference(req, 'conference.participant.add', result.conference, { reason: result.added ? 'added' : 'unchanged' });
    if (result.added) {
      realtime().changed(result.conference);
      ctx.realtime.emit(rooms.user(userId), 'conference:invited', { id: conference.id as string });
    }
    res.status(result.added ? 201 : 200).json({ conference: await detailFor(user, result.conference, await basisOf(result.conference)) });
  });

  router.delete('/:id/participants/:userId', writes, validate(ParticipantParams, 'params'), async (req, res) => {
    const { conference, basis } = await loadAsChair(req);
    const updated = await removeParticipant({ conference, userId: (req.params as { userId: string }).userId, realtime: realtime() });
    await auditConference(req, 'conference.participant.remove', updated);
    realtime().changed(updated);
    res.json({ conference: await detailFor(currentUser(req), updated, basis) });
  });

  router.post('/:id/start', writes, validate(IdParams, 'params'), validate(EmptyInput), async (req, res) => {
    const { conference, basis } = await loadAsChair(req);
    const updated = await startConference({ conference, user: currentUser(req), basis, realtime: realtime(), sequence: conferenceSequence(ctx) });
    await auditConference(req, 'conference.start', updated);
    res.json({ conference: await detailFor(currentUser(req), updated, basis) });
  });

  router.post('/:id/close', writes, validate(IdParams, 'params'), validate(CloseInput), async (req, res) => {
    const { conference, basis } = await loadAsChair(req);
    const { outcome, summary } = req.body as { outcome: ConferenceOutcome; summary?: string };
    const updated = await closeConference({ conference, user: currentUser(req), basis, realtime: realtime(), sequence: conferenceSequence(ctx), outcome, summary });
    await auditConference(req, 'conference.close', updated, { reason: outcome });
    res.json({ conference: await detailFor(currentUser(req), updated, basis) });
  });

  /** The minutes for the requesting participant, once the conference is closed. */
  async function minutesFor(req: Parameters<typeof loadAccess>[0], action: string) {
    const user = currentUser(req);
    const { conference, basis } = await loadAccess(req);
    if (conference.status !== 'closed') throw new ConflictError('not_closed', 'Minutes are ready once the chair closes the conference.');
    const needed = namesNeeded(conference);
    const [names, personName] = await Promise.all([lookupNames(needed.userIds, needed.agencyIds), personNameFor(user, conference.personId as Types.ObjectId)]);
    const minutes = presentMinutes(conference, user, basis, names, personName);
    const withheld = minutes.withheld.reduce((n, w) => n + w.count, 0);
    await auditConference(req, action, conference, { outcome: 'allowed', reason: `withheld=${withheld}` });
    return minutes;
  }

  router.get('/:id/minutes', validate(IdParams, 'params'), async (req, res) => {
    res.json({ minutes: await minutesFor(req, 'conference.minutes.read') });
  });

  router.get('/:id/minutes.html', validate(IdParams, 'params'), async (req, res) => {
    const minutes = await minutesFor(req, 'conference.minutes.read');
    res.type('html').send(renderMinutesHtml(minutes));
  });

  router.get('/:id/minutes/download', validate(IdParams, 'params'), async (req, res) => {
    const minutes = await minutesFor(req, 'conference.minutes.export');
    res.type('html').attachment(`conference-minutes-${minutes.id}-${(minutes.closedAt ?? minutes.generatedAt).slice(0, 10)}.html`);
    res.send(renderMinutesHtml(minutes));
  });

  router.use('/:id', conferenceItemsRouter(ctx));
  return router;
}
