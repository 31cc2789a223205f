/** Words for conferences: statuses, outcomes, message kinds, room states. */
import type { ConferenceOutcome, ConferenceStatus } from '../api/conferences';
import { humanise } from '../people/vocab';

export const STATUS_LABELS: Record<ConferenceStatus, string> = {
  scheduled: 'Upcoming',
  live: 'Live',
  closed: 'Closed',
};

export const OUTCOME_LABELS: Record<ConferenceOutcome, string> = {
  plan_agreed: 'Multi-agency plan agreed',
  monitor: 'Monitor and review',
  escalated: 'Escalated',
  no_further_action: 'No further multi-agency action',
  adjourned: 'Adjourned',
};

export const ACTION_STATUS_LABELS: Record<string, string> = { open: 'Open', done: 'Done', cancelled: 'Cancelled' };

/** What a refusal code means for someone trying to join. */
export function refusalText(code: string, message: string): string {
  if (code === 'not_found') return 'This conference does not exist, or you are not a participant.';
  if (code === 'no_sharing_basis') return `Your agency can no longer take part: ${message}`;
  return message;
}

export function outcomeLabel(code: string | null | undefined): string {
  return code ? (OUTCOME_LABELS[code as ConferenceOutcome] ?? humanise(code)) : '—';
}

/** "Ana is typing…", "Ana and Ben are typing…". */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
