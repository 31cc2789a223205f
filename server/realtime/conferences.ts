/**
 * Conference rooms over Socket.io (DESIGN.md §7). A participant joins `conference:<id>` (presence,
 * typing, change hints) and `conference:<id>:agency:<agencyId>` (messages as their agency may see
 * them). Every event is validated (zod), rate-limited per socket and re-authorised against the
 * conference's participants and sharing basis; a refusal is an ack `{ok: false, code, message}`
 * and never disconnects anyone. A reconnecting client joins with its last `seq` and gets exactly
 * what it missed: the socket joins the room first and reads the history after, so a message is
 * either in the catch-up or arrives live (the client drops any seq it already has).
 *
 * Connection-state recovery is not enabled: the Redis pub/sub adapter cannot restore sessions
 * (only stream- or database-backed adapters can), so the `seq` catch-up is the one mechanism.
 */
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import type { Types } from 'mongoose';
import type { AppContext } from '../context';
import type { UserDoc } from '../models/User';
import { Conference } from '../models/Conference';
import { AppError, ConflictError } from '../errors';
import { appendAudit } from '../audit';
import { userActor } from '../commands/auditTrail';
import { authoriseRoom, type ConferenceAccess, type ConferenceCore } from '../conferences/access';
import { CONFERENCE_PURPOSE } from '../conferences/basis';
import { findByClientId, messagesAfter, postMessage, reviseMessage } from '../conferences/messages';
import { conferenceRealtime, registerConferenceRealtime, rooms } from '../conferences/realtime';
import { conferenceSequence } from '../conferences/sequence';
import { redisPresence, type PresenceEntry } from '../conferences/presence';
import { lookupNames } from '../conferences/names';
import { presentMessage } from '../presenters/conferenceMessage';
import { isChair } from '../policies/conferences';
import { CatchUpEvent, EditEvent, JoinEvent, LeaveEvent, MessageEvent, RedactEvent, TypingEvent } from '../routes/conferences/schema';
import { category, type Logger } from '../logger';

/** Largest event payload accepted, as JSON (the engine itself closes a connection past 64 KiB). */
export const MAX_EVENT_BYTES = 16 * 1024;

/** Per-socket budgets: tokens per second and burst. */
export const SOCKET_LIMITS = {
  message: { perSecond: 10, burst: 20 },
  revise: { perSecond: 2, burst: 5 },
  typing: { perSecond: 3, burst: 6 },
  join: { perSecond: 3, burst: 10 },
} as const;

type Ack = (reply: object) => void;
type Access = ConferenceAccess<ConferenceCore>;

