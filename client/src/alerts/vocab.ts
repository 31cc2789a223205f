/** Words for alerts: severities, statuses, who is told, outcomes, timeline steps and deadlines. */
import {
  isSeverity,
  isStatusFilter,
  type AlertDetail,
  type AlertFilters,
  type AlertStatus,
  type AlertTimelineEntry,
  type AudienceMode,
  type CloseOutcome,
  type SharingState,
  type Severity,
  type StatusFilter,
} from '../api/alerts';
import type { Remedy } from '../api/people';
import { humanise } from '../people/vocab';

export const SEVERITY_LABELS: Record<Severity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const STATUS_LABELS: Record<AlertStatus, string> = {
  open: 'Open: not yet acknowledged',
  acknowledged: 'Acknowledged',
  in_review: 'In review',
  conference: 'In a case conference',
  closed: 'Closed',
};

/** Short words for a badge. */
export const STATUS_SHORT: Record<AlertStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  in_review: 'In review',
  conference: 'Case conference',
  closed: 'Closed',
};

export const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  active: 'Active (not closed)',
  open: 'Open: not yet acknowledged',
  acknowledged: 'Acknowledged',
  in_review: 'In review',
  conference: 'In a case conference',
  closed: 'Closed',
};

export const SHARING_STATE_LABELS: Record<SharingState, string> = {
  consented: 'Consent to share with risk panels',
  no_consent: 'No consent on file',
  refused: 'Consent refused',
};

export const MODE_LABELS: Record<AudienceMode, string> = {
  panel: 'Shared with the risk panel',
  pseudonymous: 'Identity withheld',
  restricted: 'Restricted: IG leads and duty managers only',
};

export const OUTCOME_LABELS: Record<CloseOutcome, string> = {
  no_further_action: 'No further action',
  referred: 'Referred to a service',
  care_plan_updated: 'Care plan updated',
  conference_held: 'Case conference held',
  consent_sought: 'Consent sought',
  lawful_decision_recorded: 'Lawful decision to share recorded',
  duplicate: 'Duplicate of another alert',
  other: 'Other (explain in the note)',
};

/** What to do about records withheld from the alert, in the alert's own words. */
export const ALERT_REMEDY_HINTS: Record<Remedy, string> = {
  seek_consent: "Ask the person's key worker to seek their consent to share.",
  request_decision: 'Ask your IG lead whether a decision to share without consent is justified.',
  renew_consent: "The person's consent has expired: ask their key worker to renew it.",
  agreement_needed: 'Your IG lead can extend the data-sharing agreement to cover this.',
  break_glass: "Emergency access is available from the person's page if someone is at immediate risk.",
};

export const PSEUDONYMOUS_TEXT = 'Identity withheld: no consent on file. A key worker has been asked to seek consent.';
export const RESTRICTED_TEXT =
  'Consent refused: only IG leads and duty managers see this alert; consider whether a lawful decision to share is needed';

export function severityLabel(severity: string): string {
  return SEVERITY_LABELS[severity as Severity] ?? humanise(severity);
}

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as AlertStatus] ?? humanise(status);
}

export function statusShort(status: string): string {
  return STATUS_SHORT[status as AlertStatus] ?? humanise(status);
}

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome as CloseOutcome] ?? humanise(outcome);
}

export function modeLabel(mode: string | null): string {
  return mode ? (MODE_LABELS[mode as AudienceMode] ?? humanise(mode)) : 'Not yet decided';
}

/** "A person known to 3 agencies": how a pseudonymous alert names its subject. */
export function knownToAgenciesText(count: number): string {
  return `A person known to ${count} ${count === 1 ? 'agency' : 'agencies'}`;
}

/** "4 records from 3 agencies". */
export function evidenceCountText(summary: { agencyCount: number; encounterCount: number }): string {
  const records = `${summary.encounterCount} ${summary.encounterCount === 1 ? 'record' : 'records'}`;
  return `${records} from ${summary.agencyCount} ${summary.agencyCount === 1 ? 'agency' : 'agencies'}`;
}

/** "12 minutes", "1 hour 5 minutes", "2 days 3 hours", for a span of milliseconds. */
export function durationText(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}` : plural(hours, 'hour');
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${plural(days, 'day')} ${plural(hours % 24, 'hour')}` : plural(days, 'day');
}

/** Does the acknowledgement deadline still matter (set, and nobody has acknowledged)? */
export function deadlineApplies(alert: { ackDeadline: string | null; acknowledgedAt: string | null; status: string }): boolean {
  return Boolean(alert.ackDeadline) && !alert.acknowledgedAt && alert.status === 'open';
}

/** "Acknowledge within 12 minutes" or "Acknowledgement overdue by 3 minutes". */
export function deadlineText(deadline: string, now: number): { text: string; overdue: boolean } {
  const left = Date.parse(deadline) - now;
  if (Number.isNaN(left)) return { text: 'Acknowledge as soon as you can', overdue: false };
  if (left <= 0) return { text: `Acknowledgement overdue by ${durationText(left)}`, overdue: true };
  return { text: `Acknowledge within ${durationText(left)}`, overdue: false };
}

