/**
 * Links one stored encounter to a person with the probabilistic linker (DESIGN.md §6): the same
 * normalisation, blocking keys, scorer and decision as the batch and in-memory linkers
 * (workers/linkage/link.ts `decideLink`); only the candidate search differs — here it reads the
 * store, one query per blocking key value, skipping a block past `maxBlockSize` like LinkIndex.
 *
 * - link: the record joins the one person reaching the upper threshold;
 * - review: the record waits on a provisional person of its own and a MatchReview lists the
 *   candidates with per-field evidence;
 * - new: a new person.
 *
 * Safe to run twice and to crash anywhere: it returns early unless the record is still
 * `pending`; the person made for a record takes the record's own id (a retry reuses it); the
 * record's own write comes last and is guarded by `link.status: 'pending'`. The decide-and-write
 * step holds a lock on the record's blocking values (linkLock.ts), so two records of one new
 * person arriving together end as one person.
 */
import { Types } from 'mongoose';
import type { Queue } from 'bullmq';
import { domainConfig, type MatchingConfig } from '../../config/domain';
import { decideLink, scorerFor, type LinkDecision, type ScoredPerson } from '../../workers/linkage/link';
import type { Scorer } from '../../workers/linkage/compare';
import type { NormRecord } from '../../workers/linkage/normalise';
import { Encounter, type EncounterDoc } from '../models/Encounter';
import { MatchReview } from '../models/MatchReview';
import { Person } from '../models/Person';
import { asObjectId } from '../models/objectId';
import { requestDetection } from '../alerts/requestDetection';
import { blockingValuesOf, blockingVersionOf, normaliseSubject, type LinkSubject } from './subject';
import { withLinkLock, type LinkLockOptions } from './linkLock';
import { addRecordToPerson, upsertPersonFor, type PersonFacts } from './personFacts';

export interface LinkEncounterProps {
  /** The encounter to link. */
  encounterId: Types.ObjectId | string;
  /**
   * Redis and key prefix for the lock around deciding and writing. Every process that may link
   * at the same time as another must pass it; only a lone sequential caller (the demo seed, a
   * test factory) may leave it out.
   */
  lock?: LinkLockOptions;
  /** Opens queues: detection is requested for the person the record joined. */
  queue?: (name: string) => Queue;
  /** The matching model (the shipped matching.json by default). */
  config?: MatchingConfig;
}

/** What the link job did. */
export interface LinkResult {
  outcome: 'link' | 'review' | 'new' | 'skipped';
  /** Why nothing was done (`skipped`). */
  reason?: 'not_found' | 'not_pending';
  personId?: string;
  score?: number;
  reviewId?: string;
  /**
   * The person's facts as the link left them (the link job hands them to the detection that
   * follows, so it need not read the person again); absent when not known without a read.
   */
  person?: PersonFacts;
}

/** Fields of a candidate record the scorer needs. */
const CANDIDATE_FIELDS = { agencyId: 1, personId: 1, 'subject.givenName': 1, 'subject.familyName': 1, 'subject.dateOfBirth': 1, 'subject.nhsNumber': 1, 'subject.postcode': 1, 'subject.address': 1 };

interface CandidateRow {
  _id: Types.ObjectId;
  agencyId: Types.ObjectId;
  personId: Types.ObjectId;
  subject?: LinkSubject;
}

/**
 * The linked records sharing each blocking value with the record, in `values` order; a block past
 * the cap holds at least max + 1 rows (and is skipped by the caller, like LinkIndex does). Raw
 * driver: this is every link's hot path, and the filter holds only values this module built, so
 * mongoose's casting and sanitising add nothing.
 */
