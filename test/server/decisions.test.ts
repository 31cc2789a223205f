import { startTestApp, type TestApp, type SignedIn } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { Task } from '../../server/models/Task';
import { AuditEvent } from '../../server/models/AuditEvent';
import { decisionClock } from '../../server/commands/decisionRecorder';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('decisions');
});
afterAll(async () => app.close());
afterEach(() => {
  decisionClock.now = () => new Date();
});

const DAY = 86_400_000;
const JUSTIFICATION = 'Adult at risk of serious self-harm; police need the crisis history to respond safely.';

/** Police, trust and A&E under an agreement; the trust holds a record with a safe address; the person refused consent. */
async function refusedPerson(family: string) {
  const scene = await buildScene();
  const s = { givenName: 'Robin', familyName: family, dateOfBirth: '1990-02-03' };
  const own = await buildEncounter(scene.police, s, { categories: ['demographics', 'criminal_justice', 'risk'], kind: 'police_report' });
  const trustRec = await buildEncounter(scene.trust, s, { sensitive: { safeAddress: '7 Sanctuary Close' } });
  const personId = String(own.personId);
  const keyWorker = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.trust }));
  await keyWorker.post(`/api/people/${personId}/consents`, { status: 'refused', evidence: 'Said no at assessment, has capacity' }).expect(201);
  const policeUser = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.police }));
  return { ...scene, personId, own, trustRec, keyWorker, policeUser };
}

function decisionBody(policeId: string, extra: Record<string, unknown> = {}) {
  return {
    basis: 'safeguarding',
    justification: JUSTIFICATION,
    scope: { agencies: [policeId], purposes: ['direct_care'], categories: ['demographics', 'mental_health', 'risk'] },
    expiresAt: new Date(Date.now() + 30 * DAY).toISOString(),
    reviewAt: new Date(Date.now() + 7 * DAY).toISOString(),
    ...extra,
  };
}

async function timelineOf(viewer: SignedIn, personId: string) {
  const res = await viewer.get(`/api/people/${personId}`);
  expect(res.status).toBe(200);
  return { page: res.body.person, raw: JSON.stringify(res.body) } as { page: { timeline: { id: string; basis: string; flagged: boolean; withheldFields: string[]; sensitive: Record<string, string> }[]; withheld: { text: string }[] }; raw: string };
}

describe('GET /api/people/:id/decisions/options', () => {
  it('does not offer vital interests against a refusal by a person with capacity', async () => {
    const scene = await refusedPerson('Options');
    const res = await scene.keyWorker.get(`/api/people/${scene.personId}/decisions/options`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ consentState: 'refused', offeredBases: ['safeguarding', 'prevent_serious_harm', 'legal_obligation'] });
  });

  it('answers 404 to an agency that holds no record of the person, as for an unknown id', async () => {
    const scene = await refusedPerson('OptionsForeign');
    const housing = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.housing }));
    expect((await housing.get(`/api/people/${scene.personId}/decisions/options`)).status).toBe(404);
    expect((await housing.get('/api/people/0123456789abcdef01234567/decisions/options')).status).toBe(404);
  });
});

