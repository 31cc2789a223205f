/**
 * Loading a conference for one user, for HTTP routes and socket events alike: a participant whose
 * agency still has a sharing basis gets the conference and its basis; anyone else is refused and
 * the refusal is audited. Called afresh for every request and every socket event. Socket events
 * read only the conference's core (status and participants, no structured items) as a plain
 * object: a busy room pays for neither the items nor mongoose documents per message.
 */
import { isValidObjectId, Types } from 'mongoose';
import { Conference, type ConferenceDoc } from '../models/Conference';
import type { UserDoc } from '../models/User';
import { ForbiddenError, NotFoundError } from '../errors';
import { appendAudit } from '../audit';
import { userActor } from '../commands/auditTrail';
import { participation } from '../policies/conferences';
import { CONFERENCE_PURPOSE, loadConferenceBasis, type ConferenceBasis } from './basis';
import { lookupNames } from './names';
import { versionedCache } from '../commands/sharingVersion';

/** One participant, as every reader needs it. */
export interface ParticipantCore {
  userId: Types.ObjectId;
  agencyId: Types.ObjectId;
  role: string;
  removedAt?: Date | null;
  attendedAt?: Date | null;
}

/** What authorising and broadcasting need of a conference. ConferenceDoc is one. */
export interface ConferenceCore {
  _id: Types.ObjectId;
  status: string;
  personId: Types.ObjectId;
  chairId: Types.ObjectId;
  chairAgencyId: Types.ObjectId;
  lastSeq: number;
  participants: readonly ParticipantCore[];
}

export interface ConferenceAccess<C extends ConferenceCore = ConferenceDoc> {
  conference: C;
  participant: ParticipantCore;
  basis: ConferenceBasis;
}

/** Agencies of the conference's current participants (and the chair's), as strings. */
export function participantAgencyIds(conference: ConferenceCore): string[] {
  const ids = new Set([String(conference.chairAgencyId)]);
  for (const p of conference.participants) if (!p.removedAt) ids.add(String(p.agencyId));
  return [...ids];
}

/** Loads the conference's basis over its current participants' agencies. */
export function basisOf(conference: ConferenceCore, now = new Date()): Promise<ConferenceBasis> {
  return loadConferenceBasis({ personId: conference.personId, chairAgencyId: conference.chairAgencyId, agencyIds: participantAgencyIds(conference), now });
}

async function authorise<C extends ConferenceCore>(user: UserDoc, id: string, conference: C | null, requestId?: string, loaded?: ConferenceBasis): Promise<ConferenceAccess<C>> {
  const participant = conference ? participation(user, conference) : undefined;
  if (!conference || !participant) {
    await appendAudit({
      actor: userActor(user),
      action: 'access.denied',
      subject: { type: 'conference', id: isValidObjectId(id) ? id : undefined, personId: conference?.personId ?? undefined },
      purpose: CONFERENCE_PURPOSE,
      outcome: 'denied',
      reason: conference ? 'not_participant' : 'not_found',
      requestId,
    });
    throw new NotFoundError('No such conference.');
  }
  const [basis, names] = await Promise.all([loaded ?? basisOf(conference), lookupNames([], [user.agencyId])]);
  const eligible = basis.eligibility(String(user.agencyId), names.agency(user.agencyId));
  if (!eligible.eligible) {
    await appendAudit({
      actor: userActor(user),
      action: 'access.denied',
      subject: { type: 'conference', id: conference._id, personId: conference.personId },
      purpose: CONFERENCE_PURPOSE,
      outcome: 'denied',
      reason: eligible.code,
      requestId,
    });
    throw new ForbiddenError('no_sharing_basis', eligible.reason);
  }
  return { conference, participant, basis };
}

/**
 * The conference for a participant. Not a participant (or no such id): 404 `not_found`.
 * A participant whose agency's basis has lapsed: 403 `no_sharing_basis` with the reason.
 */
export async function authoriseConference(user: UserDoc, id: string, requestId?: string): Promise<ConferenceAccess> {
  return authorise(user, id, isValidObjectId(id) ? await Conference.findById(id) : null, requestId);
}

const CORE_PROJECTION = { status: 1, personId: 1, chairId: 1, chairAgencyId: 1, lastSeq: 1, participants: 1 };

/** A conference's person and chair's agency never change: remembered so the basis loads in parallel. */
const fixed = new Map<string, { personId: Types.ObjectId; chairAgencyId: Types.ObjectId }>();
const FIXED_LIMIT = 10_000;

/** Conference cores by id, reused until a conference (or sharing) write moves the shared version. */
const cachedCore = versionedCache<ConferenceCore | null>();

/**
 * As authoriseConference, for socket events: reads only the conference's core, as a plain object,
 * in parallel with the sharing facts. With `basis: 'own'` the basis is loaded for pairs involving
 * the user's agency only (agreements it is party to): enough to authorise the user, to send what
 * they write, and to show them what others wrote; `all` loads it for every participating agency.
 *
 * The core is reused between events until any conference write other than a sequence number
 * moves the shared version (participants, status: see models/sharingChanges.ts), so a removal or
 * a close holds from the next event on, on every process. `fresh` reads it from the store anyway
 * (joining uses it: the join's answer reports the latest sequence number).
 */
export async function authoriseRoom(
  user: UserDoc,
  id: string,
  options: { basis: 'own' | 'all'; fresh?: boolean } = { basis: 'own' },
): Promise<ConferenceAccess<ConferenceCore>> {
  if (!isValidObjectId(id)) return authorise(user, id, null);
  const _id = new Types.ObjectId(id);
  const known = fixed.get(id);
  const fromStore = () => Conference.collection.findOne<ConferenceCore>({ _id }, { projection: CORE_PROJECTION });
  const readCore = options.fresh ? fromStore : () => cachedCore(id, fromStore);
  if (!known || options.basis === 'all') {
    const core = await readCore();
    if (core) {
      if (fixed.size >= FIXED_LIMIT) fixed.clear();
      fixed.set(id, { personId: core.personId, chairAgencyId: core.chairAgencyId });
    }
    return authorise(user, id, core);
  }
  const [core, basis] = await Promise.all([
    readCore(),
    loadConferenceBasis({ personId: known.personId, chairAgencyId: known.chairAgencyId, agencyIds: [String(user.agencyId)] }),
  ]);
  return authorise(user, id, core, undefined, basis);
}