async function readBlocks(enc: LinkSource, values: string[], max: number): Promise<CandidateRow[][]> {
  const linked = { personId: { $ne: null }, _id: { $ne: enc._id } };
  // One query for all the blocks, telling them apart by each row's own blocking values. Only when
  // that read is cut short (some block is far past the cap) is each block asked for on its own,
  // max + 1 rows at most, as the cut-short read cannot say how big each block is.
  const limit = values.length * (max + 1);
  const rows = await Encounter.collection
    .find<CandidateRow & { blockingKeys?: string[] }>({ blockingKeys: { $in: values }, ...linked }, { projection: { ...CANDIDATE_FIELDS, blockingKeys: 1 }, limit: limit + 1 })
    .toArray();
  if (rows.length <= limit) {
    const at = new Map(values.map((v, i) => [v, i]));
    const blocks: CandidateRow[][] = values.map(() => []);
    for (const row of rows) for (const v of row.blockingKeys ?? []) if (at.has(v)) blocks[at.get(v)!].push(row);
    return blocks;
  }
  return Promise.all(
    values.map((value) => Encounter.collection.find<CandidateRow>({ blockingKeys: value, ...linked }, { projection: CANDIDATE_FIELDS, limit: max + 1 }).toArray()),
  );
}

/** Best score per person among the records sharing a blocking value with `r` (blocks past the cap skipped). */
async function scoreCandidates(enc: LinkSource, r: NormRecord, values: string[], scorer: Scorer, config: MatchingConfig): Promise<Map<string, ScoredPerson>> {
  const max = config.blocking.maxBlockSize;
  const blocks = await readBlocks(enc, values, max);
  const seen = new Set<string>();
  const best = new Map<string, ScoredPerson>();
  for (const block of blocks) {
    if (block.length > max) continue;
    for (const c of block) {
      const id = String(c._id);
      if (seen.has(id)) continue;
      seen.add(id);
      const other = normaliseSubject(id, String(c.agencyId), c.subject);
      const s = scorer.score(r, other);
      const key = String(c.personId);
      const prev = best.get(key);
      if (!prev || s > prev.score) best.set(key, { score: s, record: other });
    }
  }
  return best;
}

/**
 * Removes what an earlier, interrupted attempt made for this record and no longer needs: its
 * own person (when nothing links to it) and an open review.
 */
async function discardProvisional(enc: LinkSource): Promise<void> {
  await MatchReview.deleteOne({ encounterId: enc._id, status: 'open' });
  if (!(await Encounter.exists({ personId: enc._id }))) await Person.deleteOne({ _id: enc._id, mergedInto: null });
}

/** The state-guarded write of the record's link (only a still-pending record changes). */
async function settle(enc: LinkSource, personId: Types.ObjectId, status: 'auto' | 'review', score: number, method: string, keys: FreshKeys | null): Promise<boolean> {
  // Raw driver (every link ends here): the values are this module's own, and the schema's
  // timestamp is set by hand.
  const res = await Encounter.collection.updateOne(
    { _id: enc._id, 'link.status': 'pending' },
    { $set: { personId, link: { status, score, method }, ...keys, updatedAt: new Date() } },
  );
  return res.modifiedCount === 1;
}

async function openReview(enc: LinkSource, r: NormRecord, d: LinkDecision, best: Map<string, ScoredPerson>, scorer: Scorer): Promise<string> {
  const candidates = d.candidates.map((c) => ({
    personId: new Types.ObjectId(c.personKey),
    score: c.score,
    matchedEncounterId: new Types.ObjectId(c.matchedRecordId),
    evidence: scorer.explain(r, best.get(c.personKey)!.record),
  }));
  const review = await MatchReview.findOneAndUpdate(
    { encounterId: enc._id },
    {
      $set: { candidates },
      $setOnInsert: { agencyId: enc.agencyId, provisionalPersonId: enc._id, status: 'open' },
    },
    { upsert: true, returnDocument: 'after' },
  );
  return review!.id as string;
}

/** The fields of the record being linked that linking reads (a plain object, not a document). */
type LinkSource = Pick<EncounterDoc, '_id' | 'agencyId' | 'subject' | 'link' | 'personId' | 'blockingVersion'>;

/** Raw driver reads of the record and of a person by id (every link makes them; the ids are ours). */
function readSource(id: Types.ObjectId): Promise<LinkSource | null> {
  return Encounter.collection.findOne<LinkSource>({ _id: id }, { projection: { agencyId: 1, subject: 1, link: 1, personId: 1, blockingVersion: 1 } });
}

