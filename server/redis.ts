/**
 * Redis connections, and finding a Redis for `npm start`: the configured one if it answers; else,
 * when `redis-server` is on PATH, one started on a free port with its data under DATA_DIR; else a
 * clear message on how to install Redis.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

/** True if a Redis answers PING at the URL within the timeout. */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
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

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
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
  if (await redisAnswers(url)) {
    logger.info({ redis: 'configured' }, 'redis answers');
    return { url };
  }
  if (!onPath('redis-server')) throw new Error(INSTALL_REDIS_HINT);
  const port = await freePort();
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
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
