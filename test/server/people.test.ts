import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { Consent } from '../../server/models/Consent';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('people');
});
afterAll(async () => app.close());

const subject = (family: string) => ({ givenName: 'Casey', familyName: family, dateOfBirth: '1988-07-01', nhsNumber: undefined as string | undefined });

async function scenePerson(family: string) {
  const scene = await buildScene();
  const s = subject(family);
  const own = await buildEncounter(scene.police, s, { categories: ['demographics', 'criminal_justice', 'risk'], kind: 'police_report' });
  const trustRec = await buildEncounter(scene.trust, s, { sensitive: { safeAddress: '12 Refuge Row' } });
  await buildEncounter(scene.ae, s, { kind: 'ae_attendance' });
  await buildEncounter(scene.ae, s, { kind: 'ae_attendance' });
  return { ...scene, personId: String(own.personId), own, trustRec };
}

describe('GET /api/people/:id (the person page)', () => {
  it('shows a police user their own record and markers for the other agencies, then the shared records once consent is recorded', async () => {
    const scene = await scenePerson('Redaction');
    const police = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.police }));
    const before = await police.get(`/api/people/${scene.personId}`);
    expect(before.status).toBe(200);
    const page = before.body.person;
    expect(page.identified).toBe(true);
    expect(page.timeline.map((t: { id: string }) => t.id)).toEqual([scene.own.id]);
    expect(page.knownToAgencies).toBe(3);
    const texts = page.withheld.map((m: { text: string }) => m.text);
    expect(texts).toEqual(expect.arrayContaining([expect.stringMatching(/^1 Mental Health Trust record withheld: no consent/i), expect.stringMatching(/^2 A&E records withheld: no consent/i)]));
    expect(page.withheld.every((m: { remedy: string }) => m.remedy === 'seek_consent')).toBe(true);
    expect(JSON.stringify(before.body)).not.toContain('Refuge Row');

    const keyWorker = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    const consent = await keyWorker.post(`/api/people/${scene.personId}/consents`, {
      status: 'given',
      scope: { allPanel: true, purposes: ['direct_care', 'risk_panel'], categories: ['demographics', 'mental_health', 'risk'] },
      evidence: 'Signed consent form at assessment',
    });
    expect(consent.status).toBe(201);

    const after = await police.get(`/api/people/${scene.personId}`);
    const shared = after.body.person.timeline;
    expect(shared).toHaveLength(4);
    const trustEntry = shared.find((t: { id: string }) => t.id === scene.trustRec.id);
    expect(trustEntry.basis).toBe('consent_and_agreement');
    expect(trustEntry.withheldFields).toEqual(['safe_address']);
    expect(trustEntry.sensitive).toEqual({});
    expect(JSON.stringify(after.body)).not.toContain('Refuge Row');
    expect(after.body.person.withheld).toEqual([]);
  });

  it('lets the recording agency see its own sensitive fields', async () => {
    const scene = await scenePerson('OwnSensitive');
    const trustUser = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    const res = await trustUser.get(`/api/people/${scene.personId}`);
    const own = res.body.person.timeline.find((t: { id: string }) => t.id === scene.trustRec.id);
    expect(own.sensitive).toEqual({ safeAddress: '12 Refuge Row' });
  });

  it('answers 404 to an agency outside every agreement, exactly as for an unknown id', async () => {
    const scene = await scenePerson('Outsider');
    const housing = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.housing }));
    const res = await housing.get(`/api/people/${scene.personId}`);
    const unknown = await housing.get('/api/people/0123456789abcdef01234567');
    expect(res.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(res.body.error.code).toBe(unknown.body.error.code);
    expect(res.body.error.message).toBe(unknown.body.error.message);
  });

  it('refuses a malformed id or an operator with 400', async () => {
    const scene = await buildScene();
    const user = await app.as(await buildUser({ agency: scene.police }));
    expect((await user.get('/api/people/not-an-id')).status).toBe(400);
    expect((await user.get('/api/people/0123456789abcdef01234567?purpose[$ne]=x')).status).toBe(400);
    expect((await user.get('/api/people/0123456789abcdef01234567?purpose=marketing')).status).toBe(400);
  });
});

describe('GET /api/people/search', () => {
  it('needs two identifying fields', async () => {
    const scene = await buildScene();
    const user = await app.as(await buildUser({ agency: scene.police }));
    const one = await user.get('/api/people/search?familyName=Smith');
    expect(one.status).toBe(400);
    expect(one.body.error.message).toMatch(/at least two/);
    const injected = await user.get('/api/people/search?familyName[$gt]=&givenName=a');
    expect(injected.status).toBe(400);
  });

  it('finds a person by two fields, identified for an agency that knows them, and hides them from outsiders', async () => {
    const scene = await scenePerson('Searchable');
    const police = await app.as(await buildUser({ agency: scene.police }));
    const res = await police.get('/api/people/search?familyName=searchable&dateOfBirth=1988-07-01');
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]).toMatchObject({ id: scene.personId, identified: true, visibleRecords: 1, withheldRecords: 3 });
    const housing = await app.as(await buildUser({ agency: scene.housing }));
    const none = await housing.get('/api/people/search?familyName=searchable&dateOfBirth=1988-07-01');
    expect(none.body.results).toEqual([]);
  });
});

