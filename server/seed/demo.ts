/**
 * Demo data for a first run: the agencies of one local crisis-care system, one user per role, an
 * agreement between them and synthetic people known to several agencies. Everything is invented. Runs only when the database has no agencies yet.
 */
import { Agency } from '../models/Agency';
import { User } from '../models/User';
import type { AgencyKind, Role } from '../models/roles';
import { hashPassword } from '../auth/passwords';
import { seedPeople } from './people';

/** The password every demo login uses (printed at start; demo data only). */
export const DEMO_PASSWORD = 'crisis-care-demo';

export const DEMO_AGENCIES: { code: string; name: string; kind: AgencyKind }[] = [
  { code: 'POLICE', name: 'Northshire Police', kind: 'police' },
  { code: 'MHT', name: 'Northshire Mental Health NHS Trust', kind: 'mental_health' },
  { code: 'AMB', name: 'Northern Ambulance Service', kind: 'ambulance' },
  { code: 'ED', name: 'Northshire General Hospital A&E', kind: 'acute' },
  { code: 'ASC', name: 'Northshire Adult Social Care', kind: 'social_care' },
  { code: 'HOUSING', name: 'Northshire Housing Options', kind: 'housing' },
  { code: 'HAVEN', name: 'Riverside Safe Haven', kind: 'voluntary' },
];

export const DEMO_USERS: { email: string; name: string; agency: string; roles: Role[] }[] = [
  { email: 'practitioner@police.demo', name: 'Sam Practitioner', agency: 'POLICE', roles: ['practitioner'] },
  { email: 'keyworker@mht.demo', name: 'Kim Keyworker', agency: 'MHT', roles: ['key_worker', 'practitioner'] },
  { email: 'member@amb.demo', name: 'Morgan Member', agency: 'AMB', roles: ['panel_member'] },
  { email: 'chair@mht.demo', name: 'Charlie Chair', agency: 'MHT', roles: ['panel_chair', 'panel_member'] },
  { email: 'duty@mht.demo', name: 'Dana Duty', agency: 'MHT', roles: ['duty_manager'] },
  { email: 'ig@mht.demo', name: 'Iris Governance', agency: 'MHT', roles: ['ig_lead'] },
  { email: 'admin@police.demo', name: 'Alex Admin', agency: 'POLICE', roles: ['agency_admin'] },
  { email: 'sysadmin@ccw.demo', name: 'Sol Sysadmin', agency: 'MHT', roles: ['system_admin'] },
];

/** Seeds when empty; returns whether anything was written. */
export async function seedDemo(): Promise<boolean> {
  if (await Agency.exists({})) return false;
  const agencies = await Agency.insertMany(DEMO_AGENCIES);
  const byCode = new Map(agencies.map((a) => [a.code, a._id]));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await User.insertMany(
    DEMO_USERS.map((u) => ({ email: u.email, name: u.name, agencyId: byCode.get(u.agency), roles: u.roles, passwordHash })),
  );
  await seedPeople();
  return true;
}