describe('POST /api/people/:id/decisions', () => {
  it('refuses vital interests against a refusal with 400 basis_not_available and a reason', async () => {
    const scene = await refusedPerson('Vital');
    const res = await scene.keyWorker.post(`/api/people/${scene.personId}/decisions`, decisionBody(String(scene.police._id), { basis: 'vital_interests' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('basis_not_available');
    expect(res.body.error.message).toMatch(/vital interests cannot override/i);
  });

  it('keeps an unsigned decision closed; an IG lead’s sign-off opens the records, sensitive fields still withheld', async () => {
    const scene = await refusedPerson('SignedOff');
    const created = await scene.keyWorker.post(`/api/people/${scene.personId}/decisions`, decisionBody(String(scene.police._id)));
    expect(created.status).toBe(201);
    const decision = created.body.decision;
    expect(decision).toMatchObject({ status: 'pending_signoff', emergency: false, basis: 'safeguarding', personId: scene.personId });

    const task = await Task.findOne({ dedupeKey: `sign_off_decision:${decision.id}` });
    expect(task).toMatchObject({ kind: 'sign_off_decision', assigneeRole: 'ig_lead', status: 'open' });
    expect(String(task?.agencyId)).toBe(String(scene.trust._id));

    const unsigned = await timelineOf(scene.policeUser, scene.personId);
    expect(unsigned.page.timeline.map((t) => t.id)).toEqual([scene.own.id]);
    expect(unsigned.page.withheld.map((m) => m.text).join(' ')).toMatch(/awaiting IG lead sign-off/);

    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.trust, mfa: true }));
    const queue = await ig.get('/api/decisions?status=pending_signoff');
    expect(queue.status).toBe(200);
    expect(queue.body.decisions.map((d: { id: string }) => d.id)).toContain(decision.id);
    expect(queue.body.decisions[0].justification).toBe(JUSTIFICATION);

    const signed = await ig.post(`/api/decisions/${decision.id}/sign-off`, { note: 'Proportionate; reviewed with the safeguarding lead.' });
    expect(signed.status).toBe(200);
    expect(signed.body.decision).toMatchObject({ status: 'active', signOff: { note: 'Proportionate; reviewed with the safeguarding lead.' } });
    expect((await ig.post(`/api/decisions/${decision.id}/sign-off`, {})).status).toBe(409);
    expect((await Task.findOne({ dedupeKey: `sign_off_decision:${decision.id}` }))?.status).toBe('done');

    const open = await timelineOf(scene.policeUser, scene.personId);
    const trustEntry = open.page.timeline.find((t) => t.id === scene.trustRec.id);
    expect(trustEntry).toMatchObject({ basis: 'decision', flagged: false, withheldFields: ['safe_address'], sensitive: {} });
    expect(open.raw).not.toContain('Sanctuary Close');

    // Audited with codes only: the justification and the note never reach the log.
    const events = await AuditEvent.find({ 'subject.type': 'decision', 'subject.id': decision.id }).lean();
    expect(events.map((e) => e.action).sort()).toEqual(['decision.create', 'decision.sign_off']);
    expect(JSON.stringify(events)).not.toMatch(/self-harm|Proportionate/);
  });

  it('releases a sensitive field only when the decision lists it', async () => {
    const scene = await refusedPerson('Sensitive');
    const body = decisionBody(String(scene.police._id));
    const created = await scene.keyWorker.post(`/api/people/${scene.personId}/decisions`, { ...body, scope: { ...body.scope, sensitiveFields: ['safe_address'] } });
    expect(created.status).toBe(201);
    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.trust, mfa: true }));
    await ig.post(`/api/decisions/${created.body.decision.id}/sign-off`, {}).expect(200);
    const open = await timelineOf(scene.policeUser, scene.personId);
    const trustEntry = open.page.timeline.find((t) => t.id === scene.trustRec.id);
    expect(trustEntry).toMatchObject({ basis: 'decision', withheldFields: [], sensitive: { safeAddress: '7 Sanctuary Close' } });
  });

  it('refuses an emergency decision in hours with 400', async () => {
    const scene = await refusedPerson('InHours');
    decisionClock.now = () => new Date('2026-06-10T11:00:00Z'); // a Wednesday, 12:00 BST
    const duty = await app.as(await buildUser({ roles: ['duty_manager'], agency: scene.trust }));
    const res = await duty.post(`/api/people/${scene.personId}/decisions`, decisionBody(String(scene.police._id), { emergency: true }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('emergency_not_available');
    expect(res.body.error.message).toMatch(/out of hours/);
  });

  it('lets a duty manager decide in an emergency out of hours: in effect at once, flagged, reviewed next working day', async () => {
    const scene = await refusedPerson('Emergency');
    decisionClock.now = () => new Date('2026-06-12T19:30:00Z'); // a Friday, 20:30 BST

    const keyWorkerTry = await scene.keyWorker.post(`/api/people/${scene.personId}/decisions`, decisionBody(String(scene.police._id), { emergency: true }));
    expect(keyWorkerTry.status).toBe(400);
    expect(keyWorkerTry.body.error.message).toMatch(/duty manager/);

    const duty = await app.as(await buildUser({ roles: ['duty_manager'], agency: scene.trust }));
    const created = await duty.post(`/api/people/${scene.personId}/decisions`, decisionBody(String(scene.police._id), { emergency: true }));
    expect(created.status).toBe(201);
    expect(created.body.decision).toMatchObject({ status: 'pending_signoff', emergency: true });
    const id = created.body.decision.id as string;

    const task = await Task.findOne({ dedupeKey: `review_decision:${id}` });
    expect(task?.kind).toBe('review_decision');
    expect(task?.dueAt?.toISOString()).toBe('2026-06-15T08:00:00.000Z'); // Monday 09:00 BST

    const flagged = await timelineOf(scene.policeUser, scene.personId);
    expect(flagged.page.timeline.find((t) => t.id === scene.trustRec.id)).toMatchObject({ basis: 'decision', flagged: true, withheldFields: ['safe_address'] });

    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.trust, mfa: true }));
    await ig.post(`/api/decisions/${id}/sign-off`, {}).expect(200);
    const reviewed = await timelineOf(scene.policeUser, scene.personId);
    expect(reviewed.page.timeline.find((t) => t.id === scene.trustRec.id)).toMatchObject({ flagged: false });

    await ig.post(`/api/decisions/${id}/revoke`, {}).expect(200);
    const revoked = await timelineOf(scene.policeUser, scene.personId);
    expect(revoked.page.timeline.map((t) => t.id)).toEqual([scene.own.id]);
    expect((await ig.post(`/api/decisions/${id}/revoke`, {})).status).toBe(409);
  });
});

