/**
 * How conference writes reach sockets, on every server process (through the Socket.io Redis
 * adapter). Messages go to one room per participating agency, each with what that agency may
 * see; removed participants' user rooms are excluded from every send, so a removal holds even
 * before their sockets have left the room. Socket.io registers the real implementation for its
 * context; processes without sockets fall back to plain room emits.
 */
import type { Server } from 'socket.io';
import type { AppContext, RealtimeControl } from '../context';
import type { ConferenceMessageDoc } from '../models/ConferenceMessage';
import { presentMessage } from '../presenters/conferenceMessage';
import type { ConferenceBasis } from './basis';
import { participantAgencyIds, type ConferenceCore } from './access';
import { lookupNames } from './names';

/** Room names. */
export const rooms = {
  conference: (id: unknown) => `conference:${String(id)}`,
  agency: (id: unknown, agencyId: unknown) => `conference:${String(id)}:agency:${String(agencyId)}`,
  user: (userId: unknown) => `user:${String(userId)}`,
};

export interface ConferenceRealtime {
  /** Sends a new or changed message to every participating agency, as each may see it. */
  sendMessage(conference: ConferenceCore, message: ConferenceMessageDoc, basis: ConferenceBasis, event?: 'conference:message' | 'conference:message:updated'): Promise<void>;
  /** Tells the room the conference changed (`{id, updatedAt}`); clients refetch through the API. */
  changed(conference: ConferenceCore): void;
  /** Takes a removed participant's sockets out of the room on every process and tells them. */
  removeParticipant(conference: ConferenceCore, userId: string, agencyId: string): Promise<void>;
}

const registered = new WeakMap<AppContext, ConferenceRealtime>();

/** Called by the Socket.io setup for its context. */
export function registerConferenceRealtime(ctx: AppContext, io: Server): void {
  registered.set(ctx, socketRealtime(io));
}

/** The conference realtime for a context (plain room emits when Socket.io is not attached). */
export function conferenceRealtime(ctx: AppContext): ConferenceRealtime {
  return registered.get(ctx) ?? emitRealtime(ctx.realtime);
}

function removedUserRooms(conference: ConferenceCore): string[] {
  const active = new Set(conference.participants.filter((p) => !p.removedAt).map((p) => String(p.userId)));
  return conference.participants.filter((p) => p.removedAt && !active.has(String(p.userId))).map((p) => rooms.user(p.userId));
}

async function fanOut(conference: ConferenceCore, message: ConferenceMessageDoc, basis: ConferenceBasis, send: (room: string, payload: object) => void) {
  const names = await lookupNames(message.authorId ? [message.authorId] : [], message.agencyId ? [message.agencyId] : []);
  for (const agencyId of participantAgencyIds(conference)) {
    send(rooms.agency(conference._id, agencyId), presentMessage(message, agencyId, basis, names));
  }
}

function socketRealtime(io: Server): ConferenceRealtime {
  return {
    async sendMessage(conference, message, basis, event = 'conference:message') {
      const except = removedUserRooms(conference);
      await fanOut(conference, message, basis, (room, payload) => io.to(room).except(except).emit(event, payload));
    },
    changed(conference) {
      io.to(rooms.conference(conference._id))
        .except(removedUserRooms(conference))
        .emit('conference:updated', { id: String(conference._id), status: conference.status, updatedAt: new Date().toISOString() });
    },
    async removeParticipant(conference, userId, agencyId) {
      const id = String(conference._id);
      const target = io.in(rooms.user(userId));
      target.socketsLeave([rooms.conference(id), rooms.agency(id, agencyId)]);
      io.to(rooms.user(userId)).emit('conference:removed', { id });
      // Colleagues see them go from the presence list.
      io.to(rooms.conference(id)).emit('conference:presence', { userId, online: false, removed: true });
    },
  };
}

function emitRealtime(realtime: Pick<RealtimeControl, 'emit'>): ConferenceRealtime {
  return {
    async sendMessage(conference, message, basis, event = 'conference:message') {
      await fanOut(conference, message, basis, (room, payload) => realtime.emit(room, event, payload));
    },
    changed(conference) {
      realtime.emit(rooms.conference(conference._id), 'conference:updated', { id: String(conference._id), status: conference.status, updatedAt: new Date().toISOString() });
    },
    async removeParticipant(conference, userId) {
      realtime.emit(rooms.user(userId), 'conference:removed', { id: String(conference._id) });
    },
  };
}
