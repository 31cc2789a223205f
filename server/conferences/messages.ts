/**
 * Conference messages: persisted first, then broadcast with their sequence number (DESIGN.md §7).
 * The sequence is allocated in Redis (sequence.ts), so storing a message is one database write; a
 * client id makes a retried send idempotent; edits and redactions keep the earlier text in the
 * message's history.
 */
import { Types, trusted } from 'mongoose';
import type { ConferenceCore } from './access';
import type { ConferenceSequence } from './sequence';
import { ConferenceMessage, type ConferenceMessageDoc, type MessageKind } from '../models/ConferenceMessage';
import type { UserDoc } from '../models/User';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';

/** Most messages one catch-up returns; the client asks again from the last one for more. */
export const CATCH_UP_LIMIT = 500;

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export interface PostMessageProps {
  /** The conference as the caller just read or wrote it: it must be live. */
  conference: Pick<ConferenceCore, '_id' | 'status'>;
  /** Where sequence numbers come from (every poster must use the same one). */
  sequence: ConferenceSequence;
  /** The author, or null for a system message. */
  user: UserDoc | null;
  kind: MessageKind;
  body: string;
  /** The sender's id for this message: a retry with the same id returns the stored message. */
  clientId?: string;
  /** The structured item a risk/decision/action message announces. */
  itemId?: Types.ObjectId;
  /** The caller already looked the client id up (findByClientId) and found nothing. */
  checked?: boolean;
}

/** The message a client id already posted, if any. */
export function findByClientId(conferenceId: string | Types.ObjectId, clientId: string): Promise<ConferenceMessageDoc | null> {
  return ConferenceMessage.findOne({ conferenceId, clientId });
}

/**
 * Stores a message in a live conference. `duplicate` is true when the client id was seen before:
 * the stored message is returned and nothing new is written or sent.
 */
export async function postMessage(props: PostMessageProps): Promise<{ message: ConferenceMessageDoc; duplicate: boolean }> {
  const { conference, clientId } = props;
  if (clientId && !props.checked) {
    const existing = await findByClientId(conference._id, clientId);
    if (existing) return { message: existing, duplicate: true };
  }
  if (conference.status !== 'live') throw new ConflictError('conference_not_live', 'The conference is not live: messages can be sent once the chair starts it.');
  const conferenceId = conference._id as Types.ObjectId;
  for (let attempt = 1; ; attempt++) {
    const seq = await props.sequence.next(conferenceId, { reseed: attempt > 1 });
    const fields = {
      conferenceId,
      seq,
      authorId: props.user?._id ?? null,
      agencyId: props.user?.agencyId ?? null,
      kind: props.kind,
      body: props.body,
      itemId: props.itemId ?? null,
    };
    try {
      const message = await ConferenceMessage.create(clientId ? { ...fields, clientId } : fields);
      return { message, duplicate: false };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // The number was taken: the counter was behind the database (Redis lost it and it was seeded
      // again below a message still being stored). Seed it from the database and take the next.
      if (duplicateOf(err) === 'seq') {
        if (attempt < 5) continue;
        throw err;
      }
      if (!clientId) throw err;
      // A retry of the same send won the race: keep the sequence gap-free with a void entry.
      await ConferenceMessage.create({ conferenceId, seq, kind: 'system', void: true });
      const existing = await ConferenceMessage.findOne({ conferenceId, clientId });
      if (!existing) throw err;
      return { message: existing, duplicate: true };
    }
  }
}

/** Which unique index a duplicate-key error is about. */
function duplicateOf(err: unknown): 'seq' | 'clientId' | 'other' {
  const pattern = (err as { keyPattern?: Record<string, unknown> }).keyPattern ?? {};
  if ('clientId' in pattern) return 'clientId';
  if ('seq' in pattern) return 'seq';
  return 'other';
}

/** Messages after `afterSeq`, oldest first, and whether more follow. */
export async function messagesAfter(conferenceId: Types.ObjectId, afterSeq: number, limit = CATCH_UP_LIMIT): Promise<{ messages: ConferenceMessageDoc[]; more: boolean }> {
  const found = await ConferenceMessage.find({ conferenceId, seq: trusted({ $gt: afterSeq }) })
    .sort({ seq: 1 })
    .limit(limit + 1);
  return { messages: found.slice(0, limit), more: found.length > limit };
}

export interface ReviseMessageProps {
  conference: Pick<ConferenceCore, '_id' | 'status'>;
  user: UserDoc;
  seq: number;
  /** The new text (edit), or null to redact. */
  body: string | null;
  /** Whether this user may redact others' messages (the chair). */
  mayRedactOthers: boolean;
}

/**
 * Edits (author only, text messages) or redacts (author or chair) a message while the conference
 * is live, keeping the earlier text in its history. State-guarded: a message changed in between
 * answers 409.
 */
export async function reviseMessage(props: ReviseMessageProps): Promise<ConferenceMessageDoc> {
  const { conference, user, seq, body } = props;
  if (conference.status !== 'live') throw new ConflictError('conference_not_live', 'Messages can only be changed while the conference is live.');
  const message = await ConferenceMessage.findOne({ conferenceId: conference._id, seq });
  if (!message || message.void) throw new NotFoundError('No such message.');
  const own = String(message.authorId) === user.id;
  const redact = body === null;
  if (redact ? !own && !props.mayRedactOthers : !own) {
    throw new ForbiddenError('not_author', redact ? 'Only the author or the chair can redact a message.' : 'Only the author can edit a message.');
  }
  if (!redact && message.kind !== 'text') throw new ConflictError('not_editable', 'Only discussion messages can be edited.');
  if (message.redacted) throw new ConflictError('already_redacted', 'This message has been redacted.');
  const now = new Date();
  const updated = await ConferenceMessage.findOneAndUpdate(
    { _id: message._id, redacted: false, body: message.body },
    {
      $set: redact ? { redacted: true, body: null, editedAt: now } : { body, editedAt: now },
      $push: { history: { body: message.body, at: now, by: user._id, action: redact ? 'redact' : 'edit' } },
    },
    { returnDocument: 'after' },
  );
  if (!updated) throw new ConflictError();
  return updated;
}
