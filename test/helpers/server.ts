/**
 * A real app for a test file: its own database in this run's store, its own Redis key prefix,
 * listening on a free port (so Socket.io can be tested too). `as(user)` signs in through the API
 * (password, then TOTP when the user has one) and returns a client that sends the CSRF token.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import request from 'supertest';
import { authenticator } from 'otplib';
import { parseConfig, type AppConfig } from '../../config/env';
import { createLogger } from '../../server/logger';
import { startHttp, type HttpRuntime } from '../../server/boot';
import { DEFAULT_AUTH_LIMITS, type AuthLimits } from '../../server/context';
import { testDbUri } from './db';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from './redis';
import type { BuiltUser } from './factories';
import { Redis } from 'ioredis';
import { startWorkers } from '../../workers/runtime';
import { closeRedis } from '../../server/redis';
import { REGISTRY } from '../../workers/registry';
import { redisEmitter } from '../../server/realtime/emitter';

import '../../server/store/connection'; // applies the defensive mongoose settings

export interface TestApp {
  runtime: HttpRuntime;
  config: AppConfig;
  baseUrl: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Raw log text, for canary greps. */
  logText(): string;
  /** An anonymous client with its own cookie jar. */
  anon(): request.Agent;
  /** A signed-in client for the user. */
  as(built: BuiltUser): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface SignedIn {
  agent: request.Agent;
  csrf: string;
  /** The raw session cookie (name=value), e.g. for a socket handshake. */
  cookie: string;
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  put(path: string, body?: object): request.Test;
  patch(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
}

/** Starts the app. `env` overrides environment variables; `tune` adjusts the parsed config. */
export async function startTestApp(
  label: string,
  options: {
    env?: Record<string, string>;
    tune?: (c: AppConfig) => void;
    limits?: Partial<AuthLimits>;
    workers?: boolean;
    /**
     * Another app to run beside, as a second server process of the same deployment: the same
     * database, Redis prefix and session secret (a session works on both; rooms span both through
     * the Redis adapter). Closing the peer leaves the shared database and keys to the first app.
     */
    peer?: TestApp;
  } = {},
): Promise<TestApp> {
  const secret = options.peer?.config.sessionSecret ?? randomBytes(24).toString('hex');
  process.env.TEST_SESSION_SECRET = secret;
  const prefix = options.peer?.config.redisPrefix ?? uniquePrefix(label);
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    SESSION_SECRET: secret,
    LOG_LEVEL: 'info',
    ...options.env,
  });
  options.tune?.(config);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  if (mongoose.connection.readyState === 0) await mongoose.connect(testDbUri(label));
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const runtime = await startHttp(config, logger, { limits: { ...DEFAULT_AUTH_LIMITS, ...options.limits } });
  const baseUrl = `http://127.0.0.1:${runtime.port}`;
  // The real worker registry on this app's prefix, for features that run through queues.
  const workerRedis = options.workers ? new Redis(config.redisUrl) : undefined;
  const workerConnection = options.workers ? new Redis(config.redisUrl, { maxRetriesPerRequest: null }) : undefined;
  const workers = options.workers
    ? await startWorkers({ registry: REGISTRY, connection: workerConnection!, ctx: { redis: workerRedis!, logger, redisPrefix: config.redisPrefix, realtime: redisEmitter(workerRedis!, config.redisPrefix) } })
    : undefined;
  config.allowedOrigins.push(baseUrl);

  const app: TestApp = {
    runtime,
    config,
    baseUrl,
    get logs() {
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => lines.join('\n'),
    anon: () => request.agent(baseUrl),
    async as(built) {
      return signIn(baseUrl, built);
    },
    async close() {
      await workers?.close(5000);
      if (workerConnection) await closeRedis(workerConnection);
      if (workerRedis) await closeRedis(workerRedis);
      await runtime.close();
      if (options.peer) return;
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
      await cleanupPrefix(prefix);
    },
  };
  return app;
}

/** Fetches the session's CSRF token. */
export async function csrfOf(agent: request.Agent): Promise<string> {
  const res = await agent.get('/api/auth/session').expect(200);
  return (res.body as { csrfToken: string }).csrfToken;
}

function sessionCookie(res: request.Response): string {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const found = (raw ?? []).find((c) => c.includes('ccw.sid='));
  return found ? found.split(';')[0] : '';
}

async function signIn(baseUrl: string, built: BuiltUser): Promise<SignedIn> {
  const agent = request.agent(baseUrl);
  let csrf = await csrfOf(agent);
  let res = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: built.user.email, password: built.password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  let body = res.body as { csrfToken: string; mfa: { pending: boolean } };
  if (body.mfa.pending) {
    if (!built.totpSecret) throw new Error('user needs a TOTP code but has no secret');
    res = await agent.post('/api/auth/mfa/verify').set('X-CSRF-Token', body.csrfToken).send({ code: authenticator.generate(built.totpSecret) });
    if (res.status !== 200) throw new Error(`TOTP step failed: ${res.status} ${JSON.stringify(res.body)}`);
    body = res.body as typeof body;
  }
  csrf = body.csrfToken;
  const cookie = sessionCookie(res);
  const withCsrf = (t: request.Test) => t.set('X-CSRF-Token', csrf);
  return {
    agent,
    csrf,
    cookie,
    get: (path) => agent.get(path),
    post: (path, b) => withCsrf(agent.post(path)).send(b ?? {}),
    put: (path, b) => withCsrf(agent.put(path)).send(b ?? {}),
    patch: (path, b) => withCsrf(agent.patch(path)).send(b ?? {}),
    delete: (path) => withCsrf(agent.delete(path)),
  };
}
