import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { DATA_CATEGORY_IDS, PURPOSE_IDS } from './vocab';
import { tellSharingFactsChanges } from './sharingChanges';

export const CONSENT_STATUSES = ['given', 'refused', 'withdrawn', 'not_asked', 'lacks_capacity'] as const;

/**
 * One entry in a person's consent history. The history is append-only (entries are never
 * updated or deleted); the effective consent is computed from it (sharing/consent.ts).
 */
const consentSchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, ref: 'Person', required: true },
    status: { type: String, required: true, enum: CONSENT_STATUSES },
    scope: {
      /** Every agency on the panel (party to a covering agreement), or only `agencies`. */
      allPanel: { type: Boolean, default: false },
      agencies: { type: [{ type: Schema.Types.ObjectId, ref: 'Agency' }], default: [] },
      purposes: { type: [{ type: String, enum: PURPOSE_IDS }], default: [] },
      categories: { type: [{ type: String, enum: DATA_CATEGORY_IDS }], default: [] },
    },
    /** How the consent was obtained (e.g. "signed form", "verbal, witnessed by ..."). */
    evidence: { type: String, default: null, maxlength: 1000 },
    recordedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    recordedByAgency: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    recordedAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
consentSchema.index({ personId: 1, recordedAt: -1 });

/** The history is append-only: in-app edits and deletes are refused outright. */
function appendOnly(): never {
  throw new Error('consent history is append-only: record a new entry instead');
}
consentSchema.pre(['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'], appendOnly);
consentSchema.pre('save', function () {
  if (!this.isNew) appendOnly();
});

export type ConsentAttrs = InferSchemaType<typeof consentSchema>;
export type ConsentDoc = HydratedDocument<ConsentAttrs>;
tellSharingFactsChanges(consentSchema);
export const Consent = model('Consent', consentSchema);
