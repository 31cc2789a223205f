/** Words for match reviews: statuses, comparisons and scores. */
import type { ReviewFilter, ReviewStatus } from '../api/matchReviews';

export const STATUS_LABELS: Record<ReviewStatus, string> = {
  open: 'Open',
  unsure: 'Unsure',
  linked: 'Linked',
  not_a_match: 'Not a match',
};

export const FILTER_LABELS: Record<ReviewFilter, string> = {
  undecided: 'To decide',
  open: 'Open',
  unsure: 'Unsure',
  linked: 'Linked',
  not_a_match: 'Not a match',
};

export const FILTERS: readonly ReviewFilter[] = ['undecided', 'linked', 'not_a_match'];

const COMPARISONS: Record<string, string> = {
  given_name: 'Given name',
  family_name: 'Family name',
  date_of_birth: 'Date of birth',
  nhs_number: 'NHS number',
  identifier: 'Other identifier',
  postcode: 'Postcode',
  address: 'Address',
};

/** `family_name` → "Family name". */
export function comparisonLabel(id: string): string {
  return COMPARISONS[id] ?? id.replace(/_/g, ' ');
}

/** A match weight with its sign ("+7.3", "−5.0"). */
export function formatWeight(weight: number): string {
  const fixed = Math.abs(weight).toFixed(1);
  return weight > 0 ? `+${fixed}` : weight < 0 ? `−${fixed}` : '0.0';
}
