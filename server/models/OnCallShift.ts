import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/**
 * Where a shift comes from: `weekly` shifts are computed from the agency's RotaPattern and never
 * stored; `override` (someone covers a period) and `swap` (two people exchange a period) are
 * stored here and beat the weekly pattern for their period.
 */
export const SHIFT_SOURCES = ['weekly', 'override', 'swap'] as const;
export type ShiftSource = (typeof SHIFT_SOURCES)[number];

/**
 * A one-off on-call period for an escalation level (escalation.json `levels[].id`): `userId` is on
 * call from `from` to `to` (half-open). `agencyId` null is the shared, panel-wide rota, used
 * when an agency has nobody of its own on call. Cancelled shifts are kept for the record.
 */
const onCallShiftSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', default: null },
    level: { type: String, required: true, maxlength: 50 },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    source: { type: String, required: true, enum: SHIFT_SOURCES },
    /** For a swap: who was on call for this period before it. */
    replacesUserId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    cancelledAt: { type: Date, default: null },
    cancelledBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true, strict: 'throw' },
);
onCallShiftSchema.index({ agencyId: 1, level: 1, to: 1 });

export type OnCallShiftAttrs = InferSchemaType<typeof onCallShiftSchema>;
export type OnCallShiftDoc = HydratedDocument<OnCallShiftAttrs>;
export const OnCallShift = model('OnCallShift', onCallShiftSchema);
