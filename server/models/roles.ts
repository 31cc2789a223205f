/** The roles a user may hold (DESIGN.md §4). */
export const ROLES = [
  'practitioner',
  'key_worker',
  'panel_member',
  'panel_chair',
  'duty_manager',
  'ig_lead',
  'agency_admin',
  'system_admin',
] as const;

export type Role = (typeof ROLES)[number];

/** Roles whose holders must use a second factor (they can change who sees what). */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['ig_lead', 'agency_admin', 'system_admin'];

/** The kinds of agency in a crisis-care system (one list, kept with the domain data). */
export { AGENCY_KINDS, type AgencyKind } from '../../config/domain';
