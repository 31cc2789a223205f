import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/**
 * The master person index: one person known to one or more agencies. Demographics are the best
 * current values from linked encounters; who may see them is decided per viewer (sharing/).
 */
const personSchema = new Schema(
  {
    demographics: {
      givenName: { type: String, default: null, maxlength: 100 },
      familyName: { type: String, default: null, maxlength: 100 },
      /** ISO date YYYY-MM-DD. */
      dateOfBirth: { type: String, default: null, match: /^\d{4}-\d{2}-\d{2}$/ },
      nhsNumber: { type: String, default: null, match: /^\d{10}$/ },
      postcode: { type: String, default: null, maxlength: 10 },
    },
    /**
     * Normalised search terms from every linked record (`f:` family, `g:` given, `d:` birth date,
     * `p:` postcode, `n:` NHS number); search needs two of them to match.
     */
    searchTerms: { type: [String], default: [], index: true },
    /** Agencies holding at least one record about this person (for fast page-level checks). */
    agencyIds: { type: [{ type: Schema.Types.ObjectId, ref: 'Agency' }], default: [], index: true },
    flags: {
      staffSafety: { type: [String], default: [] },
      sharingConcern: { type: Boolean, default: false },
    },
    /**
     * The short "tell it once" summary the person agreed to share, shown at the top of their page
     * to every agency their consent covers.
     */
    tellItOnce: {
      text: { type: String, default: null, maxlength: 2000 },
      updatedAt: { type: Date, default: null },
      updatedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    },
    /**
     * Set when a reviewer merged this person into another: their records moved there, and this
     * id stays only so old links resolve. Consents, decisions and tasks stay on this id (see
     * server/linkage/personMerge.ts).
     */
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Person', default: null },
  },
  { timestamps: true, strict: 'throw' },
);

export type PersonAttrs = InferSchemaType<typeof personSchema>;
export type PersonDoc = HydratedDocument<PersonAttrs>;
export const Person = model('Person', personSchema);
