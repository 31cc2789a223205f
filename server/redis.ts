/**
 * Redis connections, and finding a Redis for `npm start`: the configured one if it answers; else,
 * when `redis-server` is on PATH, one started on a free port with its data under DATA_DIR; else a
 * clear message on how to install Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';

/** Opens a connection; `forWorkers` sets the options BullMQ workers need. */
export function openRedis(url: string, options: RedisOptions = {}, logger?: Logger): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 3, enableReadyCheck: true, lazyConnect: false, ...options });
  // Connection errors surface through the commands that fail and /readyz; log them without details.
  client.on('error', (err: Error & { code?: string }) => logger?.warn({ code: err.code ?? err.name }, 'redis connection error'));
  return client;
}

/**
 * True if a Redis answers PING at the URL within the timeout. A bare RESP exchange over one
 * socket: nothing keeps retrying in the background after a miss.
 */
export function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const target = new URL(url);
  const port = Number(target.port || 6379);
  const host = target.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const password = decodeURIComponent(target.password);
  const user = decodeURIComponent(target.username);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('error', () => finish(false));
    socket.once('connect', () => {
      const auth = password ? `AUTH ${user ? `${user} ` : ''}${password}\r\n` : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('+PONG')) finish(true);
      else if (reply.startsWith('-') || reply.includes('\r\n-')) finish(false);
    });
  });
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The full path of an executable found on PATH, or null. */
export function onPath(cmd: string, pathVar = process.env.PATH ?? ''): string | null {
  for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
    const full = path.join(dir, cmd);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return null;
}

export interface RedisChoice {
  url: string;
  /** The redis-server we started, if any (stopped with the process tree). */
  child?: ChildProcess;
}

export const INSTALL_REDIS_HINT =
  'No Redis answered and redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis.';

/** Finds or starts a Redis for a one-machine run. */
export async function ensureRedis(url: string, dataDir: string, logger: Logger): Promise<RedisChoice> {
  // A TLS Redis is always a managed one: use it as configured.
  if (url.startsWith('rediss://')) return { url };
  if (await redisAnswers(url)) {
    logger.info({ redis: 'configured' }, 'redis answers');
    return { url };
  }
  const binary = onPath('redis-server');
  if (!binary) throw new Error(INSTALL_REDIS_HINT);
  const port = await freePort();
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    stdio: 'ignore',
  });
  const local = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(local, 500)) {
      logger.info({ redis: 'started', port }, 'started redis-server');
      return { url: local, child };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('redis-server was started but did not answer within 5 seconds');
}

/**
 * Closes a connection gracefully: QUIT lets commands already sent (a session save, a queue
 * update) finish instead of failing with "Connection is closed"; a Redis that does not answer in
 * time is simply dropped.
 */
export async function closeRedis(client: Redis, timeoutMs = 2000): Promise<void> {
  if (client.status === 'end') return;
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const outcome = await Promise.race([client.quit().then(() => 'quit' as const, () => 'failed' as const), timer]);
  if (outcome !== 'quit') client.disconnect();
}

/** Waits (bounded) until a reconnecting client is ready again; true if it is. */
export async function waitReady(client: Redis, timeoutMs = 3000): Promise<boolean> {
  if (client.status === 'ready') return true;
  if (client.status === 'end') return false;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    client.once('ready', onReady);
  });
}
