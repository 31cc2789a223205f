/**
 * The access matrix: every role × every person-facing route × (own agency, a foreign agency with
 * a sharing basis, a foreign agency without one) → the expected status. A foreign agency's ids
 * answer 404, exactly as missing ones do, so nothing leaks existence.
 */
import { startTestApp, type TestApp, type SignedIn } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { ImportJob } from '../../server/models/ImportJob';
import { ROLES, type Role } from '../../server/models/roles';
import type { AgencyDoc } from '../../server/models/Agency';

type Where = 'own' | 'foreign_basis' | 'foreign_none';
const WHERE: Where[] = ['own', 'foreign_basis', 'foreign_none'];

interface Fixture {
  personId: string;
  importId: string;
  agreementId: string;
  /** A practitioner of the "own" agency, for user-management routes. */
  ownUserId: string;
}

interface RouteCase {
  name: string;
  call: (s: SignedIn, f: Fixture) => Promise<{ status: number }>;
  /** Expected status for a role, given where the caller's agency stands. */
  expect: (role: Role, where: Where) => number;
}

const PRACTICE: Role[] = ['practitioner', 'key_worker', 'panel_member', 'panel_chair', 'duty_manager'];
const DECIDERS: Role[] = ['duty_manager', 'panel_chair', 'key_worker', 'ig_lead'];
const VIEWERS: Role[] = [...PRACTICE, 'ig_lead'];
const is = (role: Role, list: Role[]) => list.includes(role);

const ROUTES: RouteCase[] = [
  {
    name: 'GET /api/people/:id',
    call: (s, f) => s.get(`/api/people/${f.personId}`),
    expect: (role, where) => (!is(role, VIEWERS) ? 403 : where === 'foreign_none' ? 404 : 200),
  },
  {
    name: 'GET /api/people/:id/consents',
    call: (s, f) => s.get(`/api/people/${f.personId}/consents`),
    expect: (role, where) => (where !== 'own' ? 404 : is(role, VIEWERS) ? 200 : 404),
  },
  {
    name: 'POST /api/people/:id/consents',
    call: (s, f) => s.post(`/api/people/${f.personId}/consents`, { status: 'not_asked' }),
    expect: (role, where) => (where === 'own' && is(role, PRACTICE) ? 201 : 404),
  },
  {
    name: 'GET /api/people/search',
    call: (s) => s.get('/api/people/search?familyName=Matrix&dateOfBirth=1975-05-05'),
    expect: (role) => (is(role, VIEWERS) ? 200 : 403),
  },
  {
    name: 'POST /api/encounters',
    call: (s) =>
      s.post('/api/encounters', {
        externalRef: `M-${Math.random().toString(36).slice(2)}`,
        occurredAt: '2026-11-01T00:00:00Z',
        kind: 'assessment',
        subject: { familyName: 'Other' },
        categories: ['risk'],
      }),
    expect: (role) => (is(role, PRACTICE) ? 201 : 403),
  },
  {
    name: 'GET /api/imports/:id',
    call: (s, f) => s.get(`/api/imports/${f.importId}`),
    expect: (role, where) => (!is(role, PRACTICE) ? 403 : where === 'own' ? 200 : 404),
  },
  {
    name: 'GET /api/agreements/:id',
    call: (s, f) => s.get(`/api/agreements/${f.agreementId}`),
    expect: (role, where) => (role !== 'ig_lead' ? 403 : where === 'foreign_none' ? 404 : 200),
  },
  {
    name: 'GET /api/tasks',
    call: (s) => s.get('/api/tasks'),
    expect: () => 200,
  },
  {
    name: 'GET /api/people/:id/consents/fhir',
    call: (s, f) => s.get(`/api/people/${f.personId}/consents/fhir`),
    expect: (role, where) => (where === 'own' && is(role, VIEWERS) ? 200 : 404),
  },
  {
    name: 'GET /api/people/:id/decisions/options',
    call: (s, f) => s.get(`/api/people/${f.personId}/decisions/options`),
    expect: (role, where) => (where === 'own' && is(role, DECIDERS) ? 200 : 404),
  },
  {
    // Without a fresh code: the step-up check answers before anything else is revealed.
    name: 'POST /api/people/:id/break-glass (no code)',
    call: (s, f) => s.post(`/api/people/${f.personId}/break-glass`, { reason: 'Found unresponsive, need history now' }),
    expect: (role) => (is(role, PRACTICE) ? 401 : 403),
  },
  {
    name: 'POST /api/people/:id/sar (no code)',
    call: (s, f) => s.post(`/api/people/${f.personId}/sar`, {}),
    expect: (role, where) => (role !== 'ig_lead' ? 403 : where === 'own' ? 401 : 404),
  },
  {
    name: 'GET /api/decisions',
    call: (s) => s.get('/api/decisions'),
    expect: (role) => (role === 'ig_lead' ? 200 : 403),
  },
  {
    name: 'GET /api/break-glass',
    call: (s) => s.get('/api/break-glass'),
    expect: (role) => (role === 'ig_lead' ? 200 : 403),
  },
  {
    name: 'GET /api/audit',
    call: (s) => s.get('/api/audit'),
    expect: (role) => (role === 'ig_lead' ? 200 : 403),
  },
  {
    name: 'GET /api/audit/verify',
    call: (s) => s.get('/api/audit/verify'),
    expect: (role) => (role === 'ig_lead' || role === 'system_admin' ? 200 : 403),
  },
  {
    name: 'GET /api/users/:id',
    call: (s, f) => s.get(`/api/users/${f.ownUserId}`),
    expect: (role, where) => (role === 'system_admin' ? 200 : role !== 'agency_admin' ? 403 : where === 'own' ? 200 : 404),
  },
  {
    name: 'GET /api/api-clients',
    call: (s) => s.get('/api/api-clients'),
    expect: (role) => (role === 'agency_admin' ? 200 : 403),
  },
  {
    name: 'GET /api/agencies',
    call: (s) => s.get('/api/agencies'),
    expect: () => 200,
  },
  {
    name: 'GET /api/admin/queues',
    call: (s) => s.get('/api/admin/queues'),
    expect: (role) => (role === 'system_admin' ? 200 : 403),
  },
];

