import { Schema, model, type InferSchemaType } from 'mongoose';
import { RISK_CATEGORY_IDS, RISK_LEVEL_IDS } from './vocab';

/**
 * An agency's local risk code mapped onto the common taxonomy, so every agency records risk in
 * one language (e.g. police "VUL-MH-3" → mental_state / high).
 */
const codeMapSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    localCode: { type: String, required: true, maxlength: 50 },
    category: { type: String, required: true, enum: RISK_CATEGORY_IDS },
    level: { type: String, required: true, enum: RISK_LEVEL_IDS },
    label: { type: String, default: null, maxlength: 200 },
  },
  { timestamps: true, strict: 'throw' },
);
codeMapSchema.index({ agencyId: 1, localCode: 1 }, { unique: true });

export type AgencyCodeMapAttrs = InferSchemaType<typeof codeMapSchema>;
export const AgencyCodeMap = model('AgencyCodeMap', codeMapSchema);
