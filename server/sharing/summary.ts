import type { RedactCode, Remedy, SharingOutcome } from './types';

/** One marker on a person's timeline standing for records the viewer may not see. */
export interface WithheldMarker {
  agencyName: string;
  /** How many of that agency's records are withheld for this reason. */
  count: number;
  code: RedactCode;
  reason: string;
  /** The way to ask for access. */
  remedy: Remedy;
  /** Ready to show, e.g. "2 Police records withheld: no consent on file for sharing with your agency". */
  text: string;
}

/**
 * Groups redacted records into timeline markers, one per agency and reason, in order of first
 * appearance. Denied records are left out entirely (the viewer may not learn they exist), and
 * allowed ones need no marker.
 */
export function summariseWithheld(items: readonly { agencyName: string; outcome: SharingOutcome }[]): WithheldMarker[] {
  const markers = new Map<string, WithheldMarker>();
  for (const { agencyName, outcome } of items) {
    if (outcome.effect !== 'redact') continue;
    const key = JSON.stringify([agencyName, outcome.code, outcome.reason, outcome.remedy]);
    const marker = markers.get(key);
    if (marker) marker.count += 1;
    else markers.set(key, { agencyName, count: 1, code: outcome.code, reason: outcome.reason, remedy: outcome.remedy, text: '' });
  }
  return [...markers.values()].map((m) => ({
    ...m,
    text: `${m.count} ${m.agencyName} ${m.count === 1 ? 'record' : 'records'} withheld: ${asClause(m.reason)}`,
  }));
}

/** "No consent on file." → "no consent on file"; leaves acronyms such as "IG" alone. */
function asClause(reason: string): string {
  const trimmed = reason.replace(/[.\s]+$/, '');
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed[0].toLowerCase() + trimmed.slice(1) : trimmed;
}
