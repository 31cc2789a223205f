import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { WEEKDAYS } from '../../config/domain';

/**
 * One repeating slot: on each of `days`, `userId` is on call from `start` to `end`, local time
 * (business-hours.json time zone). An `end` at or before `start` ends the next day, so
 * `18:00`–`09:00` is an overnight shift; `00:00`–`00:00` is a whole day.
 */
const slotSchema = new Schema(
  {
    days: { type: [{ type: String, enum: WEEKDAYS }], required: true },
    start: { type: String, required: true, match: /^([01]\d|2[0-3]):[0-5]\d$/ },
    end: { type: String, required: true, match: /^([01]\d|2[0-3]):[0-5]\d$/ },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { _id: false, strict: 'throw' },
);

/**
 * The weekly on-call pattern of one agency (null: the shared, panel-wide rota) for one escalation
 * level. Earlier slots win where two overlap; overrides and swaps (OnCallShift) beat the pattern.
 */
const rotaPatternSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', default: null },
    level: { type: String, required: true, maxlength: 50 },
    slots: { type: [slotSchema], default: [] },
    updatedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true, strict: 'throw' },
);
rotaPatternSchema.index({ agencyId: 1, level: 1 }, { unique: true });

export type RotaPatternAttrs = InferSchemaType<typeof rotaPatternSchema>;
export type RotaPatternDoc = HydratedDocument<RotaPatternAttrs>;
export const RotaPattern = model('RotaPattern', rotaPatternSchema);
