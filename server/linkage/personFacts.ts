/**
 * Keeping a person's derived fields (agencies that know them, search terms, best demographics)
 * in step with the records linked to them.
 */
import type { Types } from 'mongoose';
import { Encounter, type EncounterDoc } from '../models/Encounter';
import { Person } from '../models/Person';
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

/** Adds a newly linked record's agency and search terms to the person; fills demographic gaps. */
export async function addRecordToPerson(personId: Id, e: SubjectOwner): Promise<void> {
  const person = await Person.findById(personId).select('demographics').lean();
  const incoming = demographicsOf(subjectOf(e));
  const set: Record<string, string> = {};
  for (const field of DEMOGRAPHIC_FIELDS) {
    const value = incoming[field];
    if (value !== null && (person?.demographics?.[field] ?? null) === null) set[`demographics.${field}`] = value;
  }
  await Person.updateOne(
    { _id: personId },
    { $addToSet: { agencyIds: e.agencyId, searchTerms: { $each: searchTerms(subjectOf(e)) } }, ...(Object.keys(set).length ? { $set: set } : {}) },
  );
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
