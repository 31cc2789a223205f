import type { Role } from './api/types';

/** How each role is named and what it lets a user do, in plain words. */
export const ROLE_INFO: Record<Role, { label: string; can: string }> = {
  practitioner: {
    label: 'Practitioner',
    can: "Record contacts and see what other agencies share about the people you work with, within your agency's sharing agreements.",
  },
  key_worker: {
    label: 'Key worker',
    can: 'Flag concerns about the people you support and seek their consent to share information.',
  },
  panel_member: {
    label: 'Panel member',
    can: 'Take part in risk panels and case conferences, and see the alerts shared with your panel.',
  },
  panel_chair: {
    label: 'Panel chair',
    can: 'Chair risk panels and case conferences: set the agenda, record decisions and assign actions.',
  },
  duty_manager: {
    label: 'Duty manager',
    can: 'Receive and acknowledge out-of-hours alerts for your agency, and escalate when needed.',
  },
  ig_lead: {
    label: 'IG lead (Caldicott)',
    can: 'Sign off decisions to share without consent, review break-glass access and read the audit log.',
  },
  agency_admin: {
    label: 'Agency administrator',
    can: "Manage your agency's users, roles and system connections.",
  },
  system_admin: {
    label: 'System administrator',
    can: 'Configure the workspace for all agencies: agencies, sharing agreements and alert rules.',
  },
};

export function roleLabel(role: Role): string {
  return ROLE_INFO[role]?.label ?? role;
}

/** Roles that work with people directly (search, person pages, recording consent). */
export const PRACTICE_ROLES: readonly Role[] = ['practitioner', 'key_worker', 'panel_member', 'panel_chair', 'duty_manager'];

/** Who may find people and open person pages: the practice roles and IG leads. */
export const PEOPLE_ROLES: readonly Role[] = [...PRACTICE_ROLES, 'ig_lead'];

export function hasAnyRole(user: { roles: readonly Role[] }, roles: readonly Role[]): boolean {
  return roles.some((role) => user.roles.includes(role));
}