let app: TestApp;
let fixture: Fixture;
const sessions = new Map<string, SignedIn>();

beforeAll(async () => {
  app = await startTestApp('matrix', { limits: { loginsPerIp: 1000 } });
  const scene = await buildScene();
  const subject = { givenName: 'Mat', familyName: 'Matrix', dateOfBirth: '1975-05-05' };
  // The "own" agency is the trust; police share the agreement; housing does not.
  const enc = await buildEncounter(scene.trust, subject);
  const owner = await buildUser({ roles: ['practitioner'], agency: scene.trust });
  const imp = await ImportJob.create({ agencyId: scene.trust._id, createdBy: owner.user._id, status: 'completed', content: null });
  fixture = { personId: String(enc.personId), importId: imp.id as string, agreementId: scene.agreement.id as string, ownUserId: owner.user.id as string };
  const agencies: Record<Where, AgencyDoc> = { own: scene.trust, foreign_basis: scene.police, foreign_none: scene.housing };
  for (const where of WHERE) {
    for (const role of ROLES) {
      sessions.set(`${role}/${where}`, await app.as(await buildUser({ roles: [role], agency: agencies[where], mfa: true })));
    }
  }
}, 120_000);

afterAll(async () => app.close());

const cases = ROUTES.flatMap((route) => ROLES.flatMap((role) => WHERE.map((where) => ({ route, role, where }))));

describe('access matrix', () => {
  it.each(cases.map((c) => [c.route.name, c.role, c.where, c.route.expect(c.role, c.where), c] as const))(
    '%s as %s (%s) → %i',
    async (_name, role, where, expected, c) => {
      const res = await c.route.call(sessions.get(`${role}/${where}`)!, fixture);
      expect(res.status).toBe(expected);
    },
  );
});