describe('/api/people/:id/consents', () => {
  it('keeps an append-only history and computes the effective consent', async () => {
    const scene = await scenePerson('History');
    const kw = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    await kw.post(`/api/people/${scene.personId}/consents`, {
      status: 'given', scope: { allPanel: true, purposes: ['direct_care'], categories: ['risk'] }, evidence: 'Verbal, witnessed',
    }).expect(201);
    await kw.post(`/api/people/${scene.personId}/consents`, { status: 'withdrawn', evidence: 'Phoned to withdraw' }).expect(201);
    const res = await kw.get(`/api/people/${scene.personId}/consents`);
    expect(res.status).toBe(200);
    expect(res.body.history.map((h: { status: string }) => h.status)).toEqual(['withdrawn', 'given']);
    expect(res.body.effective.state).toBe('withdrawn');
  });

  it.each([
    ['given without purposes', { status: 'given', scope: { allPanel: true, categories: ['risk'] }, evidence: 'x' }, /^scope\.purposes:/],
    ['given without evidence', { status: 'given', scope: { allPanel: true, purposes: ['direct_care'], categories: ['risk'] } }, /^evidence:/],
    ['an unknown status', { status: 'maybe' }, /^status:/],
    ['an expiry in the past', { status: 'not_asked', expiresAt: '2001-01-01T00:00:00Z' }, /^expiresAt:/],
    ['a recordedBy (mass assignment)', { status: 'not_asked', recordedBy: '0123456789abcdef01234567' }, /recordedBy|Unrecognized/],
    ['an operator as an agency id', { status: 'given', scope: { agencies: [{ $gt: '' }], purposes: ['direct_care'], categories: ['risk'] }, evidence: 'x' }, /^scope\.agencies\.0:/],
  ])('refuses %s with 400', async (_name, body, message) => {
    const scene = await scenePerson('BadConsent');
    const kw = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    const res = await kw.post(`/api/people/${scene.personId}/consents`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 404 to an agency that holds no record of the person', async () => {
    const scene = await scenePerson('ForeignConsent');
    const housing = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.housing }));
    const res = await housing.post(`/api/people/${scene.personId}/consents`, { status: 'not_asked' });
    expect(res.status).toBe(404);
    expect((await housing.get(`/api/people/${scene.personId}/consents`)).status).toBe(404);
  });
});

describe('PUT /api/people/:id/tell-it-once', () => {
  it('needs consent, then shows the summary to agencies the consent covers', async () => {
    const scene = await scenePerson('TellOnce');
    const kw = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    const story = 'I hear voices when I have not slept; a quiet room helps. Please call my sister.';
    const early = await kw.put(`/api/people/${scene.personId}/tell-it-once`, { text: story });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('consent_needed');
    await kw.post(`/api/people/${scene.personId}/consents`, {
      status: 'given', scope: { allPanel: true, purposes: ['direct_care'], categories: ['risk'] }, evidence: 'Signed form',
    }).expect(201);
    expect((await kw.put(`/api/people/${scene.personId}/tell-it-once`, { text: story })).status).toBe(200);
    const police = await app.as(await buildUser({ agency: scene.police }));
    expect((await police.get(`/api/people/${scene.personId}`)).body.person.tellItOnce).toBe(story);
    const housing = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.housing }));
    expect((await housing.put(`/api/people/${scene.personId}/tell-it-once`, { text: story })).status).toBe(404);
    expect((await kw.put(`/api/people/${scene.personId}/tell-it-once`, { text: { $gt: '' } })).status).toBe(400);
  });
});

describe('consent history is append-only', () => {
  it('refuses updates and deletes of an entry', async () => {

    const scene = await scenePerson('AppendOnly');
    const kw = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
    const res = await kw.post(`/api/people/${scene.personId}/consents`, { status: 'refused', evidence: 'Declined at assessment' });
    const id = res.body.consent.id as string;
    await expect(Consent.updateOne({ _id: id }, { $set: { status: 'given' } })).rejects.toThrow(/append-only/);
    await expect(Consent.deleteOne({ _id: id })).rejects.toThrow(/append-only/);
    const doc = await Consent.findById(id);
    doc!.status = 'given';
    await expect(doc!.save()).rejects.toThrow(/append-only/);
    expect((await Consent.findById(id))!.status).toBe('refused');
  });
});
