/**
 * Subject access request: an IG lead of an agency that knows the person exports everything held
 * about them, across agencies, after a fresh second factor; JSON or an escaped printable page.
 */
import mongoose from 'mongoose';
import { authenticator } from 'otplib';
import { startTestApp, type TestApp, type SignedIn } from '../helpers/server';
import { buildUser, type BuiltUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { AuditEvent } from '../../server/models/AuditEvent';
import { Consent } from '../../server/models/Consent';
import { SharingDecision } from '../../server/models/SharingDecision';
import { User } from '../../server/models/User';
import { sha256 } from '../../server/auth/secrets';

let app: TestApp;
let scene: Awaited<ReturnType<typeof buildScene>>;
let personId: string;
let trustEncounterId: string;
let ig: BuiltUser;
let igSession: SignedIn;
const SCRIPT = '<script>alert("sar")</script> & more';
const SAFE_ADDRESS = '12 Refuge Row';

let n = 0;
/** A fresh single-use recovery code for the user (each export consumes one). */
async function recoveryCode(built: BuiltUser): Promise<string> {
  const code = `test-code-${++n}`;
  await User.updateOne({ _id: built.user._id }, { $push: { 'mfa.recoveryHashes': sha256(code) } });
  return code;
}

beforeAll(async () => {
  app = await startTestApp('sar');
  scene = await buildScene();
  const subject = { givenName: 'Sam', familyName: 'Requester', dateOfBirth: '1975-05-05' };
  personId = String((await buildEncounter(scene.police, subject, { categories: ['demographics', 'criminal_justice'] })).personId);
  const trustEnc = await buildEncounter(scene.trust, subject, { summary: SCRIPT, sensitive: { safeAddress: SAFE_ADDRESS } });
  trustEncounterId = trustEnc.id as string;
  const keyWorker = await buildUser({ roles: ['key_worker'], agency: scene.trust });
  await Consent.create({
    personId, status: 'given', scope: { agencies: [scene.police._id], purposes: ['direct_care'], categories: ['mental_health'] },
    evidence: 'signed form', recordedBy: keyWorker.user._id, recordedByAgency: scene.trust._id, recordedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000),
  });
  await SharingDecision.create({
    personId, basis: 'safeguarding', justification: 'Adult at risk of serious harm; shared with police to safeguard.',
    scope: { agencies: [scene.police._id], purposes: ['safeguarding'], categories: ['risk'] },
    decidedBy: keyWorker.user._id, decidedByAgency: scene.trust._id, decidedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000), reviewAt: new Date(Date.now() + 3_600_000),
  });
  const police = await app.as(await buildUser({ agency: scene.police }));
  await police.get(`/api/people/${personId}`).expect(200);
  ig = await buildUser({ roles: ['ig_lead'], agency: scene.police, mfa: true });
  igSession = await app.as(ig);
});
afterAll(async () => app.close());

