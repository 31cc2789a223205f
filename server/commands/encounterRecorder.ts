/**
 * Records one encounter for an agency: maps the agency's local risk codes onto the common
 * taxonomy and stores it once per `(agency, externalRef)` (a re-send returns the stored record and
 * writes nothing: the unique index refuses the second copy, so the usual first send costs one
 * write and no lookup). The record is stored unlinked (`link.status: 'pending'`) with the linker's
 * blocking key values and their version; the caller then queues the link job (server/linkage/requestLink.ts).
 */
import { Types } from 'mongoose';
import { Encounter, type EncounterDoc } from '../models/Encounter';
import { AgencyCodeMap } from '../models/AgencyCodeMap';
import { ValidationError } from '../errors';
import type { EncounterInputType } from '../routes/encounters/schema';
import { normalisePostcode } from './personLinker';
import { blockingValuesOf, blockingVersionOf, normaliseSubject } from '../linkage/subject';

export interface EncounterRecorderProps {
  /** The agency the record belongs to (the caller's own agency, never taken from the body). */
  agencyId: Types.ObjectId;
  /** The validated input. */
  input: EncounterInputType;
  /** How it arrived. */
  source: 'api' | 'user' | 'csv';
  /** Who sent it. */
  createdBy: { userId?: Types.ObjectId; apiClientId?: Types.ObjectId };
  /** The CSV import this row comes from. */
  importId?: Types.ObjectId;
  /** Local code → taxonomy map, preloaded by bulk callers (CSV) to avoid one query per row. */
  codeMap?: Map<string, { category: string; level: string }>;
}

/** Loads an agency's local risk-code map. */
export async function loadCodeMap(agencyId: Types.ObjectId): Promise<Map<string, { category: string; level: string }>> {
  const rows = await AgencyCodeMap.find({ agencyId }).lean();
  return new Map(rows.map((r) => [r.localCode, { category: r.category, level: r.level }]));
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Stores the encounter, unlinked; `created` is false when the agency had already sent it. */
export async function recordEncounter(props: EncounterRecorderProps): Promise<{ encounter: EncounterDoc; created: boolean }> {
  const { agencyId, input } = props;
  // The code map is read only when a risk indicator needs it.
  const needsMap = input.riskIndicators.some((r) => r.localCode && (r.category === undefined || r.level === undefined));
  const codeMap = props.codeMap ?? (needsMap ? await loadCodeMap(agencyId) : new Map<string, { category: string; level: string }>());
  const riskIndicators = input.riskIndicators.map((r, i) => {
    if (r.localCode && (r.category === undefined || r.level === undefined)) {
      const mapped = codeMap.get(r.localCode);
      if (!mapped) throw new ValidationError(`riskIndicators.${i}.localCode: is not mapped to the common taxonomy for your agency`, { field: `riskIndicators.${i}.localCode` });
      return { category: mapped.category, level: mapped.level, localCode: r.localCode, note: r.note ?? null };
    }
    return { category: r.category as string, level: r.level as string, localCode: r.localCode ?? null, note: r.note ?? null };
  });

  const _id = new Types.ObjectId();
  const subject = { ...input.subject, postcode: normalisePostcode(input.subject.postcode) };
  const blockingKeys = blockingValuesOf(normaliseSubject(String(_id), String(agencyId), subject));
  let encounter: EncounterDoc;
  try {
    encounter = await Encounter.create({
      _id,
      agencyId,
      externalRef: input.externalRef,
      occurredAt: input.occurredAt,
      kind: input.kind,
      subject,
      riskIndicators,
      summary: input.summary ?? null,
      categories: input.categories,
      sensitive: input.sensitive,
      source: props.source,
      importId: props.importId ?? null,
      createdBy: { userId: props.createdBy.userId ?? null, apiClientId: props.createdBy.apiClientId ?? null },
      blockingKeys,
      blockingVersion: blockingVersionOf(),
      personId: null,
      link: { status: 'pending', score: null, method: null },
    });
  } catch (err) {
    // A re-send (or two sends of the same record at once): the unique index keeps one.
    if (!isDuplicateKey(err)) throw err;
    const stored = await Encounter.findOne({ agencyId, externalRef: input.externalRef });
    if (!stored) throw err;
    return { encounter: stored, created: false };
  }
  return { encounter, created: true };
}
