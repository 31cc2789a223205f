import mongoose from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene, waitLinked } from '../helpers/people';
import { AuditEvent } from '../../server/models/AuditEvent';
import { verifyChain } from '../../server/audit';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('audittrail', { workers: true });
});
afterAll(async () => app.close());

const CANARY = { givenName: 'Zebedee', familyName: 'Quixotically', dateOfBirth: '1961-12-24', nhsNumber: '9990000050', postcode: 'ZZ9 9ZZ' };
const SAFE_ADDRESS = 'CANARY 77 Secret Mews';

describe('audit trail of access', () => {
  it('writes one event per record decided on a person page, with its outcome and basis', async () => {
    const scene = await buildScene();
    const subject = { givenName: 'Dana', familyName: 'Audited', dateOfBirth: '1970-01-01' };
    const own = await buildEncounter(scene.police, subject, { categories: ['demographics', 'criminal_justice'] });
    await buildEncounter(scene.trust, subject);
    await buildEncounter(scene.ae, subject);
    const personId = own.personId!;
    const police = await app.as(await buildUser({ agency: scene.police }));
    const before = await AuditEvent.countDocuments({});
    await police.get(`/api/people/${personId}`).expect(200);
    const events = await AuditEvent.find({ 'subject.personId': personId, seq: mongoose.trusted({ $gt: before }) }).sort({ seq: 1 });
    const reads = events.filter((e) => e.action === 'encounter.read');
    expect(events.filter((e) => e.action === 'person.read')).toHaveLength(1);
    expect(reads.map((e) => e.outcome).sort()).toEqual(['allowed', 'redacted', 'redacted']);
    const allowed = reads.find((e) => e.outcome === 'allowed')!;
    expect(allowed.subject!.id).toBe(own.id);
    expect(allowed.basis!.kind).toBe('own_agency');
    expect(allowed.purpose).toBe('direct_care');
    expect(String(allowed.actor!.userId)).toBeDefined();
  });

  it('audits searches without their terms, denials, writes and sign-ins, and the chain verifies', async () => {
    const scene = await buildScene();
    const built = await buildUser({ roles: ['key_worker'], agency: scene.trust });
    const session = await app.as(built);
    const enc = await session.post('/api/encounters', {
      externalRef: `CANARY-${Date.now()}`,
      occurredAt: '2026-11-01T10:00:00Z',
      kind: 'crisis_contact',
      subject: CANARY,
      summary: 'CANARY summary text about the person',
      categories: ['demographics', 'mental_health'],
      sensitive: { safeAddress: SAFE_ADDRESS },
    });
    expect(enc.status).toBe(201);
    const personId = String((await waitLinked(enc.body.encounter.id)).personId);
    await session.get(`/api/people/search?familyName=${CANARY.familyName}&dateOfBirth=${CANARY.dateOfBirth}`).expect(200);
    await session.get(`/api/people/${personId}`).expect(200);
    const outsider = await app.as(await buildUser({ agency: scene.housing }));
    await outsider.get(`/api/people/${personId}`).expect(404);

    const search = await AuditEvent.findOne({ action: 'person.search', 'actor.userId': built.user._id });
    expect(search!.reason).toBe('fields=familyName+dateOfBirth results=1');
    const denied = await AuditEvent.findOne({ action: 'access.denied', 'subject.personId': personId });
    expect(denied!.reason).toBe('no_basis');
    expect(await AuditEvent.countDocuments({ action: 'encounter.create', 'subject.id': enc.body.encounter.id })).toBe(1);
    expect(await AuditEvent.countDocuments({ action: 'auth.login', 'actor.userId': built.user._id, outcome: 'succeeded' })).toBe(1);

    // No personal data anywhere in the audit log or the application log.
    const everything = JSON.stringify(await AuditEvent.find({}).lean()) + app.logText();
    for (const canary of [CANARY.givenName, CANARY.familyName, CANARY.dateOfBirth, CANARY.nhsNumber, CANARY.postcode, SAFE_ADDRESS, 'CANARY summary', built.user.email]) {
      expect(everything).not.toContain(canary);
    }
    expect(app.logText()).toContain('"path":"/api/people/search"');

    const result = await verifyChain();
    expect(result.ok).toBe(true);
    expect(result.count).toBeGreaterThan(10);
  });
});
