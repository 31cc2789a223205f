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