describe('/api/decisions (the IG lead’s queue)', () => {
  it('rejects a pending decision with a note, and then it cannot be signed off', async () => {
    const scene = await refusedPerson('Reject');
    const created = await scene.keyWorker.post(`/api/people/${scene.personId}/decisions`, decisionBody(String(scene.police._id)));
    const id = created.body.decision.id as string;
    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.trust, mfa: true }));
    expect((await ig.post(`/api/decisions/${id}/reject`, {})).status).toBe(400);
    const rejected = await ig.post(`/api/decisions/${id}/reject`, { note: 'Not proportionate: seek consent again first.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.decision.status).toBe('rejected');
    expect((await ig.post(`/api/decisions/${id}/sign-off`, {})).status).toBe(409);
    const queue = await ig.get('/api/decisions?status=pending_signoff');
    expect(queue.body.decisions.map((d: { id: string }) => d.id)).not.toContain(id);
  });

  it('hides a decision from another agency’s IG lead (404) and refuses non-IG roles (403)', async () => {
    const scene = await refusedPerson('ForeignIg');
    const created = await scene.keyWorker.post(`/api/people/${scene.personId}/decisions`, decisionBody(String(scene.police._id)));
    const id = created.body.decision.id as string;
    const policeIg = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.police, mfa: true }));
    expect((await policeIg.post(`/api/decisions/${id}/sign-off`, {})).status).toBe(404);
    expect((await policeIg.get(`/api/decisions/${id}`)).status).toBe(404);
    expect((await policeIg.get('/api/decisions')).body.decisions).toEqual([]);
    expect((await scene.keyWorker.post(`/api/decisions/${id}/sign-off`, {})).status).toBe(403);
  });
});

describe('who may decide, and what the body may hold', () => {
  it('answers 404 to another agency’s key worker and to a practitioner of a holding agency', async () => {
    const scene = await refusedPerson('WhoDecides');
    const housing = await app.as(await buildUser({ roles: ['key_worker'], agency: scene.housing }));
    const practitioner = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.trust }));
    const body = decisionBody(String(scene.police._id));
    expect((await housing.post(`/api/people/${scene.personId}/decisions`, body)).status).toBe(404);
    expect((await practitioner.post(`/api/people/${scene.personId}/decisions`, body)).status).toBe(404);
    expect((await scene.keyWorker.post('/api/people/0123456789abcdef01234567/decisions', body)).status).toBe(404);
  });

  it.each([
    ['a malformed person id', 'not-an-id', {}, /^id:/],
    ['a short justification', null, { justification: 'because' }, /^justification:/],
    ['a status (mass assignment)', null, { status: 'active' }, /Unrecognized|status/],
    ['a decidedBy (mass assignment)', null, { decidedBy: '0123456789abcdef01234567' }, /Unrecognized|decidedBy/],
    ['an operator as an agency id', null, { scope: { agencies: [{ $ne: null }], purposes: ['direct_care'], categories: ['risk'] } }, /^scope\.agencies\.0:/],
    ['an expiry in the past', null, { expiresAt: '2001-01-01T00:00:00Z' }, /^expiresAt:/],
    ['a review after expiry', null, { reviewAt: new Date(Date.now() + 60 * DAY).toISOString() }, /^reviewAt:/],
  ])('refuses %s with 400', async (_name, badId, extra, message) => {
    const scene = await refusedPerson('BadDecision');
    const res = await scene.keyWorker.post(`/api/people/${badId ?? scene.personId}/decisions`, decisionBody(String(scene.police._id), extra));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses an unknown agency in the scope and a malformed decision id', async () => {
    const scene = await refusedPerson('UnknownAgency');
    const res = await scene.keyWorker.post(`/api/people/${scene.personId}/decisions`, decisionBody('0123456789abcdef01234567'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/unknown agency/);
    const ig = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.trust, mfa: true }));
    expect((await ig.post('/api/decisions/not-an-id/sign-off', {})).status).toBe(400);
    expect((await ig.get('/api/decisions?status[$ne]=x')).status).toBe(400);
  });
});
