import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

export const TASK_KINDS = [
  'seek_consent',
  'consent_expiring',
  'review_break_glass',
  'review_decision',
  'sign_off_decision',
  // An action agreed at a case conference, owned by the assignee; and its overdue flag for the chair.
  'conference_action',
  'conference_action_overdue',
] as const;

/**
 * Work for a person or a role in an agency: seek consent, renew it before it expires, review an
 * emergency access or decision. Shown on the assignee's task list; ids only in the subject.
 */
const taskSchema = new Schema(
  {
    kind: { type: String, required: true, enum: TASK_KINDS },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    /** A named user, or anyone in the agency holding `assigneeRole`. */
    assigneeUserId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    assigneeRole: { type: String, default: null },
    subject: {
      type: { type: String, required: true },
      id: { type: Schema.Types.ObjectId, default: null },
      personId: { type: Schema.Types.ObjectId, ref: 'Person', default: null },
    },
    /** Makes raising idempotent: one open task per key (e.g. `consent_expiring:<consentId>`). */
    dedupeKey: { type: String, required: true },
    dueAt: { type: Date, default: null },
    status: { type: String, enum: ['open', 'done', 'dismissed'], default: 'open' },
    completedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    completedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
taskSchema.index({ dedupeKey: 1 }, { unique: true });
taskSchema.index({ agencyId: 1, status: 1, dueAt: 1 });

export type TaskAttrs = InferSchemaType<typeof taskSchema>;
export type TaskDoc = HydratedDocument<TaskAttrs>;
export const Task = model('Task', taskSchema);
