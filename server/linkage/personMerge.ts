/**
 * Undoing and correcting links by hand: merge one person into another, or split one record off
 * into a person of its own. Each step is a single-document (or single updateMany) write with a
 * state guard, ordered so a crash leaves nothing linked to a person that is gone; the derived
 * fields of every person involved are rebuilt afterwards, and detection is requested for them.
 *
 * What a merge moves: the records (encounters). What stays on the merged person's id: consents,
 * decisions to share, break-glass grants, tasks and alerts. Consent is given by a person about
 * specific records and agencies; carrying it across to a different person index entry on a
 * reviewer's say-so could widen sharing the person never agreed to, so it is left where it was
 * recorded and the merged person's page says where to look (`mergedInto`).
 */
import { Types } from 'mongoose';
import type { Queue } from 'bullmq';
import { Encounter } from '../models/Encounter';
import { Person, type PersonDoc } from '../models/Person';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { requestDetection } from '../alerts/requestDetection';
import { recomputePerson } from './personFacts';

type Id = Types.ObjectId | string;

/** Follows `mergedInto` to the live person (at most a few hops). */
export async function resolvePerson(id: Id): Promise<PersonDoc | null> {
  let person = await Person.findById(id);
  for (let hops = 0; person?.mergedInto && hops < 10; hops++) person = await Person.findById(person.mergedInto);
  return person && !person.mergedInto ? person : null;
}

export interface MergePeopleProps {
  /** The person whose records move (marked `mergedInto`). */
  sourceId: Id;
  /** The person who keeps them. */
  targetId: Id;
  /** How the moved records are marked (e.g. `merge`, `review_link`). */
  method: string;
  /** Queues detection for both people. */
  queue?: (name: string) => Queue;
}

/** Moves every record of `source` to `target` and marks `source` merged into it. */
export async function mergePeople(props: MergePeopleProps): Promise<{ moved: number }> {
  const sourceId = new Types.ObjectId(String(props.sourceId));
  const targetId = new Types.ObjectId(String(props.targetId));
  if (sourceId.equals(targetId)) throw new ValidationError('targetId: cannot merge a person into themselves', { field: 'targetId' });
  const [source, target] = await Promise.all([Person.findOne({ _id: sourceId, mergedInto: null }), Person.findOne({ _id: targetId, mergedInto: null })]);
  if (!source || !target) throw new ConflictError('person_merged', 'One of these people has already been merged; reload and try again.');
  const move = () => Encounter.updateMany({ personId: sourceId }, { $set: { personId: targetId, 'link.status': 'confirmed', 'link.method': props.method } });
  // Records first, then the mark, then once more for a record linked in between.
  const first = await move();
  const marked = await Person.updateOne({ _id: sourceId, mergedInto: null }, { $set: { mergedInto: targetId } });
  if (marked.modifiedCount !== 1) throw new ConflictError('person_merged', 'That person has already been merged; reload and try again.');
  const second = await move();
  await Promise.all([recomputePerson(targetId), recomputePerson(sourceId)]);
  if (props.queue) await requestDetection(props.queue, [String(targetId), String(sourceId)]);
  return { moved: first.modifiedCount + second.modifiedCount };
}

export interface SplitEncounterProps {
  /** The record to take off its person. */
  encounterId: Id;
  /** The person it is on now (guards against a concurrent change). */
  fromPersonId: Id;
  /** Queues detection for both people. */
  queue?: (name: string) => Queue;
}

/** Moves one record off its person into a new person of its own (unlink). */
export async function splitEncounter(props: SplitEncounterProps): Promise<{ personId: string }> {
  const fromId = new Types.ObjectId(String(props.fromPersonId));
  const enc = await Encounter.findOne({ _id: props.encounterId, personId: fromId });
  if (!enc) throw new NotFoundError('No such record on this person.');
  const others = await Encounter.countDocuments({ personId: fromId });
  if (others <= 1) throw new ConflictError('only_record', 'This is the only record of this person; there is nothing to unlink it from.');
  const newId = new Types.ObjectId();
  await Person.create({ _id: newId, agencyIds: [enc.agencyId] });
  const moved = await Encounter.updateOne({ _id: enc._id, personId: fromId }, { $set: { personId: newId, 'link.status': 'confirmed', 'link.method': 'split', 'link.score': null } });
  if (moved.modifiedCount !== 1) {
    await Person.deleteOne({ _id: newId });
    throw new ConflictError('record_moved', 'That record has moved; reload and try again.');
  }
  await Promise.all([recomputePerson(newId), recomputePerson(fromId)]);
  if (props.queue) await requestDetection(props.queue, [String(fromId), String(newId)]);
  return { personId: String(newId) };
}
