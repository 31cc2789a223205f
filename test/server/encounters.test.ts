import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildApiClient, buildUser } from '../helpers/factories';
import { Encounter } from '../../server/models/Encounter';
import { Person } from '../../server/models/Person';
import { AgencyCodeMap } from '../../server/models/AgencyCodeMap';
import { validNhsNumber } from '../../server/commands/personLinker';
import { waitLinked } from '../helpers/people';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('encounters', { workers: true });
});
afterAll(async () => app.close());

let seq = 0;
function encounter(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    externalRef: `REF-${Date.now()}-${seq}`,
    occurredAt: '2026-11-20T02:10:00Z',
    kind: 'crisis_contact',
    subject: { givenName: 'Alex', familyName: `Testperson${seq}`, dateOfBirth: '1990-04-12', postcode: 'ls1 4ap' },
    riskIndicators: [{ category: 'self_harm', level: 'high', note: 'Cut forearm' }],
    summary: 'Found on bridge, talked down.',
    categories: ['mental_health', 'risk'],
    ...overrides,
  };
}

describe('POST /api/encounters', () => {
  it('records a contact for the user\'s own agency, answers before linking, then the link job makes a new person', async () => {
    const session = await app.as(await buildUser({ roles: ['practitioner'] }));
    const res = await session.post('/api/encounters', encounter());
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(true);
    expect(res.body.encounter.personId).toBeNull();
    expect(res.body.encounter.link.status).toBe('pending');
    const stored = await waitLinked(res.body.encounter.id);
    expect(String(stored.agencyId)).toBe(res.body.encounter.agencyId);
    expect(stored.subject!.postcode).toBe('LS1 4AP');
    expect(stored.blockingKeys.length).toBeGreaterThan(0);
    expect(stored.personId).not.toBeNull();
    expect(stored.link!.status).toBe('auto');
    expect(stored.link!.method).toBe('new_person');
    const person = await Person.findById(stored!.personId);
    expect(person!.agencyIds.map(String)).toEqual([String(stored!.agencyId)]);
  });

  it('stores a re-sent record once (same agency and externalRef)', async () => {
    const session = await app.as(await buildUser());
    const body = encounter();
    const first = await session.post('/api/encounters', body);
    const second = await session.post('/api/encounters', body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.created).toBe(false);
    expect(second.body.encounter.id).toBe(first.body.encounter.id);
    expect(await Encounter.countDocuments({ externalRef: body.externalRef })).toBe(1);
    const linked = await waitLinked(first.body.encounter.id);
    expect(await Person.countDocuments({ _id: linked.personId })).toBe(1);
  });

  it('links records from two agencies with the same valid NHS number to one person', async () => {
    const nhs = '9434765919';
    expect(validNhsNumber(nhs)).toBe(true);
    const police = await app.as(await buildUser({ agency: await buildAgency({ kind: 'police' }) }));
    const ae = await app.as(await buildUser({ agency: await buildAgency({ kind: 'acute' }) }));
    const a = await police.post('/api/encounters', encounter({ subject: { givenName: 'Jo', familyName: 'Bloggs', nhsNumber: nhs } }));
    const linkedA = await waitLinked(a.body.encounter.id);
    const b = await ae.post('/api/encounters', encounter({ subject: { givenName: 'Joanne', familyName: 'Bloggs', nhsNumber: '943 476 5919' } }));
    const linkedB = await waitLinked(b.body.encounter.id);
    expect(String(linkedB.personId)).toBe(String(linkedA.personId));
    expect(linkedB.link!.method).toBe('match_weight');
    const person = await Person.findById(linkedA.personId);
    expect(person!.agencyIds).toHaveLength(2);
  });

  it('ignores an NHS number whose check digit is wrong', async () => {
    const session = await app.as(await buildUser());
    const a = await session.post('/api/encounters', encounter({ subject: { familyName: 'One', nhsNumber: '9434765918' } }));
    expect(a.status).toBe(201);
    const linkedA = await waitLinked(a.body.encounter.id);
    const b = await session.post('/api/encounters', encounter({ subject: { familyName: 'Two', nhsNumber: '9434765918' } }));
    const linkedB = await waitLinked(b.body.encounter.id);
    expect(linkedA.blockingKeys.some((k) => k.includes('9434765918'))).toBe(false);
    expect(String(linkedA.personId)).not.toBe(String(linkedB.personId));
  });

  it('maps an agency local risk code onto the common taxonomy, and refuses an unmapped one', async () => {
    const agency = await buildAgency();
    await AgencyCodeMap.create({ agencyId: agency._id, localCode: 'VUL-MH-3', category: 'mental_state', level: 'high' });
    const session = await app.as(await buildUser({ agency }));
    const ok = await session.post('/api/encounters', encounter({ riskIndicators: [{ localCode: 'VUL-MH-3' }] }));
    expect(ok.status).toBe(201);
    expect(ok.body.encounter.riskIndicators).toEqual([{ category: 'mental_state', level: 'high', localCode: 'VUL-MH-3', note: null }]);
    const bad = await session.post('/api/encounters', encounter({ riskIndicators: [{ localCode: 'NOPE-1' }] }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^riskIndicators\.0\.localCode:/);
  });

  it.each([
    ['an operator as externalRef', { externalRef: { $gt: '' } }, /^externalRef:/],
    ['an agencyId (mass assignment)', { agencyId: '0123456789abcdef01234567' }, /agencyId|Unrecognized/],
    ['a personId (mass assignment)', { personId: '0123456789abcdef01234567' }, /personId|Unrecognized/],
    ['an unknown kind', { kind: 'picnic' }, /^kind:/],
    ['a date of birth that does not exist', { subject: { familyName: 'X', dateOfBirth: '1990-02-30' } }, /^subject\.dateOfBirth:/],
    ['a future occurredAt', { occurredAt: '2999-01-01T00:00:00Z' }, /^occurredAt:/],
    ['no data categories', { categories: [] }, /^categories:/],
    ['an unknown risk level', { riskIndicators: [{ category: 'self_harm', level: 'extreme' }] }, /^riskIndicators\.0\.level:/],
    ['a string where a list belongs', { categories: 'risk' }, /^categories:/],
  ])('refuses %s with 400 and stores nothing', async (_name, overrides, message) => {
    const session = await app.as(await buildUser());
    const body = encounter(overrides as Record<string, unknown>);
    const before = await Encounter.countDocuments({});
    const res = await session.post('/api/encounters', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(message);
    expect(await Encounter.countDocuments({})).toBe(before);
  });

  it('refuses roles that do not record contacts (403) and anonymous callers (401)', async () => {
    const admin = await app.as(await buildUser({ roles: ['system_admin'], mfa: true }));
    expect((await admin.post('/api/encounters', encounter())).status).toBe(403);
    const anon = app.anon();
    const csrf = (await anon.get('/api/auth/session')).body.csrfToken as string;
    expect((await anon.post('/api/encounters').set('X-CSRF-Token', csrf).send(encounter())).status).toBe(401);
  });
});

describe('POST /api/ingest/encounters (agency systems)', () => {
  it('records for the key\'s agency, idempotently, without cookies or CSRF', async () => {
    const { key, agency } = await buildApiClient();
    const body = encounter();
    const first = await app.anon().post('/api/ingest/encounters').set('Authorization', `ApiKey ${key}`).send(body);
    expect(first.status).toBe(201);
    expect(first.body.encounter.agencyId).toBe(agency.id);
    expect(first.body.encounter.source).toBe('api');
    expect(first.body.encounter.link.status).toBe('pending');
    expect((await waitLinked(first.body.encounter.id)).personId).not.toBeNull();
    const again = await app.anon().post('/api/ingest/encounters').set('Authorization', `ApiKey ${key}`).send(body);
    expect(again.status).toBe(200);
    expect(await Encounter.countDocuments({ agencyId: agency._id, externalRef: body.externalRef })).toBe(1);
  });

  it('refuses a key without the ingest scope, and a bad body, without storing', async () => {
    const { key } = await buildApiClient({ scopes: ['read'] });
    expect((await app.anon().post('/api/ingest/encounters').set('Authorization', `ApiKey ${key}`).send(encounter())).status).toBe(403);
    const good = await buildApiClient();
    const res = await app.anon().post('/api/ingest/encounters').set('Authorization', `ApiKey ${good.key}`).set('Content-Type', 'application/json').send('{"externalRef": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });
});