/** The inbox filters as kept in the URL query; anything unknown is ignored. */
export function filtersFromQuery(query: URLSearchParams): Required<Pick<AlertFilters, 'status'>> & AlertFilters {
  const status = query.get('status');
  const severity = query.get('severity');
  const ruleId = query.get('ruleId');
  return {
    status: isStatusFilter(status) ? status : 'active',
    severity: isSeverity(severity) ? severity : undefined,
    ruleId: ruleId && /^[a-z0-9_]{1,100}$/.test(ruleId) ? ruleId : undefined,
    assigned: query.get('assigned') === 'me' ? 'me' : undefined,
  };
}

/** `/alerts?severity=high&assigned=me` (the default status is left out). */
export function inboxPath(filters: AlertFilters): string {
  const params = new URLSearchParams();
  if (filters.status && filters.status !== 'active') params.set('status', filters.status);
  if (filters.severity) params.set('severity', filters.severity);
  if (filters.ruleId) params.set('ruleId', filters.ruleId);
  if (filters.assigned) params.set('assigned', filters.assigned);
  const query = params.toString();
  return query ? `/alerts?${query}` : '/alerts';
}

export function hasFilters(filters: AlertFilters): boolean {
  return (filters.status ?? 'active') !== 'active' || Boolean(filters.severity || filters.ruleId || filters.assigned);
}

const ROUTING_LEVEL_WORDS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth' };

function levelWords(level: unknown): string {
  return typeof level === 'number' ? `the ${ROUTING_LEVEL_WORDS[level] ?? `level ${level}`} on-call duty manager` : 'the on-call duty manager';
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * One line for a timeline step. `names` knows the users the page knows (the assignee, whoever
 * acknowledged, the assignee list), for steps whose detail names someone by id.
 */
export function timelineText(entry: AlertTimelineEntry, names: ReadonlyMap<string, string>): string {
  const d = entry.detail ?? {};
  const nameOf = (id: unknown) => (typeof id === 'string' ? names.get(id) : undefined);
  switch (entry.kind) {
    case 'raised': {
      const severity = str(d.severity);
      return severity ? `Alert raised at ${severityLabel(severity).toLowerCase()} severity` : 'Alert raised';
    }
    case 'evidence_updated': {
      const encounters = typeof d.encounters === 'number' ? d.encounters : null;
      const agencies = typeof d.agencies === 'number' ? d.agencies : null;
      return encounters !== null && agencies !== null
        ? `New evidence: now ${evidenceCountText({ encounterCount: encounters, agencyCount: agencies })}`
        : 'New evidence added';
    }
    case 'severity_changed': {
      const from = str(d.from);
      const to = str(d.to);
      const why = d.reason === 'evidence_withdrawn' ? ' (evidence was withdrawn)' : '';
      return from && to
        ? `Severity changed from ${severityLabel(from).toLowerCase()} to ${severityLabel(to).toLowerCase()}${why}`
        : `Severity changed${why}`;
    }
    case 'audience_changed': {
      const to = str(d.to);
      return to ? `Who sees it changed: now ${modeLabel(to).toLowerCase()}` : 'Who sees it changed';
    }
    case 'notified': {
      const users = typeof d.users === 'number' ? d.users : null;
      return users !== null ? `${users} ${users === 1 ? 'person' : 'people'} told in the workspace` : 'People told in the workspace';
    }
    case 'routed': {
      if (d.taken) return 'Taken over by the duty manager';
      if (d.mode === 'in_hours') return 'Sent to the risk panel (working hours)';
      if (d.mode === 'out_of_hours') {
        return d.nobodyOnCall
          ? 'Out of hours: nobody was on call, so it went straight up the escalation ladder'
          : `Out of hours: sent to ${levelWords(d.level)}`;
      }
      return 'Routed';
    }
    case 'acknowledged':
      return 'Acknowledged';
    case 'assigned': {
      const name = nameOf(d.userId);
      return name ? `Assigned to ${name}` : 'Assigned to a colleague';
    }
    case 'note':
      return 'Note added';
    case 'conference_scheduled':
      return 'Case conference scheduled';
    case 'escalated': {
      const how = d.manual ? 'Escalated by hand' : 'Not acknowledged in time: escalated';
      return `${how} to ${levelWords(d.level)}${d.nobodyOnCall ? ', but nobody was on call' : ''}`;
    }
    case 'handed_over': {
      const to = nameOf(d.to);
      return `${d.automatic ? 'Handed over at the end of a shift' : 'Handed over'}${to ? ` to ${to}` : ''}`;
    }
    case 're_notified':
      return 'Reminder sent: acknowledged but not yet worked on';
    case 'closed': {
      const outcome = str(d.outcome);
      return outcome ? `Closed: ${outcomeLabel(outcome)}` : 'Closed';
    }
    case 'reopened':
      return 'Reopened';
    default:
      return humanise(entry.kind);
  }
}

/** Who took a step: a name, "A colleague" when the name is not known, or the workspace itself. */
export function actorText(entry: AlertTimelineEntry): string {
  if (!entry.actor) return 'Crisis Care Workspace';
  return entry.actor.name ?? 'A colleague';
}

/** Names the alert page knows, by user id. */
export function knownNames(alert: AlertDetail, extra: readonly { id: string; name: string }[] = []): Map<string, string> {
  const names = new Map<string, string>();
  for (const user of extra) names.set(user.id, user.name);
  for (const ref of [alert.assignee, alert.acknowledgedBy, ...alert.timeline.map((t) => t.actor)]) {
    if (ref?.name) names.set(ref.id, ref.name);
  }
  return names;
}
