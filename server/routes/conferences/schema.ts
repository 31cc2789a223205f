import { z } from 'zod';
import { CONFERENCE_OUTCOMES } from '../../models/Conference';
import { MAX_MESSAGE_CHARS } from '../../models/ConferenceMessage';
import { RISK_CATEGORY_IDS, RISK_LEVEL_IDS } from '../../models/vocab';
import { isoDate, isoDateTime, objectId, text } from '../common';

const line = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** POST /api/conferences — from a person or from an alert (exactly one). */
export const CreateConferenceInput = z
  .object({
    title: z.string().trim().min(3, 'must be at least 3 characters').max(200),
    scheduledFor: isoDateTime,
    personId: objectId.optional(),
    alertId: objectId.optional(),
    agenda: z.array(line(500)).max(30).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (Boolean(d.personId) === Boolean(d.alertId)) ctx.addIssue({ code: 'custom', path: ['personId'], message: 'give either personId or alertId' });
  });
export type CreateConferenceInputType = z.infer<typeof CreateConferenceInput>;

/** GET /api/conferences — upcoming (scheduled), live or closed; all when omitted. */
export const ListQuery = z.object({ status: z.enum(['upcoming', 'live', 'closed']).optional() }).strict();

/** PUT /api/conferences/:id/agenda — the whole agenda, in order. */
export const AgendaInput = z
  .object({ items: z.array(z.object({ text: line(500), done: z.boolean().default(false) }).strict()).max(30) })
  .strict();

/** POST /api/conferences/:id/participants */
export const InviteInput = z.object({ userId: objectId }).strict();

/** /api/conferences/:id/participants/:userId */
export const ParticipantParams = z.object({ id: objectId, userId: objectId }).strict();

/** POST /api/conferences/:id/close */
export const CloseInput = z.object({ outcome: z.enum(CONFERENCE_OUTCOMES), summary: text(4000) }).strict();

/** POST /api/conferences/:id/start — no body. */
export const EmptyInput = z.object({}).strict();

/** GET /api/conferences/:id/messages — what came after `after`. */
export const MessagesQuery = z
  .object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(200) })
  .strict();

/** POST /api/conferences/:id/risks — an entry in the common taxonomy. */
export const RiskInput = z
  .object({ category: z.enum(RISK_CATEGORY_IDS), level: z.enum(RISK_LEVEL_IDS), rationale: line(2000) })
  .strict();

/** POST /api/conferences/:id/decisions */
export const DecisionInput = z.object({ text: line(2000) }).strict();

/** A due date: a date (due by 17:00 UTC that day) or a date-time; not in the past. */
const dueAt = z
  .union([isoDateTime, isoDate.transform((d) => new Date(`${d}T17:00:00Z`))])
  .refine((d) => d.getTime() > Date.now(), 'must be in the future');

/** POST /api/conferences/:id/actions */
export const ActionInput = z.object({ text: line(1000), ownerUserId: objectId, dueAt }).strict();

/** /api/conferences/:id/actions/:actionId */
export const ActionParams = z.object({ id: objectId, actionId: objectId }).strict();

/** PATCH /api/conferences/:id/actions/:actionId */
export const ActionUpdateInput = z.object({ status: z.enum(['done', 'cancelled']) }).strict();

// Socket events (server/realtime/conferences.ts): the same rules, one schema per event.

/** A client's id for a message: retrying with the same id never posts twice. */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _');

export const JoinEvent = z.object({ conferenceId: objectId, lastSeq: z.number().int().min(0).default(0) }).strict();
export const CatchUpEvent = z.object({ conferenceId: objectId, afterSeq: z.number().int().min(0) }).strict();
export const LeaveEvent = z.object({ conferenceId: objectId }).strict();
export const MessageEvent = z
  .object({ conferenceId: objectId, clientId, body: z.string().trim().min(1, 'must not be empty').max(MAX_MESSAGE_CHARS, `must be at most ${MAX_MESSAGE_CHARS} characters`) })
  .strict();
export const EditEvent = z
  .object({ conferenceId: objectId, seq: z.number().int().min(1), body: z.string().trim().min(1).max(MAX_MESSAGE_CHARS, `must be at most ${MAX_MESSAGE_CHARS} characters`) })
  .strict();
export const RedactEvent = z.object({ conferenceId: objectId, seq: z.number().int().min(1) }).strict();
export const TypingEvent = z.object({ conferenceId: objectId, typing: z.boolean() }).strict();
