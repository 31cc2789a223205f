import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/** Where a review stands. `unsure` stays in the queue for another look. */
export const MATCH_REVIEW_STATUSES = ['open', 'linked', 'not_a_match', 'unsure'] as const;
export type MatchReviewStatus = (typeof MATCH_REVIEW_STATUSES)[number];

/** Statuses still waiting for a decision. */
export const UNDECIDED_STATUSES: readonly MatchReviewStatus[] = ['open', 'unsure'];

/** One comparison's level and match weight for a pair (workers/linkage/compare.ts). */
const evidenceSchema = new Schema(
  {
    comparison: { type: String, required: true, maxlength: 40 },
    level: { type: String, required: true, maxlength: 40 },
    weight: { type: Number, required: true },
  },
  { _id: false, strict: 'throw' },
);

/** A person the record may belong to, with the record of theirs that scored best. */
const candidateSchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, ref: 'Person', required: true },
    score: { type: Number, required: true },
    /** The candidate's record the evidence compares against. */
    matchedEncounterId: { type: Schema.Types.ObjectId, ref: 'Encounter', required: true },
    evidence: { type: [evidenceSchema], default: [] },
  },
  { _id: false, strict: 'throw' },
);

/**
 * A labelled pair for training the matching model: the reviewed record, a candidate's record and
 * what the reviewer said about them. Ids only.
 */
const labelSchema = new Schema(
  {
    encounterId: { type: Schema.Types.ObjectId, ref: 'Encounter', required: true },
    otherEncounterId: { type: Schema.Types.ObjectId, ref: 'Encounter', required: true },
    outcome: { type: String, required: true, enum: ['match', 'non_match', 'unsure'] },
  },
  { _id: false, strict: 'throw' },
);

/** One reviewer's decision, kept in order (an `unsure` may be followed by a final decision). */
const decisionSchema = new Schema(
  {
    decision: { type: String, required: true, enum: ['link', 'not_a_match', 'unsure'] },
    personId: { type: Schema.Types.ObjectId, ref: 'Person', default: null },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
    note: { type: String, default: null, maxlength: 1000 },
  },
  { _id: false, strict: 'throw' },
);

/**
 * A record the linker could not place with confidence (a best match weight between the
 * thresholds, or several people above the upper one). The record waits on a provisional person
 * of its own until a reviewer of its agency links it to a candidate, confirms it is nobody else,
 * or marks it unsure. One review per encounter.
 */
const matchReviewSchema = new Schema(
  {
    encounterId: { type: Schema.Types.ObjectId, ref: 'Encounter', required: true },
    /** The encounter's agency: its reviewers decide. */
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true, index: true },
    /** The person made for the record while it waits (its id is the encounter's id). */
    provisionalPersonId: { type: Schema.Types.ObjectId, ref: 'Person', required: true },
    candidates: { type: [candidateSchema], default: [] },
    status: { type: String, enum: MATCH_REVIEW_STATUSES, default: 'open' },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    decidedAt: { type: Date, default: null },
    /** The reviewer's note (free text: never logged or audited). */
    note: { type: String, default: null, maxlength: 1000 },
    /** Every decision made on it, oldest first. */
    decisions: { type: [decisionSchema], default: [] },
    /** The latest decision as training pairs (replaced by each decision). */
    labels: { type: [labelSchema], default: [] },
  },
  { timestamps: true, strict: 'throw' },
);
matchReviewSchema.index({ encounterId: 1 }, { unique: true });
matchReviewSchema.index({ agencyId: 1, status: 1, createdAt: -1 });

export type MatchReviewAttrs = InferSchemaType<typeof matchReviewSchema>;
export type MatchReviewDoc = HydratedDocument<MatchReviewAttrs>;
export const MatchReview = model('MatchReview', matchReviewSchema);