describe('POST /api/people/:id/sar', () => {
  it('exports everything held, including another agency\'s records, with a fresh TOTP code', async () => {
    // Sign-in used this 30-s step's code; the next step's is the fresh one (±1 step accepted).
    const code = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(ig.totpSecret!);
    const res = await igSession.post(`/api/people/${personId}/sar`, { code });
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.generatedBy).toBe(String(ig.user._id));
    expect(Date.now() - Date.parse(r.generatedAt)).toBeLessThan(60_000);
    expect(r.person).toMatchObject({ id: personId, demographics: { givenName: 'Sam', familyName: 'Requester', dateOfBirth: '1975-05-05' } });
    expect(r.encounters.map((e: { agencyId: string }) => e.agencyId).sort()).toEqual([String(scene.police._id), String(scene.trust._id)].sort());
    const trustEnc = r.encounters.find((e: { id: string }) => e.id === trustEncounterId);
    expect(trustEnc).toMatchObject({ summary: SCRIPT, sensitive: { safeAddress: SAFE_ADDRESS } });
    expect(r.consents).toHaveLength(1);
    expect(r.consents[0]).toMatchObject({ status: 'given', evidence: 'signed form' });
    expect(r.sharingDecisions).toHaveLength(1);
    expect(r.sharingDecisions[0]).toMatchObject({ basis: 'safeguarding', status: 'pending_signoff' });
    expect(r.auditEvents.some((e: { action: string }) => e.action === 'person.read')).toBe(true);
    for (const e of r.auditEvents) expect(e.subject.personId).toBe(personId);
    expect(r.agencies.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['Police', 'Mental Health Trust']));

    const ev = await AuditEvent.findOne({ action: 'sar.export', 'subject.personId': new mongoose.Types.ObjectId(personId) });
    expect(ev).toMatchObject({ outcome: 'succeeded', purpose: 'sar' });
    expect(String(ev!.actor!.userId)).toBe(String(ig.user._id));
  });

  it('renders a printable HTML attachment that escapes what agencies wrote', async () => {
    const res = await igSession.post(`/api/people/${personId}/sar?format=html`, { code: await recoveryCode(ig) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?subject-access-${personId}-\\d{4}-\\d{2}-\\d{2}\\.html"?$`));
    const html = res.text;
    expect(html).toContain('&lt;script&gt;alert(&quot;sar&quot;)&lt;/script&gt; &amp; more');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<style|style=/i);
    expect(html).toContain('Mental Health Trust');
    expect(html).toContain(SAFE_ADDRESS);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('needs a step-up code: 401 step_up_failed without one, or with a wrong or reused one', async () => {
    const before = await AuditEvent.countDocuments({ action: 'sar.export' });
    for (const body of [{}, { code: '000000' }, { code: 'not-a-code' }]) {
      const res = await igSession.post(`/api/people/${personId}/sar`, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('step_up_failed');
    }
    const code = await recoveryCode(ig);
    expect((await igSession.post(`/api/people/${personId}/sar`, { code })).status).toBe(200);
    expect((await igSession.post(`/api/people/${personId}/sar`, { code })).status).toBe(401);
    expect(await AuditEvent.countDocuments({ action: 'sar.export' })).toBe(before + 1);
    expect(await AuditEvent.countDocuments({ action: 'access.denied', reason: 'step_up_failed', 'actor.userId': ig.user._id })).toBe(4);
  });

  // An IG lead's role demands a second factor, so authenticate() stops them (mfa_enrollment_required)
  // before requireStepUp could answer mfa_required.
  it('refuses an IG lead without a second factor with 403 (they must enrol first)', async () => {
    const noMfa = await buildUser({ roles: ['ig_lead'], agency: scene.police });
    const s = await app.as(noMfa);
    const res = await s.post(`/api/people/${personId}/sar`, { code: '123456' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('mfa_enrollment_required');
    expect(await AuditEvent.countDocuments({ action: 'sar.export', 'actor.userId': noMfa.user._id })).toBe(0);
  });

  it('refuses other roles with 403', async () => {
    for (const roles of [['practitioner'], ['key_worker'], ['duty_manager'], ['agency_admin'], ['system_admin']] as const) {
      const built = await buildUser({ roles: [...roles], agency: scene.police, mfa: true });
      const s = await app.as(built);
      const res = await s.post(`/api/people/${personId}/sar`, { code: await recoveryCode(built) });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('answers 404 to an IG lead of an agency with no record of the person, and for unknown ids', async () => {
    const housing = await buildUser({ roles: ['ig_lead'], agency: scene.housing, mfa: true });
    const s = await app.as(housing);
    const code = await recoveryCode(housing);
    expect((await s.post(`/api/people/${personId}/sar`, { code })).status).toBe(404);
    expect((await s.post(`/api/people/${new mongoose.Types.ObjectId()}/sar`, { code })).status).toBe(404);
    // The code was not spent on a refused request.
    expect((await User.findById(housing.user._id))!.mfa.recoveryHashes).toHaveLength(1);
    expect(await AuditEvent.countDocuments({ action: 'access.denied', 'actor.userId': housing.user._id, reason: 'agency_holds_no_record' })).toBe(1);
  });

  it('refuses malformed ids, unknown fields and formats with 400', async () => {
    const code = await recoveryCode(ig);
    expect((await igSession.post('/api/people/not-an-id/sar', { code })).status).toBe(400);
    expect((await igSession.post(`/api/people/${personId}/sar`, { code, personId })).status).toBe(400);
    expect((await igSession.post(`/api/people/${personId}/sar`, { code: { $ne: '' } })).status).toBe(400);
    expect((await igSession.post(`/api/people/${personId}/sar?format=pdf`, { code })).status).toBe(400);
  });
});
