/**
 * What the duty code needs from outside, with production defaults: the clock, the escalation
 * policy, where links point and how mail and webhooks are sent. Tests and the benchmark pass
 * their own (a clock that starts at 02:10 on a bank holiday, deadlines of a second).
 */
import { domainConfig, type EscalationConfig } from '../../config/domain';
import { parseConfig } from '../../config/env';
import type { HoursConfig } from '../commands/hours';
import { RotaCache } from './rota';
import { EndpointCache } from '../notify/endpoints';

/** Channel settings, from the environment by default (config/env.ts). */
export interface NotifySettings {
  /** Links in messages are `${publicUrl}/alerts/<id>`. */
  publicUrl: string;
  /** SMTP server; undefined turns email off. */
  smtpUrl?: string;
  mailFrom: string;
  /** The key that seals webhook secrets at rest (the session secret). */
  fieldSecret: string;
}

/** Retry policy of one outbound channel (BullMQ exponential backoff). */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  /** Per-attempt network timeout. */
  timeoutMs: number;
}

export interface DutyOptions {
  now?: () => Date;
  /** Business hours and bank holidays (default: config/domain). */
  hours?: HoursConfig;
  escalation?: EscalationConfig;
  settings?: Partial<NotifySettings>;
  email?: Partial<RetryPolicy>;
  webhook?: Partial<RetryPolicy>;
  /** How long a process may reuse a resolved rota and an agency's webhook list (0: always read them). Default 5 s. */
  rotaCacheMs?: number;
}

export interface Duty {
  rota: RotaCache;
  webhooks: EndpointCache;
  now(): Date;
  hours: HoursConfig;
  escalation: EscalationConfig;
  settings: NotifySettings;
  email: RetryPolicy;
  webhook: RetryPolicy;
}

export const DEFAULT_EMAIL_RETRY: RetryPolicy = { attempts: 5, backoffMs: 5_000, timeoutMs: 20_000 };
export const DEFAULT_WEBHOOK_RETRY: RetryPolicy = { attempts: 8, backoffMs: 2_000, timeoutMs: 10_000 };

/** The variables the settings depend on (config/env.ts), as one string to compare. */
const ENV_KEYS = ['NODE_ENV', 'PORT', 'PUBLIC_URL', 'SMTP_URL', 'MAIL_FROM', 'SESSION_SECRET'] as const;
let parsed: { key: string; settings: NotifySettings } | undefined;

/**
 * Settings from the process environment (the worker's, or the server's). Parsed again only when
 * one of the variables they come from has changed: every notification reads them.
 */
export function envSettings(): NotifySettings {
  const key = ENV_KEYS.map((k) => process.env[k] ?? '\u0000').join('\u0001');
  if (parsed?.key !== key) {
    const c = parseConfig(process.env);
    parsed = { key, settings: { publicUrl: c.publicUrl, smtpUrl: c.smtpUrl, mailFrom: c.mailFrom, fieldSecret: c.sessionSecret } };
  }
  return parsed.settings;
}

/** Fills in the defaults. The environment is read when needed, so a process may set it late. */
export function resolveDuty(options: DutyOptions = {}): Duty {
  return {
    now: options.now ?? (() => new Date()),
    hours: options.hours ?? {},
    rota: new RotaCache(options.rotaCacheMs ?? 5_000),
    webhooks: new EndpointCache(options.rotaCacheMs ?? 5_000),
    get escalation() {
      return options.escalation ?? domainConfig().escalation;
    },
    get settings() {
      return options.settings ? { ...envSettings(), ...options.settings } : envSettings();
    },
    email: { ...DEFAULT_EMAIL_RETRY, ...options.email },
    webhook: { ...DEFAULT_WEBHOOK_RETRY, ...options.webhook },
  };
}
