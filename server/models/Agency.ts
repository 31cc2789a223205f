import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { AGENCY_KINDS } from './roles';

/** An organisation taking part: police force, trust, ambulance service, safe haven, ... */
const agencySchema = new Schema(
  {
    code: { type: String, required: true, unique: true, match: /^[A-Z0-9_-]{2,20}$/ },
    name: { type: String, required: true, maxlength: 200 },
    kind: { type: String, required: true, enum: AGENCY_KINDS },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, strict: 'throw' },
);

export type AgencyAttrs = InferSchemaType<typeof agencySchema>;
export type AgencyDoc = HydratedDocument<AgencyAttrs>;
export const Agency = model('Agency', agencySchema);
