import { Schema, model, Types, type InferSchemaType, type HydratedDocument } from 'mongoose';
import type { Document, UpdateFilter } from 'mongodb';

const { ObjectId } = Types;
import { SEVERITIES } from '../../config/domain';

export const ALERT_STATUSES = ['open', 'acknowledged', 'in_review', 'conference', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * How the person's consent shapes the alert: `consented` → the panel sees the shareable evidence;
 * `no_consent` → the panel sees a pseudonymous alert and a key worker is asked to seek consent;
 * `refused` → only IG leads and duty managers are told (DESIGN.md §5).
 */
export const SHARING_STATES = ['consented', 'no_consent', 'refused'] as const;
export type SharingState = (typeof SHARING_STATES)[number];

/** Who is told and who may open the alert. */
export const AUDIENCE_MODES = ['panel', 'pseudonymous', 'restricted'] as const;
export type AudienceMode = (typeof AUDIENCE_MODES)[number];

export const TIMELINE_KINDS = [
  'raised',
  'evidence_updated',
  'severity_changed',
  'audience_changed',
  'notified',
  'routed',
  'acknowledged',
  'assigned',
  'note',
  'conference_scheduled',
  'escalated',
  'handed_over',
  're_notified',
  'closed',
  'reopened',
] as const;

/** One step in the alert's history (also in the audit log). Notes hold no personal data by policy. */
const timelineEntrySchema = new Schema(
  {
    at: { type: Date, required: true },
    kind: { type: String, required: true, enum: TIMELINE_KINDS },
    actorUserId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    actorAgencyId: { type: Schema.Types.ObjectId, ref: 'Agency', default: null },
    /** Free text written by a user (notes, closing remarks). */
    text: { type: String, default: null, maxlength: 4000 },
    /** Small structured detail: e.g. `{from: 'medium', to: 'high'}` or `{level: 2}`. */
    detail: { type: Schema.Types.Mixed, default: null },
  },
  { _id: true, strict: 'throw' },
);

/** One escalation step taken because nobody acknowledged in time (issue: out-of-hours duty). */
const escalationSchema = new Schema(
  {
    level: { type: Number, required: true },
    at: { type: Date, required: true },
    userIds: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
  },
  { _id: false, strict: 'throw' },
);

const sub = { _id: false, strict: 'throw' } as const;

/** Who is told and may open the alert: staff of `agencyIds` holding one of `roles`. */
const audienceSchema = new Schema(
  {
    mode: { type: String, required: true, enum: AUDIENCE_MODES },
    agencyIds: { type: [{ type: Schema.Types.ObjectId, ref: 'Agency' }], default: [] },
    roles: { type: [String], default: [] },
  },
  sub,
);

/** Where routing sent it: in hours to the audience, out of hours to the on-call duty manager. */
const routedToSchema = new Schema(
  {
    mode: { type: String, enum: ['in_hours', 'out_of_hours', null], default: null },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', default: null },
    userIds: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
    level: { type: Number, default: null },
  },
  sub,
);

/** Counts that can be shown even pseudonymously ("a person known to 3 agencies"). */
const summarySchema = new Schema(
  {
    agencyCount: { type: Number, default: 0 },
    encounterCount: { type: Number, default: 0 },
    firstAt: { type: Date, default: null },
    lastAt: { type: Date, default: null },
  },
  sub,
);

const outcomeSchema = new Schema(
  {
    code: { type: String, default: null, maxlength: 50 },
    note: { type: String, default: null, maxlength: 4000 },
    closedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    closedAt: { type: Date, default: null },
  },
  sub,
);

/**
 * The notification outbox: `version` goes up whenever recipients must be told something new;
 * the detection run that wrote the alert sends the round and then records `sentVersion`; a round
 * it could not send goes to a notify job (job id `notify-<alertId>-<version>`), and the sweeper
 * re-queues alerts whose `sentVersion` lags.
 */
const outboxSchema = new Schema(
  {
    version: { type: Number, default: 1 },
    sentVersion: { type: Number, default: 0 },
    /** Set while a round is unsent (and re-set each time the sweeper re-queues it). */
    pendingSince: { type: Date, default: null },
  },
  sub,
);

/**
 * A review alert: the detection rule `ruleId` fired for a person. One open alert per (person, rule):
 * `openKey` is `<personId>:<ruleId>` while the alert is not closed and absent after, under a unique
 * partial index, so raising is idempotent and new evidence updates the open alert.
 */
const alertSchema = new Schema(
  {
    personId: { type: Schema.Types.ObjectId, ref: 'Person', required: true },
    ruleId: { type: String, required: true, maxlength: 100 },
    /** The alert-rules.json version the rule came from. */
    ruleVersion: { type: String, default: null },
    severity: { type: String, required: true, enum: SEVERITIES },
    status: { type: String, required: true, enum: ALERT_STATUSES, default: 'open' },
    openKey: { type: String, default: undefined },
    /** Encounters that made the rule fire, newest first. */
    evidence: { type: [{ type: Schema.Types.ObjectId, ref: 'Encounter' }], default: [] },
    /**
     * Agencies whose records are in the evidence, in the order they first appear in it: the first
     * is the agency that saw the person last.
     */
    evidenceAgencyIds: { type: [{ type: Schema.Types.ObjectId, ref: 'Agency' }], default: [] },
    /** Counts that can be shown even pseudonymously ("a person known to 3 agencies"). */
    summary: { type: summarySchema, default: () => ({}) },
    sharingState: { type: String, required: true, enum: SHARING_STATES },
    audience: { type: audienceSchema, required: true },
    /** Where routing sent it: in hours to the audience, out of hours to the on-call duty manager. */
    routedTo: { type: routedToSchema, default: () => ({}) },
    ackDeadline: { type: Date, default: null },
    escalations: { type: [escalationSchema], default: [] },
    acknowledgedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    acknowledgedAt: { type: Date, default: null },
    assignedTo: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    conferenceId: { type: Schema.Types.ObjectId, ref: 'Conference', default: null },
    outcome: { type: outcomeSchema, default: () => ({}) },
    timeline: { type: [timelineEntrySchema], default: [] },
    /**
     * The notification outbox: `version` goes up whenever recipients must be told something new;
     * the notify job (job id `<alertId>:<version>`) sends and then records `sentVersion`. The
     * sweeper re-queues alerts whose `sentVersion` lags.
     */
    outbox: { type: outboxSchema, default: () => ({}) },
  },
  { timestamps: true, strict: 'throw' },
);
alertSchema.index({ openKey: 1 }, { unique: true, partialFilterExpression: { openKey: { $type: 'string' } } });
alertSchema.index({ personId: 1, status: 1 });
alertSchema.index({ 'audience.agencyIds': 1, status: 1, updatedAt: -1 });
alertSchema.index({ status: 1, ackDeadline: 1 });
alertSchema.index({ 'outbox.pendingSince': 1 }, { sparse: true });

export type AlertAttrs = InferSchemaType<typeof alertSchema>;
export type AlertDoc = HydratedDocument<AlertAttrs>;
/** A stored alert as a plain object (a lean read): what code that only reads an alert takes. */
export type AlertRecord = AlertAttrs & { _id: Types.ObjectId };
export const Alert = model('Alert', alertSchema);

/** What a timeline entry says; the rest of its fields take the schema's defaults. */
export interface TimelineInput {
  at: Date;
  kind: (typeof TIMELINE_KINDS)[number];
  detail?: Record<string, unknown> | null;
  actorUserId?: Types.ObjectId | null;
  actorAgencyId?: Types.ObjectId | null;
  text?: string | null;
}

/**
 * A timeline entry as the schema stores it (its own id, defaults filled), for the alert writes
 * on every ingest's path that go through the driver rather than mongoose's casting
 * (test/alerts/alertRecord.test.ts holds it to the schema).
 */
export function timelineEntry(e: TimelineInput) {
  return { _id: new ObjectId(), at: e.at, kind: e.kind, actorUserId: e.actorUserId ?? null, actorAgencyId: e.actorAgencyId ?? null, text: e.text ?? null, detail: e.detail ?? null };
}

/**
 * The `$push` of one timeline entry, for those driver updates (the driver's update types cannot
 * say that an untyped collection's `timeline` is an array).
 */
export function pushTimeline(e: TimelineInput): UpdateFilter<Document> {
  return { $push: { timeline: timelineEntry(e) } } as unknown as UpdateFilter<Document>;
}

/** The open-alert key of a (person, rule). */
export function openKeyOf(personId: unknown, ruleId: string): string {
  return `${String(personId)}:${ruleId}`;
}
