/**
 * Who hears about an alert, decided by the person's consent (DESIGN.md §5, last paragraph):
 *
 * - consent given for risk panels (or a recorded decision covering risk panels) → the panels of
 *   the agencies that know the person are told, and each member sees the evidence the sharing
 *   module lets them see;
 * - no consent on file (not asked, lapsed, lacks capacity, or given but not for risk panels) → the
 *   same panels see a pseudonymous alert ("a person known to 3 agencies"), and a key worker of the
 *   agency with the most recent contact is asked to seek consent;
 * - consent refused or withdrawn → only IG leads and duty managers are told, to consider a lawful
 *   decision to share when the risk is high.
 */
import { effectiveConsent, type ConsentEntry, type DecisionFacts } from '../sharing';
import type { AudienceMode, SharingState } from '../models/Alert';

/** Roles told of an alert in each mode. */
export const AUDIENCE_ROLES: Record<AudienceMode, readonly string[]> = {
  panel: ['panel_member', 'panel_chair'],
  pseudonymous: ['panel_member', 'panel_chair'],
  restricted: ['ig_lead', 'duty_manager'],
};

/** The consent-derived sharing state and audience of a person's alerts. */
export interface AlertAudience {
  sharingState: SharingState;
  mode: AudienceMode;
  roles: string[];
}

/** True when a decision holds now and covers risk-panel use. */
function decisionCoversPanel(d: DecisionFacts, now: Date): boolean {
  if (d.status !== 'active') return false;
  if (d.expiresAt.getTime() <= now.getTime()) return false;
  return d.scope.purposes.includes('risk_panel');
}

/** Computes the audience from the person's consent history and sharing decisions at `now`. */
export function alertAudience(consents: readonly ConsentEntry[], decisions: readonly DecisionFacts[], now: Date): AlertAudience {
  const { state, entry } = effectiveConsent(consents, now);
  let sharingState: SharingState;
  if (state === 'refused' || state === 'withdrawn') sharingState = 'refused';
  else if (state === 'given' && entry && entry.scope.purposes.includes('risk_panel')) sharingState = 'consented';
  else sharingState = 'no_consent';

  let mode: AudienceMode = sharingState === 'consented' ? 'panel' : sharingState === 'no_consent' ? 'pseudonymous' : 'restricted';
  // A lawful decision to share for risk panels opens the alert to the panel whatever the consent.
  if (mode !== 'panel' && decisions.some((d) => decisionCoversPanel(d, now))) mode = 'panel';
  return { sharingState, mode, roles: [...AUDIENCE_ROLES[mode]] };
}
