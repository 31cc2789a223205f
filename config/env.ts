/**
 * The process environment, parsed once at boot. A bad value stops the process with a message that
 * names the variable, before anything listens or connects.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  /** Which environment: production turns on secure cookies and refuses the default secret. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port for the API, Socket.io and the client. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Real MongoDB (a replica set in production). Unset: local mongod if on PATH, else the embedded store. */
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  /** Database name used when MONGODB_URI names none. */
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/).default('crisis_care'),
  /** Redis for queues, sessions, the Socket.io adapter and rate limits. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key this deployment writes (queues, sessions, limits). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/).default('ccw'),
  /** Signs session cookies. At least 32 characters; required in production. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The URL users reach the workspace at; its origin is the only one allowed for sockets and writes. */
  PUBLIC_URL: z.string().url().optional(),
  /** Extra allowed origins (comma separated), e.g. the Vite dev server. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Where `npm start` keeps the embedded store's journal, a spawned Redis's data and signing keys. */
  DATA_DIR: z.string().min(1).default('data'),
  /** Where signed audit checkpoints and their Ed25519 key live (outside the database). Default <DATA_DIR>/audit. */
  AUDIT_DIR: z.string().min(1).optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Trust X-Forwarded-* from this many proxy hops (for a TLS-terminating load balancer). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Seed demo agencies, users and synthetic people on first run. */
  SEED_DEMO: bool.optional(),
  /** Idle session timeout, minutes. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(120).default(15),
  /** Absolute session lifetime, hours. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24).default(12),
  /** SMTP server for out-of-hours alert emails (smtp:// or smtps://, credentials in the URL). Unset: no email channel. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  /** Sender of alert emails, e.g. `Crisis Care <duty@example.org>`. */
  MAIL_FROM: z.string().min(3).max(200).optional(),
});

export type Env = z.infer<typeof schema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  mongodbUri?: string;
  mongodbDb: string;
  redisUrl: string;
  redisPrefix: string;
  sessionSecret: string;
  publicUrl: string;
  allowedOrigins: string[];
  dataDir: string;
  /** Folder for signed audit checkpoints and the signing key (AUDIT_DIR, default <dataDir>/audit). */
  auditDir: string;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: number;
  seedDemo: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** True when PUBLIC_URL is https: cookies are Secure and named __Host-. */
  secureCookies: boolean;
  /** SMTP server for alert emails; undefined turns the email channel off. */
  smtpUrl?: string;
  /** Sender address of alert emails. */
  mailFrom: string;
}

/** Thrown for a bad environment; the message names the variable. */
export class ConfigError extends Error {}

const DEV_SECRET = 'development-only-secret-not-for-production-use!';

/** Parses an environment (process.env by default) into the typed configuration, or throws ConfigError. */
export function parseConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration: SESSION_SECRET: required in production (at least 32 characters)');
  }
  const port = e.PORT;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const origins = new Set<string>([new URL(publicUrl).origin]);
  for (const o of e.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      origins.add(new URL(o).origin);
    } catch {
      throw new ConfigError(`Invalid configuration: ALLOWED_ORIGINS: "${o}" is not a URL`);
    }
  }
  if (!e.PUBLIC_URL) {
    origins.add(`http://127.0.0.1:${port}`);
  }
  return {
    env: e.NODE_ENV,
    port,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    mongodbDb: e.MONGODB_DB,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    publicUrl,
    allowedOrigins: [...origins],
    dataDir: path.resolve(e.DATA_DIR),
    auditDir: path.resolve(e.AUDIT_DIR ?? path.join(e.DATA_DIR, 'audit')),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    secureCookies: publicUrl.startsWith('https://'),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Crisis Care Workspace <no-reply@${new URL(publicUrl).hostname}>`,
  };
}

/** Parses process.env or exits the process with the message (used by every entry point). */
export function loadConfigOrExit(): AppConfig {
  try {
    return parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
