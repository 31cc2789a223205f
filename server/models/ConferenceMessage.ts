import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

export const MESSAGE_KINDS = ['text', 'risk', 'action', 'decision', 'system'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Longest message body, in characters. */
export const MAX_MESSAGE_CHARS = 4000;

/** An earlier version of a message, kept when it is edited or redacted (for IG review). */
const revisionSchema = new Schema(
  {
    body: { type: String, default: null, maxlength: MAX_MESSAGE_CHARS },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    action: { type: String, required: true, enum: ['edit', 'redact'] },
  },
  { _id: false, strict: 'throw' },
);

/**
 * One message in a conference room (DESIGN.md §4, §7). `seq` is allocated atomically on the
 * conference and is unique per conference, so a reconnecting client asks for `seq > lastSeq` and
 * gets exactly what it missed. `clientId` (unique per conference) makes a retried send
 * idempotent. `void` marks a sequence number that was allocated but carries no message (a send
 * that lost a race with its own retry), so the sequence stays gap-free.
 */
const conferenceMessageSchema = new Schema(
  {
    conferenceId: { type: Schema.Types.ObjectId, ref: 'Conference', required: true },
    seq: { type: Number, required: true, min: 1 },
    clientId: { type: String, default: undefined, maxlength: 64 },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', default: null },
    kind: { type: String, required: true, enum: MESSAGE_KINDS },
    body: { type: String, default: null, maxlength: MAX_MESSAGE_CHARS },
    /** The structured item (risk entry, decision, action) a `risk`/`decision`/`action` message announces. */
    itemId: { type: Schema.Types.ObjectId, default: null },
    editedAt: { type: Date, default: null },
    redacted: { type: Boolean, default: false },
    void: { type: Boolean, default: false },
    history: { type: [revisionSchema], default: [] },
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: 'throw' },
);
conferenceMessageSchema.index({ conferenceId: 1, seq: 1 }, { unique: true });
conferenceMessageSchema.index(
  { conferenceId: 1, clientId: 1 },
  { unique: true, partialFilterExpression: { clientId: { $type: 'string' } } },
);

export type ConferenceMessageAttrs = InferSchemaType<typeof conferenceMessageSchema>;
export type ConferenceMessageDoc = HydratedDocument<ConferenceMessageAttrs>;
export const ConferenceMessage = model('ConferenceMessage', conferenceMessageSchema);
