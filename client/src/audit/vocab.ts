/** Words for the audit log: actions, outcomes, chain problems, times and ids. */
import type { AuditOutcome, ChainProblem } from '../api/audit';
import { humanise } from '../people/vocab';

/** Every action the server writes today (the filter list; the log may hold others). */
export const ACTION_LABELS: Record<string, string> = {
  'person.read': 'Person record opened',
  'person.search': 'People searched',
  'person.tell_it_once': 'Tell-it-once summary changed',
  'encounter.read': 'Encounter read',
  'encounter.create': 'Encounter recorded',
  'encounter.import': 'Encounters imported',
  'consent.create': 'Consent recorded',
  'consent.read': 'Consent read',
  'decision.options': 'Sharing options checked',
  'decision.create': 'Decision to share made',
  'decision.sign_off': 'Decision signed off',
  'decision.reject': 'Decision rejected',
  'decision.revoke': 'Decision revoked',
  break_glass: 'Emergency access (break-glass)',
  'break_glass.list': 'Emergency accesses listed',
  'break_glass.review': 'Emergency access reviewed',
  export: 'Export',
  'sar.export': 'Subject access export',
  'auth.login': 'Sign-in',
  'auth.logout': 'Sign-out',
  'access.denied': 'Access denied',
  'agreement.create': 'Agreement drafted',
  'agreement.status': 'Agreement status changed',
  'agency.create': 'Agency created',
  'agency.update': 'Agency changed',
  'user.create': 'User created',
  'user.update': 'User changed',
  'user.unlock': 'User unlocked',
  'api_client.create': 'API key created',
  'api_client.revoke': 'API key revoked',
  'task.close': 'Task closed',
  'audit.read': 'Audit log read',
  'encounter.update': 'Encounter changed',
  'person.search_hit': 'Person found by search',
  'person.unlink': 'Record unlinked from person',
  'person.merge': 'People merged',
  'match_review.list': 'Match reviews listed',
  'match_review.read': 'Match review opened',
  'match_review.decide': 'Match review decided',
  'code_map.update': 'Risk code mapping changed',
  'code_map.delete': 'Risk code mapping removed',
  'alert.list': 'Alert inbox opened',
  'alert.read': 'Alert opened',
  'alert.acknowledge': 'Alert acknowledged',
  'alert.assign': 'Alert assigned',
  'alert.note': 'Note added to alert',
  'alert.close': 'Alert closed',
  'alert.notification': 'Alert notification sent',
  'alert.route': 'Alert routed to duty manager',
  'alert.escalate': 'Alert escalated (deadline passed)',
  'alert.escalate_manual': 'Alert escalated by hand',
  'alert.re_notify': 'Reminder: acknowledged alert without action',
  'alert.take': 'Alert taken by duty manager',
  'alert.handover': 'Alert handed over',
  'duty.queue.read': 'Duty queue opened',
  'duty.on_call.read': 'On-call list read',
  'duty.gaps.read': 'Rota gaps checked',
  'duty.deliveries.read': 'Delivery log read',
  'duty.handover': 'Shift handed over',
  'duty.handover_note': 'Handover note written',
  'rota.read': 'Rota read',
  'rota.pattern_update': 'Rota pattern changed',
  'rota.pattern_delete': 'Rota pattern removed',
  'rota.override': 'On-call override added',
  'rota.swap': 'On-call shifts swapped',
  'rota.shift_cancel': 'On-call shift cancelled',
  'webhook.create': 'Webhook added',
  'webhook.delete': 'Webhook removed',
  'conference.create': 'Conference created',
  'conference.read': 'Conference opened',
  'conference.candidates.read': 'Invitable people listed',
  'conference.participant.add': 'Participant invited',
  'conference.participant.remove': 'Participant removed',
  'conference.agenda.update': 'Agenda changed',
  'conference.start': 'Conference started',
  'conference.join': 'Conference room joined',
  'conference.messages.read': 'Conference messages read',
  'conference.message.create': 'Message posted',
  'conference.message.edit': 'Message edited',
  'conference.message.redact': 'Message redacted',
  'conference.risk.create': 'Risk assessment entry recorded',
  'conference.decision.create': 'Decision recorded',
  'conference.action.create': 'Action recorded',
  'conference.action.update': 'Action updated',
  'conference.close': 'Conference closed',
  'conference.minutes.read': 'Minutes opened',
  'conference.minutes.export': 'Minutes downloaded',
};