async function personExists(id: Types.ObjectId): Promise<boolean> {
  return (await Person.collection.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
}

/** Blocking values to store with the link, for a record stored under other blocking keys. */
type FreshKeys = { blockingKeys: string[]; blockingVersion: string };

/** Links the encounter (see the module comment). */
export async function linkEncounter(props: LinkEncounterProps): Promise<LinkResult> {
  const config = props.config ?? domainConfig().matching;
  const scorer = scorerFor(config);
  if (!Types.ObjectId.isValid(props.encounterId)) return { outcome: 'skipped', reason: 'not_found' };
  const encounterId = asObjectId(props.encounterId);
  const first = await readSource(encounterId);
  if (!first) return { outcome: 'skipped', reason: 'not_found' };
  if (first.link?.status !== 'pending') return { outcome: 'skipped', reason: 'not_pending', personId: first.personId ? String(first.personId) : undefined };
  const r = normaliseSubject(String(first._id), String(first.agencyId), first.subject as LinkSubject | undefined);
  const values = blockingValuesOf(r, config);
  // A record stored under other blocking keys (by a process not yet on this model, during a
  // deploy, after the re-key passed it) gets this model's values with its link: no extra write.
  const version = blockingVersionOf(config);
  const fresh: FreshKeys | null = first.blockingVersion === version ? null : { blockingKeys: values, blockingVersion: version };

  const critical = async (): Promise<LinkResult> => {
    const enc = first;
    // Three reads at once (the candidates are only used if the record is still pending): the
    // status again, under the lock (another attempt may have finished while this one waited); a
    // person with the record's id, which means an earlier attempt got part way; the candidates.
    const [now, provisional, best] = await Promise.all([
      Encounter.collection.findOne<Pick<LinkSource, 'link'>>({ _id: encounterId }, { projection: { link: 1 } }),
      personExists(encounterId),
      scoreCandidates(enc, r, values, scorer, config),
    ]);
    if (!now || now.link?.status !== 'pending') return { outcome: 'skipped', reason: now ? 'not_pending' : 'not_found' };
    const retried = Boolean(provisional);
    const d = decideLink(r, best, scorer, config);
    const score = Math.round(d.score * 1000) / 1000;

    if (d.decision === 'link') {
      const personId = new Types.ObjectId(d.personKey);
      if (retried) await discardProvisional(enc);
      const person = await addRecordToPerson(personId, enc);
      if (!(await settle(enc, personId, 'auto', score, 'match_weight', fresh))) return { outcome: 'skipped', reason: 'not_pending' };
      return { outcome: 'link', personId: String(personId), score, ...(person ? { person } : {}) };
    }

    // A person of the record's own: created once, reused by a retry.
    const own = enc._id as Types.ObjectId;
    await upsertPersonFor(own, enc);
    let reviewId: string | undefined;
    if (d.decision === 'review') reviewId = await openReview(enc, r, d, best, scorer);
    else if (retried) await MatchReview.deleteOne({ encounterId: enc._id, status: 'open' });
    const ok = await settle(enc, own, d.decision === 'review' ? 'review' : 'auto', score, d.decision === 'review' ? 'match_weight' : 'new_person', fresh);
    if (!ok) {
      await discardProvisional(enc);
      return { outcome: 'skipped', reason: 'not_pending' };
    }
    // A person made by this attempt knows only this record's agency; one left by an earlier
    // attempt may have changed since (the detection reads it then).
    const person: PersonFacts | undefined = retried ? undefined : { agencyIds: [enc.agencyId], mergedInto: null };
    return { outcome: d.decision, personId: String(own), score, reviewId, ...(person ? { person } : {}) };
  };

  const result = props.lock ? await withLinkLock(props.lock, values, critical) : await critical();
  if (props.queue && result.outcome !== 'skipped' && result.personId) await requestDetection(props.queue, [result.personId]);
  return result;
}
