/**
 * Socket.io on the HTTP server: the handshake is authenticated with the same session as HTTP,
 * its Origin must be one we serve (the `cors` option does not guard websockets), payloads are
 * small, and rooms span processes through the Redis adapter. Each socket joins `user:<id>`,
 * `agency:<id>`, `agency:<id>:role:<role>` and `session:<sid>`, so logout or disabling a user disconnects it at once.
 */
import type http from 'node:http';
import type { RequestHandler, Request, Response, NextFunction } from 'express';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { AppContext } from '../context';
import type { UserDoc } from '../models/User';
import { mfaSatisfied } from '../middlewares/authenticate';
import { category } from '../logger';
import { attachConferenceRealtime } from './conferences';

/** Largest socket message accepted (bytes). */
export const MAX_SOCKET_PAYLOAD = 64 * 1024;

type HandshakeRequest = http.IncomingMessage & { _query?: Record<string, string>; user?: UserDoc; session?: Request['session']; sessionID?: string };

function onlyForHandshake(middleware: RequestHandler) {
  return (req: HandshakeRequest, res: http.ServerResponse, next: (err?: unknown) => void) => {
    if (req._query?.sid === undefined) middleware(req as unknown as Request, res as unknown as Response, next as NextFunction);
    else next();
  };
}

export interface Realtime {
  io: Server;
  close(): Promise<void>;
}

/** Attaches Socket.io; `pub`/`sub` are dedicated Redis connections for the adapter. */
export function attachRealtime(server: http.Server, ctx: AppContext, sessionHandlers: RequestHandler[], pub: Redis, sub: Redis): Realtime {
  const log = category(ctx.logger, 'realtime');
  const io = new Server(server, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD,
    serveClient: false,
    // Browsers always send Origin on cross-site requests; refuse any we do not serve.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || ctx.config.allowedOrigins.includes(origin));
    },
    adapter: createAdapter(pub, sub, { key: `${ctx.config.redisPrefix}:socket.io` }),
  });

  for (const handler of sessionHandlers) io.engine.use(onlyForHandshake(handler));

  io.use((socket, next) => {
    const req = socket.request as HandshakeRequest;
    const user = req.user;
    if (!user || user.disabled) return next(new Error('unauthenticated'));
    if (!mfaSatisfied(user)) return next(new Error('mfa_enrollment_required'));
    next();
  });

  io.on('connection', (socket: Socket) => {
    const req = socket.request as HandshakeRequest;
    const user = req.user as UserDoc;
    const agency = `agency:${String(user.agencyId)}`;
    // Per-role rooms let a hint reach, say, every IG lead of an agency at once.
    void socket.join([`user:${user.id}`, agency, `session:${req.sessionID}`, ...user.roles.map((r) => `${agency}:role:${r}`)]);
    log.debug({ userId: user.id, socketId: socket.id }, 'socket connected');
  });

  // Conference rooms: join with catch-up, messages, edits, presence and typing.
  const conferences = attachConferenceRealtime(io, ctx);

  ctx.realtime = {
    disconnectUser(userId) {
      io.in(`user:${userId}`).emit('session:ended', { reason: 'ended' });
      io.in(`user:${userId}`).disconnectSockets(true);
    },
    moveRoleRooms(userId, agencyId, oldRoles, newRoles) {
      const room = (r: string) => `agency:${agencyId}:role:${r}`;
      const sockets = io.in(`user:${userId}`);
      sockets.socketsLeave(oldRoles.filter((r) => !newRoles.includes(r)).map(room));
      sockets.socketsJoin(newRoles.filter((r) => !oldRoles.includes(r)).map(room));
    },
    emit(room, event, payload) {
      io.to(typeof room === 'string' ? room : [...room]).emit(event, payload);
    },
    disconnectSession(sessionId) {
      io.in(`session:${sessionId}`).emit('session:ended', { reason: 'logout' });
      io.in(`session:${sessionId}`).disconnectSockets(true);
    },
  };

  return {
    io,
    close: async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await conferences.close();
    },
  };
}
