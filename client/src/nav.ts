/**
 * The one table of pages in the signed-in app: where each lives, what the sidebar calls it,
 * and which roles see it. A new feature is one row here plus its page component.
 */
import type { ComponentType } from 'react';
import type { Role, User } from './api/types';
import { AccountSecurityPage } from './pages/AccountSecurityPage';
import { AgenciesPage } from './pages/AgenciesPage';
import { AgreementsPage } from './pages/AgreementsPage';
import { AlertsPage } from './pages/AlertsPage';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { BreakGlassPage } from './pages/BreakGlassPage';
import { DecisionsPage } from './pages/DecisionsPage';
import { DutyPage } from './pages/DutyPage';
import { HomePage } from './pages/HomePage';
import { ImportsPage } from './pages/ImportsPage';
import { MatchReviewsPage } from './pages/MatchReviewsPage';
import { PeoplePage } from './pages/PeoplePage';
import { RiskCodesPage } from './pages/RiskCodesPage';
import { TasksPage } from './pages/TasksPage';
import { ConferencesPage } from './pages/ConferencesPage';
import { ConferenceRoomPage } from './pages/ConferenceRoomPage';
import { ConferenceMinutesPage } from './pages/ConferenceMinutesPage';
import { UsersPage } from './pages/UsersPage';
import { RotaPage } from './duty/RotaPage';
import { PEOPLE_ROLES, PRACTICE_ROLES } from './roles';

export interface NavItem {
  /** The URL path, e.g. `/alerts`. */
  path: string;
  /** Sidebar text. */
  label: string;
  /** Who sees it: `'all'` or a list of roles (any one is enough). */
  roles: 'all' | readonly Role[];
  /** The page; it renders its own `<PageHeading>`. */
  page: ComponentType;
  /** Also own the paths below `path` (`/alerts/123`); the page reads the rest itself. */
  nested?: boolean;
  /** A route without a sidebar entry (a detail page reached from elsewhere). */
  hidden?: boolean;
}

export const NAV: readonly NavItem[] = [
  { path: '/', label: 'Home', roles: 'all', page: HomePage },
  // `/people` is the search; `/people/:id` a person page (read by PeoplePage).
  { path: '/people', label: 'People', roles: PEOPLE_ROLES, page: PeoplePage, nested: true },
  { path: '/tasks', label: 'Tasks', roles: 'all', page: TasksPage },
  // Case conferences: the list (live, upcoming, closed), a room `/conferences/room/:id`, minutes `/conferences/minutes/:id`.
  { path: '/conferences', label: 'Conferences', roles: PRACTICE_ROLES, page: ConferencesPage },
  { path: '/conferences/room', label: 'Conference room', roles: PRACTICE_ROLES, page: ConferenceRoomPage, nested: true, hidden: true },
  { path: '/conferences/minutes', label: 'Conference minutes', roles: PRACTICE_ROLES, page: ConferenceMinutesPage, nested: true, hidden: true },
  // `/alerts` is the inbox (filters in the query); `/alerts/:id` one alert (read by AlertsPage).
  { path: '/alerts', label: 'Alerts', roles: ['panel_member', 'panel_chair', 'ig_lead', 'duty_manager', 'key_worker'], page: AlertsPage, nested: true },
  // `/imports` uploads and lists; `/imports/:id` one report (read by ImportsPage). The recording roles.
  { path: '/imports', label: 'Import records', roles: PRACTICE_ROLES, page: ImportsPage, nested: true },
  // `/match-reviews` is the queue (`?status=`); `/match-reviews/:id` one review (read by MatchReviewsPage).
  { path: '/match-reviews', label: 'Match review', roles: ['panel_chair', 'ig_lead', 'agency_admin'], page: MatchReviewsPage, nested: true },
  { path: '/agreements', label: 'Agreements', roles: ['ig_lead'], page: AgreementsPage },
  // Decisions to share without consent (`?status=`), and break-glass reviews (`?reviewed=`).
  { path: '/decisions', label: 'Decisions', roles: ['ig_lead'], page: DecisionsPage },
  { path: '/break-glass', label: 'Emergency access', roles: ['ig_lead'], page: BreakGlassPage },
  // The audit log (IG leads): filter, integrity check, FHIR AuditEvent download.
  { path: '/audit', label: 'Audit log', roles: ['ig_lead'], page: AuditLogPage },
  // Administration: accounts (agency admins for their agency, system admins for all), keys, agencies.
  { path: '/admin/users', label: 'Users', roles: ['agency_admin', 'system_admin'], page: UsersPage },
  { path: '/admin/api-keys', label: 'API keys', roles: ['agency_admin'], page: ApiKeysPage },
  // The agency's local risk codes mapped onto the common taxonomy (anyone may read; admins change).
  { path: '/admin/risk-codes', label: 'Risk codes', roles: ['agency_admin'], page: RiskCodesPage },
  { path: '/admin/agencies', label: 'Agencies', roles: ['system_admin'], page: AgenciesPage },
  // Out-of-hours duty: on call now, the live queue with countdowns, handover, notification log.
  { path: '/duty', label: 'Duty', roles: ['duty_manager', 'agency_admin'], page: DutyPage },
  // The on-call rota: weekly patterns per level, overrides and swaps, gaps ahead (system admins: the shared rota).
  { path: '/rota', label: 'Rota', roles: ['duty_manager', 'agency_admin', 'system_admin'], page: RotaPage },
  { path: '/account/security', label: 'Account security', roles: 'all', page: AccountSecurityPage },
];

export function canSee(user: Pick<User, 'roles'>, item: NavItem): boolean {
  return item.roles === 'all' || item.roles.some((role) => user.roles.includes(role));
}

/** Does `pathname` belong to this item (exactly, or below it when nested)? */
export function matches(item: NavItem, pathname: string): 'exact' | 'within' | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === item.path) return 'exact';
  if (item.nested && item.path !== '/' && path.startsWith(`${item.path}/`)) return 'within';
  return null;
}

/** The item that owns `pathname`, if any, whether or not this user may see it. */
export function findRoute(pathname: string): NavItem | undefined {
  return NAV.find((item) => matches(item, pathname));
}

/** Sidebar entries for this user, in table order. */
export function navFor(user: Pick<User, 'roles'>): NavItem[] {
  return NAV.filter((item) => !item.hidden && canSee(user, item));
}
