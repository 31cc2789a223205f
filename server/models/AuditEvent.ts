import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * One entry of the tamper-evident audit log (DESIGN.md §4–5). Entries are hash-chained: `hash`
 * covers the entry's canonical content (every stored field except `_id`, `prevHash` and `hash`)
 * and `prevHash`, the hash of entry `seq - 1` (see server/audit/canonical.ts).
 *
 * No personal data: ids and system codes only. A break-glass justification lives in its own
 * record; the event references that record's id in `basis.ref`.
 *
 * Append only through server/audit/log.ts; the unique index on `seq` is what keeps several
 * appending processes from forking the chain.
 */

/** Every outcome an audited action can have. */
export const AUDIT_OUTCOMES = ['allowed', 'redacted', 'denied', 'succeeded', 'failed'] as const;
/** See AUDIT_OUTCOMES. */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** The actions the workspace audits today; other dotted lower-case codes are accepted too. */
export const AUDIT_ACTIONS = [
  'person.read', 'person.search', 'encounter.read', 'encounter.create', 'encounter.update',
  'consent.create', 'decision.create', 'export', 'break_glass', 'auth.login', 'auth.logout',
  'access.denied', 'sar.export',
] as const;
/** A known action, or any other dotted lower-case code. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {});

/** A code, never free text (purposes, basis kinds, subject types). */
const CODE = /^[a-z][a-z0-9_]{0,39}$/;
/** A dotted lower-case action code. */
const ACTION = /^[a-z][a-z_]*(\.[a-z_]+)*$/;
/** The schema's patterns, for the append path's own check of an input (server/audit/record.ts). */
export const AUDIT_RULES = { code: CODE, action: ACTION } as const;
const HASH = /^[0-9a-f]{64}$/;

const auditEventSchema = new Schema(
  {
    seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
    at: { type: Date, required: true },
    actor: {
      userId: { type: Schema.Types.ObjectId },
      apiClientId: { type: Schema.Types.ObjectId },
      agencyId: { type: Schema.Types.ObjectId },
      roles: { type: [String], default: undefined },
    },
    action: { type: String, required: true, maxlength: 64, match: ACTION },
    subject: {
      type: { type: String, required: true, match: CODE },
      id: { type: String, maxlength: 100 },
      personId: { type: Schema.Types.ObjectId },
    },
    purpose: { type: String, match: CODE },
    outcome: { type: String, required: true, enum: AUDIT_OUTCOMES },
    /** The system's reason code or text (e.g. the sharing module's reason), never notes about a person. */
    reason: { type: String, maxlength: 300 },
    basis: {
      kind: { type: String, match: CODE },
      ref: { type: String, maxlength: 100 },
    },
    requestId: { type: String, maxlength: 100 },
    prevHash: { type: String, required: true, match: HASH },
    hash: { type: String, required: true, match: HASH },
  },
  { strict: 'throw', versionKey: false },
);

auditEventSchema.index({ seq: 1 }, { unique: true });
auditEventSchema.index({ 'subject.personId': 1, seq: -1 }, { sparse: true });
auditEventSchema.index({ 'actor.userId': 1, seq: -1 }, { sparse: true });

/** Refuses in-app edits and deletes: the log is append-only (tampering is still detected by verify). */
function appendOnly(): never {
  throw new Error('audit events are append-only');
}
auditEventSchema.pre(
  ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'],
  appendOnly,
);
auditEventSchema.pre('save', function () {
  if (!this.isNew) appendOnly();
});

/** The fields of an audit event. */
export type AuditEventAttrs = InferSchemaType<typeof auditEventSchema>;
/** Stored shape as read back raw (lean). */
export type AuditEventRaw = AuditEventAttrs & { _id: Types.ObjectId };
/** The audit log model (collection `auditevents`). Append via server/audit/log.ts only. */
export const AuditEvent = model('AuditEvent', auditEventSchema);
/** A hydrated audit event. */
export type AuditEventDoc = ReturnType<(typeof AuditEvent)['hydrate']>;