/** A token bucket for one socket and one kind of event. */
class Bucket {
  private tokens: number;
  private at = Date.now();
  constructor(private readonly limit: { perSecond: number; burst: number }) {
    this.tokens = limit.burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 1000) * this.limit.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

function failure(err: unknown, log: Logger, event: string): object {
  if (err instanceof AppError) return { ok: false, code: err.code, message: err.message };
  log.error({ event, errorName: err instanceof Error ? err.name : typeof err }, 'conference event failed');
  return { ok: false, code: 'internal_error', message: 'Something went wrong. Please try again.' };
}

function invalid(error: z.ZodError): object {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : 'payload';
  const tooBig = issue.code === 'too_big';
  return { ok: false, code: tooBig ? 'payload_too_large' : 'validation_failed', message: `${field}: ${issue.message}` };
}

const CONFERENCE_ROOM = /^conference:([a-f0-9]{24})$/;

/**
 * Wires conference handlers for every socket of this Socket.io server. The returned `close` marks
 * this process's presence entries gone (call it after Socket.io has closed).
 */
export function attachConferenceRealtime(io: Server, ctx: AppContext): { close(): Promise<void> } {
  registerConferenceRealtime(ctx, io);
  const log = category(ctx.logger, 'conferences');
  const realtime = conferenceRealtime(ctx);
  const sequence = conferenceSequence(ctx);
  const presence = redisPresence(ctx.redis, ctx.config.redisPrefix);
  // However a socket leaves a conference room (leave, disconnect, removal from any process), its
  // presence entry goes with it.
  io.of('/').adapter.on('leave-room', (room: string, socketId: string) => {
    const match = CONFERENCE_ROOM.exec(room);
    if (match) presence.leave(match[1], socketId).catch((err: unknown) => log.warn({ errorName: err instanceof Error ? err.name : typeof err }, 'presence leave failed'));
  });
  io.on('connection', (socket: Socket) => {
    const user = (socket.request as { user?: UserDoc }).user as UserDoc;
    const buckets = {
      message: new Bucket(SOCKET_LIMITS.message),
      revise: new Bucket(SOCKET_LIMITS.revise),
      typing: new Bucket(SOCKET_LIMITS.typing),
      join: new Bucket(SOCKET_LIMITS.join),
    };
    // One send at a time per socket up to its broadcast, so a sender's messages keep their order.
    let sending: Promise<unknown> = Promise.resolve();
    function inOrder<T>(fn: () => Promise<T>): Promise<T> {
      const run = sending.then(fn, fn);
      sending = run.catch(() => undefined);
      return run;
    }

    function on<S extends z.ZodType>(event: string, schema: S, bucket: Bucket, handler: (data: z.infer<S>) => Promise<object>) {
      socket.on(event, (raw: unknown, ack?: unknown) => {
        const reply: Ack = typeof ack === 'function' ? (ack as Ack) : (r) => socket.emit('conference:error', { event, ...r });
        if (!bucket.take()) return reply({ ok: false, code: 'rate_limited', message: 'Too many events: slow down and try again.' });
        let size = 0;
        try {
          size = Buffer.byteLength(JSON.stringify(raw ?? null));
        } catch {
          return reply({ ok: false, code: 'validation_failed', message: 'payload: must be JSON' });
        }
        if (size > MAX_EVENT_BYTES) return reply({ ok: false, code: 'payload_too_large', message: `payload: must be at most ${MAX_EVENT_BYTES} bytes` });
        const parsed = schema.safeParse(raw);
        if (!parsed.success) return reply(invalid(parsed.error));
        handler(parsed.data).then((r) => reply({ ok: true, ...r }), (err: unknown) => reply(failure(err, log, event)));
      });
    }

    async function me(): Promise<PresenceEntry> {
      const names = await lookupNames([user._id], [user.agencyId]);
      return { socketId: socket.id, userId: user.id as string, name: names.user(user._id), agencyName: names.agency(user.agencyId) };
    }

    /** Re-authorises and requires that this socket has joined the room. */
    async function joined(conferenceId: string, basis: 'own' | 'all' = 'own'): Promise<Access> {
      const access = await authoriseRoom(user, conferenceId, { basis });
      if (!socket.rooms.has(rooms.conference(conferenceId))) throw new ConflictError('not_joined', 'Join the conference first.');
      return access;
    }

    const audit = (action: string, access: Access, subject: { type: string; id?: Types.ObjectId }, reason?: string) =>
      appendAudit({
        actor: userActor(user),
        action,
        subject: { ...subject, personId: access.conference.personId as Types.ObjectId },
        purpose: CONFERENCE_PURPOSE,
        outcome: 'succeeded',
        reason,
      });

    async function history(access: Access, afterSeq: number) {
      const { messages, more } = await messagesAfter(access.conference._id as Types.ObjectId, afterSeq);
      const names = await lookupNames(messages.map((m) => m.authorId).filter(Boolean), messages.map((m) => m.agencyId).filter(Boolean));
      return { messages: messages.map((m) => presentMessage(m, String(user.agencyId), access.basis, names)), more };
    }

    on('conference:join', JoinEvent, buckets.join, async ({ conferenceId, lastSeq }) => {
      const access = await authoriseRoom(user, conferenceId, { basis: 'own', fresh: true });
      const { conference, participant } = access;
      const room = rooms.conference(conferenceId);
      // Join first, then read: anything sent in between is in the history or arrives live.
      await socket.join([room, rooms.agency(conferenceId, user.agencyId)]);
      const self = await me();
      const [past, present] = await Promise.all([history(access, lastSeq), presence.enter(conferenceId, self)]);
      // Gone while joining: its leave ran before the entry was written.
      if (!socket.rooms.has(room)) await presence.leave(conferenceId, socket.id);
      if (!participant.attendedAt) {
        await Conference.updateOne(
          { _id: conference._id },
          { $set: { 'participants.$[p].attendedAt': new Date() } },
          { arrayFilters: [{ 'p.userId': user._id, 'p.removedAt': null, 'p.attendedAt': null }] },
        );
      }
      socket.to(room).emit('conference:presence', { ...self, online: true });
      const activeUsers = new Set(conference.participants.filter((p) => !p.removedAt).map((p) => String(p.userId)));
      await audit('conference.join', access, { type: 'conference', id: conference._id as Types.ObjectId }, `after=${lastSeq} count=${past.messages.length}`);
      return {
        conference: { id: conferenceId, status: conference.status, headSeq: Math.max(conference.lastSeq, await sequence.current(conference._id)) },
        ...past,
        // Only current participants: a removed one's sockets may not have left on every process yet.
        presence: present.filter((p) => activeUsers.has(p.userId)),
      };
    });

    on('conference:catchup', CatchUpEvent, buckets.join, async ({ conferenceId, afterSeq }) => {
      const access = await joined(conferenceId);
      const past = await history(access, afterSeq);
      await audit('conference.messages.read', access, { type: 'conference', id: access.conference._id as Types.ObjectId }, `after=${afterSeq} count=${past.messages.length}`);
      return past;
    });

    on('conference:leave', LeaveEvent, buckets.join, async ({ conferenceId }) => {
      const room = rooms.conference(conferenceId);
      if (socket.rooms.has(room)) {
        socket.to(room).emit('conference:presence', { socketId: socket.id, userId: user.id as string, online: false });
        await socket.leave(room);
        await socket.leave(rooms.agency(conferenceId, user.agencyId));
      }
      return {};
    });

    on('conference:message', MessageEvent, buckets.message, async ({ conferenceId, clientId, body }) => {
      const { access, message, duplicate } = await inOrder(async () => {
        // The retry check runs beside the authorisation; its answer is used only once that passes.
        const [allowed, existing] = await Promise.all([joined(conferenceId), findByClientId(conferenceId, clientId)]);
        if (existing) return { access: allowed, message: existing, duplicate: true };
        const posted = await postMessage({ conference: allowed.conference, user, kind: 'text', body, clientId, checked: true, sequence });
        if (!posted.duplicate) await realtime.sendMessage(allowed.conference, posted.message, allowed.basis);
        return { access: allowed, ...posted };
      });
      // Stored and sent: the audit event is written (batched) before the sender's ack.
      if (!duplicate) await audit('conference.message.create', access, { type: 'conference_message', id: message._id as Types.ObjectId }, `seq=${message.seq}`);
      return { seq: message.seq, id: message.id as string, createdAt: (message.get('createdAt') as Date).toISOString(), duplicate };
    });

    on('conference:edit', EditEvent, buckets.revise, async ({ conferenceId, seq, body }) => {
      const access = await joined(conferenceId);
      const updated = await reviseMessage({ conference: access.conference, user, seq, body, mayRedactOthers: false });
      await realtime.sendMessage(access.conference, updated, access.basis, 'conference:message:updated');
      await audit('conference.message.edit', access, { type: 'conference_message', id: updated._id as Types.ObjectId }, `seq=${seq}`);
      return { seq };
    });

    on('conference:redact', RedactEvent, buckets.revise, async ({ conferenceId, seq }) => {
      // The chair may redact another agency's message: its fan-out needs every agency's basis.
      const access = await joined(conferenceId, 'all');
      const updated = await reviseMessage({ conference: access.conference, user, seq, body: null, mayRedactOthers: isChair(user, access.conference) });
      await realtime.sendMessage(access.conference, updated, access.basis, 'conference:message:updated');
      await audit('conference.message.redact', access, { type: 'conference_message', id: updated._id as Types.ObjectId }, `seq=${seq}`);
      return { seq };
    });

    on('conference:typing', TypingEvent, buckets.typing, async ({ conferenceId, typing }) => {
      const access = await joined(conferenceId);
      const removed = access.conference.participants.filter((p) => p.removedAt).map((p) => rooms.user(p.userId));
      const self = await me();
      socket.to(rooms.conference(conferenceId)).except(removed).emit('conference:typing', { userId: self.userId, name: self.name, typing });
      return {};
    });

    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        if (CONFERENCE_ROOM.test(room)) socket.to(room).emit('conference:presence', { socketId: socket.id, userId: user.id as string, online: false });
      }
    });
  });

  return { close: () => presence.close() };
}
