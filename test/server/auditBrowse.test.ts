/**
 * IG leads browse the audit log: scoped to their own agency's activity and to people their
 * agency knows, filtered, paged newest first by seq, exported as FHIR, and the chain checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startTestApp, type TestApp, type SignedIn } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { AuditEvent } from '../../server/models/AuditEvent';
import { loadOrCreateSigningKey, writeCheckpoint } from '../../server/audit';

const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-browse-'));
let app: TestApp;
let scene: Awaited<ReturnType<typeof buildScene>>;
let shared: string; // known to police and the trust
let hidden: string; // known to the trust only
let trustUserId: string;
let policeIg: SignedIn;
let housingIg: SignedIn;

type Ev = { seq: number; action: string; outcome: string; at: string; actor: { userId: string | null; agencyId: string | null }; subject: { personId: string | null } };

beforeAll(async () => {
  app = await startTestApp('auditbrowse', { env: { AUDIT_DIR: auditDir } });
  scene = await buildScene();
  const a = { givenName: 'Ada', familyName: 'Browsable', dateOfBirth: '1980-02-02' };
  const b = { givenName: 'Bea', familyName: 'Elsewhere', dateOfBirth: '1981-03-03' };
  shared = String((await buildEncounter(scene.police, a)).personId);
  await buildEncounter(scene.trust, a);
  hidden = String((await buildEncounter(scene.trust, b)).personId);
  const trustUser = await buildUser({ roles: ['practitioner'], agency: scene.trust });
  trustUserId = String(trustUser.user._id);
  const trust = await app.as(trustUser);
  await trust.get(`/api/people/${shared}`).expect(200);
  await trust.get(`/api/people/${hidden}`).expect(200);
  const police = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.police }));
  await police.get(`/api/people/${shared}`).expect(200);
  const outsider = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.housing }));
  await outsider.get(`/api/people/${shared}`).expect(404);
  policeIg = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.police, mfa: true }));
  housingIg = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.housing, mfa: true }));
});
afterAll(async () => {
  await app.close();
  fs.rmSync(auditDir, { recursive: true, force: true });
});

const page = async (s: SignedIn, query: string): Promise<{ events: Ev[]; nextBefore: number | null }> => {
  const res = await s.get(`/api/audit${query}`);
  expect(res.status).toBe(200);
  return res.body;
};

describe('GET /api/audit scoping', () => {
  it('shows another agency\'s access to a person the IG lead\'s agency knows, never to one it does not', async () => {
    // The events exist: the test would pass vacuously otherwise.
    expect(await AuditEvent.countDocuments({ 'subject.personId': new mongoose.Types.ObjectId(hidden), 'actor.agencyId': scene.trust._id })).toBeGreaterThan(0);
    const { events } = await page(policeIg, '?limit=200');
    const trustReadsShared = events.filter((e) => e.actor.agencyId === String(scene.trust._id) && e.subject.personId === shared && e.action === 'person.read');
    expect(trustReadsShared).toHaveLength(1);
    expect(events.some((e) => e.subject.personId === hidden && e.actor.agencyId !== String(scene.police._id))).toBe(false);
    // Housing's refused attempt on a person police know is shown to the police IG lead.
    expect(events.some((e) => e.subject.personId === shared && e.action === 'access.denied' && e.actor.agencyId === String(scene.housing._id))).toBe(true);
    expect((await page(policeIg, `?personId=${hidden}&action=person.read`)).events).toEqual([]);
  });

  it('shows an IG lead of an unrelated agency nothing but their own agency\'s activity', async () => {
    const { events } = await page(housingIg, '?limit=200');
    expect(events.length).toBeGreaterThan(0); // their own sign-in
    for (const e of events) expect(e.actor.agencyId).toBe(String(scene.housing._id));
    // About a person police and the trust know, housing sees only its own refused attempt.
    const aboutShared = (await page(housingIg, `?personId=${shared}`)).events;
    expect(aboutShared.map((e) => [e.action, e.actor.agencyId])).toEqual([['access.denied', String(scene.housing._id)]]);
    expect((await page(housingIg, `?personId=${hidden}`)).events).toEqual([]);
  });

  it('refuses other roles with 403', async () => {
    for (const roles of [['practitioner'], ['duty_manager'], ['agency_admin'], ['system_admin']] as const) {
      const s = await app.as(await buildUser({ roles: [...roles], agency: scene.police, mfa: roles[0] !== 'practitioner' && roles[0] !== 'duty_manager' }));
      expect((await s.get('/api/audit')).status).toBe(403);
      expect((await s.get('/api/audit/fhir')).status).toBe(403);
    }
    expect((await app.anon().get('/api/audit')).status).toBe(401);
  });

  it('audits every read of the log as audit.read', async () => {
    const before = await AuditEvent.countDocuments({ action: 'audit.read' });
    await page(policeIg, `?personId=${shared}&outcome=allowed`);
    const ev = await AuditEvent.findOne({ action: 'audit.read' }).sort({ seq: -1 });
    expect(await AuditEvent.countDocuments({ action: 'audit.read' })).toBe(before + 1);
    expect(String(ev!.subject!.personId)).toBe(shared);
    expect(ev!.reason).toMatch(/^format=json filters=outcome\+personId results=\d+$/);
  });
});

describe('GET /api/audit filters and pagination', () => {
  it('filters by action, outcome, user, person and time', async () => {
    const redacted = (await page(policeIg, `?personId=${shared}&action=encounter.read&outcome=redacted`)).events;
    expect(redacted.length).toBeGreaterThan(0);
    for (const e of redacted) expect([e.action, e.outcome, e.subject.personId]).toEqual(['encounter.read', 'redacted', shared]);
    const byUser = (await page(policeIg, `?userId=${trustUserId}`)).events;
    expect(byUser.length).toBeGreaterThan(0);
    for (const e of byUser) expect(e.actor.userId).toBe(trustUserId);
    const past = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    expect((await page(policeIg, `?personId=${shared}&to=${past}`)).events).toEqual([]);
    expect((await page(policeIg, `?personId=${shared}&from=${future}`)).events).toEqual([]);
    expect((await page(policeIg, `?personId=${shared}&from=${past}&to=${future}`)).events.length).toBeGreaterThan(0);
  });

  it('pages newest first by seq with no gaps or repeats', async () => {
    const all = (await page(policeIg, `?personId=${shared}&limit=200`)).events.map((e) => e.seq);
    expect(all.length).toBeGreaterThan(4);
    expect([...all].sort((x, y) => y - x)).toEqual(all);
    const seen: number[] = [];
    let before: number | null = all[0] + 1; // ignore the audit.read events paging itself adds
    while (before !== null) {
      const p = await page(policeIg, `?personId=${shared}&limit=2&before=${before}`);
      expect(p.events.length).toBeLessThanOrEqual(2);
      seen.push(...p.events.map((e) => e.seq));
      before = p.nextBefore;
    }
    expect(seen).toEqual(all);
  });

  it.each([
    ['an operator in a filter', '?action[$ne]=person.read'],
    ['an operator on a user', '?userId[$gt]=0'],
    ['an unknown field', '?agencyId=5f0000000000000000000000'],
    ['a malformed person id', '?personId=abc'],
    ['a repeated field', '?action=person.read&action=auth.login'],
    ['a bad outcome', '?outcome=maybe'],
    ['a page too large', '?limit=1000'],
    ['a zero limit', '?limit=0'],
    ['a cursor that is not a number', '?before=1e3'],
    ['a date without a zone', '?from=2026-01-01'],
    ['to before from', '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
  ])('refuses %s with 400', async (_name, query) => {
    const res = await policeIg.get(`/api/audit${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect((await policeIg.get(`/api/audit/fhir${query}`)).status).toBe(400);
  });
});

describe('GET /api/audit/fhir', () => {
  it('returns a FHIR R4 searchset Bundle of AuditEvents with a next link', async () => {
    const res = await policeIg.get(`/api/audit/fhir?personId=${shared}&limit=2`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const b = res.body;
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(b.entry).toHaveLength(2);
    for (const entry of b.entry) {
      expect(entry.search).toEqual({ mode: 'match' });
      expect(entry.resource.resourceType).toBe('AuditEvent');
      expect(entry.resource.id).toMatch(/^audit-\d+$/);
      expect(entry.resource.entity).toEqual(expect.arrayContaining([expect.objectContaining({ what: { reference: `Patient/${shared}` } })]));
      expect(['0', '4', '8']).toContain(entry.resource.outcome);
    }
    const next = b.link.find((l: { relation: string }) => l.relation === 'next');
    const lastSeq = Number(b.entry[1].resource.id.slice('audit-'.length));
    expect(new URL(next.url).searchParams.get('before')).toBe(String(lastSeq));
    expect(b.link.find((l: { relation: string }) => l.relation === 'self')).toBeDefined();
    expect(await AuditEvent.findOne({ action: 'audit.read', reason: /^format=fhir / })).not.toBeNull();
  });
});

describe('GET /api/audit/verify', () => {
  it('is open to IG leads and system admins only', async () => {
    const admin = await app.as(await buildUser({ roles: ['system_admin'], mfa: true }));
    const res = await admin.get('/api/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, checkpoints: 0, firstBroken: null });
    expect(res.body.count).toBe(res.body.lastSeq);
    expect((await policeIg.get('/api/audit/verify')).body.ok).toBe(true);
    const manager = await app.as(await buildUser({ roles: ['agency_admin'], agency: scene.police, mfa: true }));
    expect((await manager.get('/api/audit/verify')).status).toBe(403);
    const practitioner = await app.as(await buildUser({ agency: scene.police }));
    expect((await practitioner.get('/api/audit/verify')).status).toBe(403);
  });

  // Last: it truncates this file's log.
  it('checks the signed checkpoints in AUDIT_DIR, so a deleted tail is reported', async () => {
    const { privateKeyPem } = await loadOrCreateSigningKey(auditDir);
    const cp = await writeCheckpoint({ dir: auditDir, privateKeyPem });
    expect(cp).not.toBeNull();
    expect((await policeIg.get('/api/audit/verify')).body).toMatchObject({ ok: true, checkpoints: 1 });
    const tail = (await AuditEvent.findOne({}).sort({ seq: -1 }))!.seq;
    await mongoose.connection.collection('auditevents').deleteMany({ seq: { $gt: cp!.seq - 3 } });
    const res = await policeIg.get('/api/audit/verify');
    expect(res.status).toBe(200);
    expect(tail).toBeGreaterThanOrEqual(cp!.seq);
    expect(res.body.ok).toBe(false);
    expect(res.body.firstBroken).toMatchObject({ seq: cp!.seq - 2, problem: 'truncated' });
  });
});
