/**
 * HTTP sessions in Redis (express-session + connect-redis), with the idle and absolute timeouts
 * enforced on the server, and a per-user index of session ids so logging out everywhere or
 * disabling a user ends every session at once.
 */
import session from 'express-session';
import RedisStore from 'connect-redis';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { AuthenticationError } from '../errors';

declare module 'express-session' {
  interface SessionData {
    createdAt: number;
    lastSeenAt: number;
    csrfToken: string;
    /** Set after a correct password when a TOTP code is still needed. */
    pendingMfaUserId: string;
    pendingMfaAt: number;
  }
}

/** The cookie name: `__Host-` prefixed whenever cookies are Secure. */
export function sessionCookieName(ctx: AppContext): string {
  return ctx.config.secureCookies ? '__Host-ccw.sid' : 'ccw.sid';
}

function userSessionsKey(ctx: AppContext, userId: string): string {
  return `${ctx.config.redisPrefix}:user-sessions:${userId}`;
}

function sessionKeyPrefix(ctx: AppContext): string {
  return `${ctx.config.redisPrefix}:sess:`;
}

/** The express-session middleware (also used for the Socket.io handshake). */
export function sessionMiddleware(ctx: AppContext): RequestHandler {
  const store = new RedisStore({
    client: ctx.redis,
    prefix: sessionKeyPrefix(ctx),
    ttl: Math.ceil(ctx.config.sessionIdleMs / 1000),
  });
  return session({
    name: sessionCookieName(ctx),
    secret: ctx.config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: ctx.config.trustProxy > 0,
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.config.secureCookies,
      path: '/',
      maxAge: ctx.config.sessionIdleMs,
    },
  });
}

/**
 * Ends a session that outlived the idle or absolute limit, before anything else reads it, and
 * answers 401 `session_expired`; otherwise records this request as activity.
 */
export function sessionTimeouts(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    const s = req.session;
    if (!s) return next();
    const now = Date.now();
    const idle = s.lastSeenAt !== undefined && now - s.lastSeenAt > ctx.config.sessionIdleMs;
    const absolute = s.createdAt !== undefined && now - s.createdAt > ctx.config.sessionAbsoluteMs;
    if (idle || absolute) {
      const hadUser = Boolean((s as unknown as { passport?: { user?: string } }).passport?.user);
      const sid = req.sessionID;
      s.destroy(() => {
        ctx.realtime.disconnectSession(sid);
        res.clearCookie(sessionCookieName(ctx), { path: '/' });
        if (hadUser) next(new AuthenticationError('session_expired', 'Your session has ended. Please sign in again.'));
        else next();
      });
      return;
    }
    s.createdAt ??= now;
    s.lastSeenAt = now;
    next();
  };
}

/** Remembers that this session belongs to the user (after login). */
export async function trackSession(ctx: AppContext, userId: string, sessionId: string): Promise<void> {
  const key = userSessionsKey(ctx, userId);
  await ctx.redis.multi().sadd(key, sessionId).pexpire(key, ctx.config.sessionAbsoluteMs).exec();
}

/** Forgets one session of the user (after logout). */
export async function untrackSession(ctx: AppContext, userId: string, sessionId: string): Promise<void> {
  await ctx.redis.srem(userSessionsKey(ctx, userId), sessionId);
}

/** Destroys every session of a user and disconnects their sockets (disable, password change). */
export async function endAllSessions(ctx: AppContext, userId: string): Promise<number> {
  const key = userSessionsKey(ctx, userId);
  const ids = await ctx.redis.smembers(key);
  if (ids.length) await ctx.redis.del(...ids.map((id) => sessionKeyPrefix(ctx) + id));
  await ctx.redis.del(key);
  ctx.realtime.disconnectUser(userId);
  return ids.length;
}
