import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { RISK_CATEGORY_IDS, RISK_LEVEL_IDS } from './vocab';
import { tellSharingFactsChanges } from './sharingChanges';

export const CONFERENCE_STATUSES = ['scheduled', 'live', 'closed'] as const;
export type ConferenceStatus = (typeof CONFERENCE_STATUSES)[number];

/** How a conference ended (the chair picks one when closing). */
export const CONFERENCE_OUTCOMES = ['plan_agreed', 'monitor', 'escalated', 'no_further_action', 'adjourned'] as const;
export type ConferenceOutcome = (typeof CONFERENCE_OUTCOMES)[number];

export const ACTION_STATUSES = ['open', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Someone invited to the conference. Removal is recorded rather than deleted, for the minutes. */
const participantSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    role: { type: String, required: true, enum: ['chair', 'member'] },
    invitedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    invitedAt: { type: Date, required: true },
    removedAt: { type: Date, default: null },
    /** First time they joined the room: they count as an attendee in the minutes. */
    attendedAt: { type: Date, default: null },
  },
  { _id: false, strict: 'throw' },
);

const agendaItemSchema = new Schema(
  {
    text: { type: String, required: true, maxlength: 500 },
    done: { type: Boolean, default: false },
  },
  { _id: true, strict: 'throw' },
);

/** A risk assessment entry in the common taxonomy, contributed by one agency. */
const riskEntrySchema = new Schema(
  {
    category: { type: String, required: true, enum: RISK_CATEGORY_IDS },
    level: { type: String, required: true, enum: RISK_LEVEL_IDS },
    rationale: { type: String, required: true, maxlength: 2000 },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: true, strict: 'throw' },
);

const decisionSchema = new Schema(
  {
    text: { type: String, required: true, maxlength: 2000 },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: true, strict: 'throw' },
);

/** An action agreed at the conference, owned by one participant; it is on their task list. */
const actionSchema = new Schema(
  {
    text: { type: String, required: true, maxlength: 1000 },
    ownerUserId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    ownerAgencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    dueAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ACTION_STATUSES, default: 'open' },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    createdAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    /** Set once the owner has been reminded that it falls due soon. */
    remindedAt: { type: Date, default: null },
    /** Set once it has been flagged overdue (and the chair told). */
    overdueAt: { type: Date, default: null },
  },
  { _id: true, strict: 'throw' },
);

/**
 * A live multi-agency case conference about one person (DESIGN.md §4, §7). Messages live in
 * ConferenceMessage, numbered in Redis (server/conferences/sequence.ts). Participants' agencies must have a sharing basis for the person;
 * what each participant sees is decided per agency from that basis (server/conferences/basis.ts).
 */
const conferenceSchema = new Schema(
  {
    title: { type: String, required: true, maxlength: 200 },
    personId: { type: Schema.Types.ObjectId, ref: 'Person', required: true },
    alertId: { type: Schema.Types.ObjectId, ref: 'Alert', default: null },
    chairId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    chairAgencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    scheduledFor: { type: Date, required: true },
    status: { type: String, required: true, enum: CONFERENCE_STATUSES, default: 'scheduled' },
    participants: { type: [participantSchema], default: [] },
    /** The purpose every sharing decision about this conference is made for. */
    basisRef: {
      purpose: { type: String, required: true, default: 'risk_panel' },
      /** Agreements in force between the invited agencies when each was invited. */
      agreementIds: { type: [{ type: Schema.Types.ObjectId, ref: 'SharingAgreement' }], default: [] },
    },
    agenda: { type: [agendaItemSchema], default: [] },
    risks: { type: [riskEntrySchema], default: [] },
    decisions: { type: [decisionSchema], default: [] },
    actions: { type: [actionSchema], default: [] },
    /** Highest level per risk category at close, across every agency's entries. */
    riskSnapshot: {
      type: [new Schema({ category: { type: String, required: true }, level: { type: String, required: true } }, { _id: false })],
      default: [],
    },
    /** Sequence numbers allocated before they moved to Redis (conferences/sequence.ts seeds from it). */
    lastSeq: { type: Number, required: true, default: 0 },
    startedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    outcome: {
      code: { type: String, enum: [...CONFERENCE_OUTCOMES, null], default: null },
      summary: { type: String, default: null, maxlength: 4000 },
      closedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    },
  },
  { timestamps: true, strict: 'throw' },
);
conferenceSchema.index({ 'participants.userId': 1, status: 1, scheduledFor: 1 });
conferenceSchema.index({ 'actions.status': 1, 'actions.dueAt': 1 });
conferenceSchema.index({ alertId: 1 }, { sparse: true });

export type ConferenceAttrs = InferSchemaType<typeof conferenceSchema>;
export type ConferenceDoc = HydratedDocument<ConferenceAttrs>;
export type ParticipantAttrs = ConferenceAttrs['participants'][number];
export type ActionAttrs = ConferenceAttrs['actions'][number] & { _id: Types.ObjectId };
// Every write may change who takes part or whether it is live; messages live elsewhere.
tellSharingFactsChanges(conferenceSchema);
export const Conference = model('Conference', conferenceSchema);
