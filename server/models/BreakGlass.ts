import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/** How long a break-glass grant lasts unless said otherwise (minutes). */
export const BREAK_GLASS_MINUTES = 60;

/** What an IG lead concludes on reviewing a break-glass. */
export const BREAK_GLASS_OUTCOMES = ['appropriate', 'inappropriate'] as const;

/**
 * One break-glass: a user opened a person's records outside the sharing rules (DESIGN.md §5
 * rule 4). The written reason is kept here for the IG lead's review and nowhere else: audit
 * events and logs carry only this record's id.
 */
const breakGlassSchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, ref: 'Person', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** The user's agency; its IG leads review the grant. */
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    reason: { type: String, required: true, minlength: 20, maxlength: 2000 },
    grantedAt: { type: Date, required: true },
    /** The first instant at which the grant no longer opens anything. */
    expiresAt: { type: Date, required: true },
    reviewedAt: { type: Date, default: null },
    reviewedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    reviewOutcome: { type: String, enum: [...BREAK_GLASS_OUTCOMES, null], default: null },
    reviewNote: { type: String, default: null, maxlength: 2000 },
  },
  { timestamps: true, strict: 'throw' },
);
breakGlassSchema.index({ personId: 1, userId: 1, expiresAt: -1 });
breakGlassSchema.index({ agencyId: 1, reviewedAt: 1, grantedAt: -1 });

export type BreakGlassAttrs = InferSchemaType<typeof breakGlassSchema>;
export type BreakGlassDoc = HydratedDocument<BreakGlassAttrs>;
export const BreakGlass = model('BreakGlass', breakGlassSchema);
