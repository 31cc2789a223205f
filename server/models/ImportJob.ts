import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/** Most problems kept in a report; the count keeps going past it. */
export const MAX_REPORTED_PROBLEMS = 5000;

/**
 * One CSV upload of encounters: its progress and its per-row report. The file's text is held
 * here (never in Redis) only until the import has run.
 */
const importJobSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true, index: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    filename: { type: String, default: null, maxlength: 200 },
    status: { type: String, enum: ['queued', 'running', 'completed', 'failed'], default: 'queued' },
    content: { type: String, default: null },
    total: { type: Number, default: 0 },
    processed: { type: Number, default: 0 },
    created: { type: Number, default: 0 },
    duplicates: { type: Number, default: 0 },
    rejected: { type: Number, default: 0 },
    problemCount: { type: Number, default: 0 },
    problems: {
      type: [new Schema({ row: Number, field: String, problem: String }, { _id: false, strict: 'throw' })],
      default: [],
    },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    /** Why the whole file failed (e.g. a bad header), when it did. */
    error: { type: String, default: null },
  },
  { timestamps: true, strict: 'throw' },
);

export type ImportJobAttrs = InferSchemaType<typeof importJobSchema>;
export type ImportJobDoc = HydratedDocument<ImportJobAttrs>;
export const ImportJob = model('ImportJob', importJobSchema);
