/**
 * Starting and stopping the HTTP side (Express + Socket.io) for a process, shared by
 * `npm run start:server`, `npm start` and the tests.
 */
import http from 'node:http';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/env';
import { DEFAULT_AUTH_LIMITS, idleRealtime, type AppContext, type AuthLimits } from './context';
import { createApp } from './app';
import { attachRealtime, type Realtime } from './realtime';
import { closeRedis, openRedis, waitReady } from './redis';
import { useSharingVersion } from './commands/sharingVersion';
import { useAuditCoordination } from './audit/coordination';
import type { Queue } from 'bullmq';
import { openQueue } from '../workers/queues';
import { category, type Logger } from './logger';

export interface HttpRuntime {
  ctx: AppContext;
  server: http.Server;
  realtime: Realtime;
  /** The port actually bound (useful with PORT=0). */
  port: number;
  close(): Promise<void>;
}

/** Builds the context, app and Socket.io, and listens on config.host:config.port. */
export async function startHttp(config: AppConfig, logger: Logger, options: { limits?: AuthLimits; redis?: Redis } = {}): Promise<HttpRuntime> {
  const redisLog = category(logger, 'redis');
  const redis = options.redis ?? openRedis(config.redisUrl, {}, redisLog);
  const pub = openRedis(config.redisUrl, {}, redisLog);
  const sub = openRedis(config.redisUrl, {}, redisLog);
  const queues = new Map<string, Queue>();
  const stopSharingVersion = useSharingVersion(redis, config.redisPrefix);
  const stopAuditCoordination = useAuditCoordination(redis, config.redisPrefix);
  const ctx: AppContext = {
    config,
    logger,
    redis,
    limits: options.limits ?? DEFAULT_AUTH_LIMITS,
    realtime: idleRealtime(),
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = openQueue(name, redis, config.redisPrefix);
        queues.set(name, q);
      }
      return q;
    },
  };
  const { app, sessionHandlers } = createApp(ctx);
  const server = http.createServer(app);
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  const realtime = attachRealtime(server, ctx, sessionHandlers, pub, sub);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    ctx,
    server,
    realtime,
    port,
    async close() {
      // The adapter unsubscribes as Socket.io closes: give a reconnecting pub/sub a moment to be
      // ready, so those commands are answered rather than dropped. Then each step runs even if an
      // earlier one fails (e.g. Redis already gone).
      await Promise.all([waitReady(pub), waitReady(sub)]);
      await realtime.close().catch((err: unknown) => logger.warn({ errorName: err instanceof Error ? err.name : 'unknown' }, 'socket.io close failed'));
      if (server.listening) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
      }
      // QUIT lets the adapter's last unsubscribes finish; a dead Redis is simply dropped.
      await Promise.all([closeRedis(pub), closeRedis(sub)]);
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
      stopSharingVersion();
      stopAuditCoordination();
      if (!options.redis) await closeRedis(redis);
    },
  };
}

/** Runs `stop` once on SIGTERM/SIGINT, then exits. */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ errorName: err instanceof Error ? err.name : 'unknown' }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
