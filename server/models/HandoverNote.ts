import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/**
 * What an outgoing on-call manager wants the next one to know. Written ahead (or at handover);
 * the next shift-end handover attaches the latest unused note to each alert's timeline entry and
 * marks it used. Notes follow the timeline's rule: no personal data.
 */
const handoverNoteSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    text: { type: String, required: true, maxlength: 4000 },
    usedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
handoverNoteSchema.index({ userId: 1, usedAt: 1, createdAt: -1 });

export type HandoverNoteAttrs = InferSchemaType<typeof handoverNoteSchema>;
export type HandoverNoteDoc = HydratedDocument<HandoverNoteAttrs>;
export const HandoverNote = model('HandoverNote', handoverNoteSchema);
