import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { DATA_CATEGORY_IDS, PURPOSE_IDS, SENSITIVE_FIELD_IDS } from './vocab';
import { tellSharingFactsChanges } from './sharingChanges';

export const DECISION_BASES = ['vital_interests', 'safeguarding', 'prevent_serious_harm', 'legal_obligation'] as const;
export const DECISION_STATUSES = ['pending_signoff', 'active', 'rejected', 'revoked'] as const;

/**
 * A recorded decision to share without consent. It takes effect when an IG lead signs it off;
 * an emergency decision made out of hours by a duty manager takes effect at once, flagged, and an
 * IG lead reviews it the next working day.
 */
const decisionSchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, ref: 'Person', required: true, index: true },
    basis: { type: String, required: true, enum: DECISION_BASES },
    justification: { type: String, required: true, minlength: 20, maxlength: 4000 },
    scope: {
      agencies: { type: [{ type: Schema.Types.ObjectId, ref: 'Agency' }], required: true },
      purposes: { type: [{ type: String, enum: PURPOSE_IDS }], required: true },
      categories: { type: [{ type: String, enum: DATA_CATEGORY_IDS }], required: true },
      /** Sensitive fields this decision explicitly discloses (usually none). */
      sensitiveFields: { type: [{ type: String, enum: SENSITIVE_FIELD_IDS }], default: [] },
    },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    decidedByAgency: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    decidedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    reviewAt: { type: Date, required: true },
    emergency: { type: Boolean, default: false },
    status: { type: String, enum: DECISION_STATUSES, default: 'pending_signoff' },
    signOff: {
      by: { type: Schema.Types.ObjectId, ref: 'User', default: null },
      at: { type: Date, default: null },
      note: { type: String, default: null, maxlength: 2000 },
    },
  },
  { timestamps: true, strict: 'throw' },
);

export type DecisionAttrs = InferSchemaType<typeof decisionSchema>;
export type DecisionDoc = HydratedDocument<DecisionAttrs>;
tellSharingFactsChanges(decisionSchema);
export const SharingDecision = model('SharingDecision', decisionSchema);
