import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { DATA_CATEGORY_IDS, ENCOUNTER_KIND_IDS, RISK_CATEGORY_IDS, RISK_LEVEL_IDS } from './vocab';

/** One risk indicator in the common taxonomy (mapped from the agency's local code if one was sent). */
const riskIndicatorSchema = new Schema(
  {
    category: { type: String, required: true, enum: RISK_CATEGORY_IDS },
    level: { type: String, required: true, enum: RISK_LEVEL_IDS },
    /** The agency's own code, when the indicator arrived as one. */
    localCode: { type: String, default: null, maxlength: 50 },
    note: { type: String, default: null, maxlength: 1000 },
  },
  { _id: false, strict: 'throw' },
);

/**
 * One agency's record of a contact with a person. `(agencyId, externalRef)` is unique, so a
 * re-sent record or a re-uploaded file never duplicates.
 */
const encounterSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    /** The agency's own reference for the record. */
    externalRef: { type: String, required: true, maxlength: 100 },
    occurredAt: { type: Date, required: true },
    kind: { type: String, required: true, enum: ENCOUNTER_KIND_IDS },
    /** The person as the agency recorded them. */
    subject: {
      givenName: { type: String, default: null, maxlength: 100 },
      familyName: { type: String, default: null, maxlength: 100 },
      dateOfBirth: { type: String, default: null },
      nhsNumber: { type: String, default: null },
      postcode: { type: String, default: null, maxlength: 10 },
      address: { type: String, default: null, maxlength: 300 },
      phone: { type: String, default: null, maxlength: 30 },
    },
    riskIndicators: { type: [riskIndicatorSchema], default: [] },
    summary: { type: String, default: null, maxlength: 4000 },
    /** Data categories the record holds; sharing agreements and consent are checked against them. */
    categories: { type: [{ type: String, enum: DATA_CATEGORY_IDS }], default: [] },
    /** Sensitive fields: never cross agencies without an explicit per-field decision. */
    sensitive: {
      safeAddress: { type: String, default: null, maxlength: 300 },
      newPhone: { type: String, default: null, maxlength: 30 },
      domesticAbuseDisclosure: { type: String, default: null, maxlength: 2000 },
    },
    /**
     * The linker's blocking key values for the normalised subject (workers/linkage/block.ts):
     * the link job finds candidate records by them. Written when the record is stored, and
     * rewritten (server/linkage/rekey.ts) when the blocking keys in the matching model change.
     */
    blockingKeys: { type: [String], default: [], index: true },
    /**
     * The version of the blocking keys `blockingKeys` were computed under
     * (server/linkage/subject.ts `blockingVersionOf`); null for records stored before versions.
     */
    blockingVersion: { type: String, default: null },
    /** The person the record belongs to; null until the link job has run. */
    personId: { type: Schema.Types.ObjectId, ref: 'Person', default: null, index: true },
    /**
     * pending: stored, not yet linked; auto: linked (or a new person made) by the link job;
     * review: held on a provisional person while a match review is open; confirmed: placed by a
     * reviewer (link, not a match, unlink or merge).
     */
    link: {
      status: { type: String, enum: ['pending', 'auto', 'confirmed', 'review', 'rejected'], default: 'pending' },
      score: { type: Number, default: null },
      method: { type: String, default: null },
    },
    source: { type: String, enum: ['api', 'user', 'csv'], required: true },
    /** The CSV import that created it, so a retried import counts its own rows as created. */
    importId: { type: Schema.Types.ObjectId, ref: 'ImportJob', default: null },
    createdBy: {
      userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
      apiClientId: { type: Schema.Types.ObjectId, ref: 'ApiClient', default: null },
    },
  },
  { timestamps: true, strict: 'throw' },
);
encounterSchema.index({ agencyId: 1, externalRef: 1 }, { unique: true });
encounterSchema.index({ personId: 1, occurredAt: -1 });
// The link sweep's query: records still pending, oldest first.
encounterSchema.index({ 'link.status': 1, createdAt: 1 });

export type EncounterAttrs = InferSchemaType<typeof encounterSchema>;
export type EncounterDoc = HydratedDocument<EncounterAttrs>;
export const Encounter = model('Encounter', encounterSchema);