/** The filter's actions, in a sensible order (the brief's list, then the rest the server writes). */
export const FILTER_ACTIONS: readonly string[] = [
  'person.read',
  'person.search',
  'encounter.read',
  'encounter.create',
  'encounter.import',
  'consent.create',
  'consent.read',
  'decision.create',
  'decision.sign_off',
  'break_glass',
  'export',
  'sar.export',
  'auth.login',
  'auth.logout',
  'access.denied',
  'agreement.create',
  'agreement.status',
  'user.create',
  'user.update',
  'api_client.create',
  'api_client.revoke',
  'task.close',
  'audit.read',
  // Also written by the server:
  'person.tell_it_once',
  'decision.options',
  'decision.reject',
  'decision.revoke',
  'break_glass.list',
  'break_glass.review',
  'agency.create',
  'agency.update',
  'user.unlock',
  'encounter.update',
  'person.search_hit',
  'person.unlink',
  'person.merge',
  'match_review.list',
  'match_review.read',
  'match_review.decide',
  'code_map.update',
  'code_map.delete',
  'alert.list',
  'alert.read',
  'alert.acknowledge',
  'alert.assign',
  'alert.note',
  'alert.close',
  'alert.notification',
  'alert.route',
  'alert.escalate',
  'alert.escalate_manual',
  'alert.re_notify',
  'alert.take',
  'alert.handover',
  'duty.queue.read',
  'duty.on_call.read',
  'duty.gaps.read',
  'duty.deliveries.read',
  'duty.handover',
  'duty.handover_note',
  'rota.read',
  'rota.pattern_update',
  'rota.pattern_delete',
  'rota.override',
  'rota.swap',
  'rota.shift_cancel',
  'webhook.create',
  'webhook.delete',
  'conference.create',
  'conference.read',
  'conference.candidates.read',
  'conference.participant.add',
  'conference.participant.remove',
  'conference.agenda.update',
  'conference.start',
  'conference.join',
  'conference.messages.read',
  'conference.message.create',
  'conference.message.edit',
  'conference.message.redact',
  'conference.risk.create',
  'conference.decision.create',
  'conference.action.create',
  'conference.action.update',
  'conference.close',
  'conference.minutes.read',
  'conference.minutes.export',
];

/** `person.read` → "Person record opened"; an unknown code → its words. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? humanise(action.replace(/\./g, ' '));
}

export const OUTCOME_LABELS: Record<AuditOutcome, string> = {
  allowed: 'Allowed',
  redacted: 'Redacted',
  denied: 'Denied',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

export const OUTCOME_TONES: Record<AuditOutcome, 'neutral' | 'good' | 'warn' | 'muted'> = {
  allowed: 'good',
  succeeded: 'good',
  redacted: 'neutral',
  denied: 'warn',
  failed: 'warn',
};

export const PROBLEM_LABELS: Record<ChainProblem, string> = {
  hash_mismatch: "an event's content no longer matches its hash (it was changed)",
  prev_mismatch: 'an event no longer links to the one before it (events were removed, reordered or rewritten)',
  gap: 'events are missing',
  duplicate: 'an event is stored twice',
  checkpoint_mismatch: 'the log does not match a signed checkpoint',
  truncated: 'events after a signed checkpoint are missing (the log was cut short)',
};

export function problemLabel(problem: string): string {
  return PROBLEM_LABELS[problem as ChainProblem] ?? humanise(problem);
}

/** A 24-character id shortened for a table cell: its last 8 characters. */
export function shortId(id: string): string {
  return id.length > 10 ? `…${id.slice(-8)}` : id;
}

const auditTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An instant as UK wall-clock time to the second: `4 Mar 2025, 14:30:05`. */
export function formatAuditTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : auditTimeFormat.format(date);
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Minutes Europe/London is ahead of UTC at this instant (0 or 60). */
function londonOffsetMinutes(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of londonParts.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` value, read as UK wall-clock time, → an ISO date-time with its offset:
 * `2025-07-01T09:30` → `2025-07-01T09:30:00+01:00`. `seconds` fills the unsent seconds (59 for
 * an inclusive "to"). Null when the value is not a date-time.
 */
export function londonLocalToIso(value: string, seconds = 0): string | null {
  const m = LOCAL.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number);
  const s = m[6] === undefined ? seconds : Number(m[6]);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wall)) return null;
  // The offset at the guessed instant, checked once more near a clock change.
  let offset = londonOffsetMinutes(wall - londonOffsetMinutes(wall) * 60000);
  offset = londonOffsetMinutes(wall - offset * 60000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${pad(s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A file-name stamp for now, UK time: `2025-07-01-0930`. */
export function fileStamp(now = new Date()): string {
  const parts: Record<string, string> = {};
  for (const part of londonParts.formatToParts(now)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}-${parts.hour}${parts.minute}`;
}
