/**
 * What every conference route does after authentication: load the conference for the user
 * (server/conferences/access.ts), present it for them, and audit.
 */
import type { Request, RequestHandler } from 'express';
import type { Types } from 'mongoose';
import type { AppContext } from '../../context';
import { currentUser } from '../../middlewares/authenticate';
import { redisLimiter } from '../../middlewares/rateLimit';
import { ForbiddenError } from '../../errors';
import { Person } from '../../models/Person';
import type { ConferenceDoc } from '../../models/Conference';
import type { UserDoc } from '../../models/User';
import { authoriseConference, type ConferenceAccess } from '../../conferences/access';
import { CONFERENCE_PURPOSE, type ConferenceBasis } from '../../conferences/basis';
import { lookupNames } from '../../conferences/names';
import { buildPersonView, mayIdentify } from '../../commands/personView';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { presentConference, namesNeeded } from '../../presenters/conference';
import { canManage } from '../../policies/conferences';

/** The conference named by `:id`, for the signed-in participant (404 / 403 otherwise). */
export function loadAccess(req: Request): Promise<ConferenceAccess> {
  return authoriseConference(currentUser(req), (req.params as { id: string }).id, req.id);
}

/** As loadAccess, for the chair only (403 `not_chair` for other participants) until closed. */
export async function loadAsChair(req: Request): Promise<ConferenceAccess> {
  const access = await loadAccess(req);
  if (!canManage(currentUser(req), access.conference)) {
    throw new ForbiddenError('not_chair', access.conference.status === 'closed' ? 'This conference is closed.' : 'Only the chair can do that.');
  }
  return access;
}

/** The person's name when the viewer may know who they are (risk-panel purpose), else null. */
export async function personNameFor(user: UserDoc, personId: Types.ObjectId): Promise<string | null> {
  const person = await Person.findById(personId);
  if (!person) return null;
  const view = await buildPersonView(user, person, CONFERENCE_PURPOSE);
  if (view.hidden || !mayIdentify(view)) return null;
  const d = person.demographics;
  return [d?.givenName, d?.familyName].filter(Boolean).join(' ') || null;
}

/** The conference page for the requesting user. */
export async function detailFor(user: UserDoc, conference: ConferenceDoc, basis: ConferenceBasis) {
  const needed = namesNeeded(conference);
  const [names, personName] = await Promise.all([lookupNames(needed.userIds, needed.agencyIds), personNameFor(user, conference.personId as Types.ObjectId)]);
  return presentConference(conference, user, basis, names, personName);
}

/** Audits a conference action by the requesting user (ids and codes only). */
export function auditConference(req: Request, action: string, conference: ConferenceDoc, extra: { reason?: string; outcome?: 'allowed' | 'succeeded' } = {}) {
  const user = currentUser(req);
  return auditWrite(req, userActor(user), action, { type: 'conference', id: conference._id, personId: conference.personId }, {
    purpose: CONFERENCE_PURPOSE,
    outcome: extra.outcome ?? 'succeeded',
    reason: extra.reason,
  });
}

/** Writes per user: generous for a meeting, a wall against scripts. */
export function conferenceWriteLimit(ctx: AppContext): RequestHandler {
  const limiter = redisLimiter(ctx, 'conference_writes', 120, 60);
  return (req, _res, next) => {
    limiter.consume(currentUser(req).id as string).then(() => next(), next);
  };
}
