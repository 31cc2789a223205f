/**
 * Keeping a person's derived fields (agencies that know them, search terms, best demographics)
 * in step with the records linked to them.
 */
import type { Types } from 'mongoose';
import { Encounter, type EncounterDoc } from '../models/Encounter';
import { Person } from '../models/Person';
import { asObjectId } from '../models/objectId';
import { DEMOGRAPHIC_FIELDS, demographicsOf, searchTerms } from '../commands/personLinker';

type Id = Types.ObjectId | string;
type SubjectOwner = Pick<EncounterDoc, 'agencyId' | 'subject'>;

function subjectOf(e: SubjectOwner) {
  return e.subject ?? {};
}

/**
 * Creates the person with this id for a record, or adds the record's facts to it when it already
 * exists (an upsert: a retried job reuses the person it made before).
 */
export async function upsertPersonFor(personId: Id, e: SubjectOwner): Promise<void> {
  await Person.updateOne(
    { _id: personId },
    {
      $setOnInsert: { demographics: demographicsOf(subjectOf(e)) },
      $addToSet: { agencyIds: e.agencyId, searchTerms: { $each: searchTerms(subjectOf(e)) } },
    },
    { upsert: true },
  );
}

/** What detection needs of a person: the agencies that know them, and whether they were merged away. */
export interface PersonFacts {
  agencyIds: Types.ObjectId[];
  mergedInto: Types.ObjectId | null;
}

/**
 * Adds a newly linked record's agency and search terms to the person, and fills demographic gaps
 * with the record's values. One write in the usual case: the agency and terms are added and the
 * person as it was is returned by the same operation; only when the record has a value for a
 * field the person lacks is a second write made, which sets it only while it is still empty (a
 * record linked meanwhile may have filled it). Returns the person's facts as this write leaves
 * them (the agencies before plus the record's), so the detection that follows need not read the
 * person again; null if there is no such person.
 */
export async function addRecordToPerson(personId: Id, e: SubjectOwner): Promise<PersonFacts | null> {
  // Raw driver (every auto-link makes this write; the values are the record's own, already stored
  // through the schema), with the schema's timestamp set by hand.
  const person = await Person.collection.findOneAndUpdate(
    { _id: asObjectId(personId) },
    { $addToSet: { agencyIds: e.agencyId, searchTerms: { $each: searchTerms(subjectOf(e)) } }, $set: { updatedAt: new Date() } },
    { returnDocument: 'before', projection: { demographics: 1, agencyIds: 1, mergedInto: 1 } },
  ) as { demographics?: Partial<Record<(typeof DEMOGRAPHIC_FIELDS)[number], unknown>>; agencyIds?: Types.ObjectId[]; mergedInto?: Types.ObjectId | null } | null;
  if (!person) return null;
  const incoming = demographicsOf(subjectOf(e));
  const gaps = DEMOGRAPHIC_FIELDS.filter((field) => incoming[field] !== null && (person.demographics?.[field] ?? null) === null);
  await Promise.all(gaps.map((field) => Person.updateOne({ _id: personId, [`demographics.${field}`]: null }, { $set: { [`demographics.${field}`]: incoming[field] } })));
  const known = person.agencyIds ?? [];
  const agencyIds = known.some((a) => String(a) === String(e.agencyId)) ? known : [...known, e.agencyId];
  return { agencyIds, mergedInto: person.mergedInto ?? null };
}

/**
 * Rebuilds a person's agencies, search terms and demographics from the records still linked to
 * them (after an unlink, a merge or a split). Demographics take the most recent record's value
 * for each field. A person with no records left keeps their demographics but no agencies.
 */
export async function recomputePerson(personId: Id): Promise<void> {
  const records = await Encounter.find({ personId }).sort({ occurredAt: -1 }).select('agencyId subject occurredAt').lean();
  const agencyIds = [...new Map(records.map((r) => [String(r.agencyId), r.agencyId])).values()];
  const terms = [...new Set(records.flatMap((r) => searchTerms(r.subject ?? {})))];
  const set: Record<string, unknown> = { agencyIds, searchTerms: terms };
  if (records.length) {
    for (const field of DEMOGRAPHIC_FIELDS) {
      const found = records.map((r) => demographicsOf(r.subject ?? {})[field]).find((v) => v !== null);
      set[`demographics.${field}`] = found ?? null;
    }
  }
  await Person.updateOne({ _id: personId }, { $set: set });
}
