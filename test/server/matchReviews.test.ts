import mongoose, { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { Encounter } from '../../server/models/Encounter';
import { Person } from '../../server/models/Person';
import { MatchReview } from '../../server/models/MatchReview';
import { Consent } from '../../server/models/Consent';
import { AuditEvent } from '../../server/models/AuditEvent';
import { QUEUE_NAMES } from '../../workers/queues';
import { DETECT_JOB } from '../../server/alerts/requestDetection';
import type { AgencyDoc } from '../../server/models/Agency';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('matchreviews');
});
afterAll(async () => app.close());

let k = 0;
/** A date of birth no other test uses, so each test's records only ever match each other. */
function uniqueDob(): string {
  k += 1;
  return `19${String(10 + k).padStart(2, '0')}-0${1 + (k % 9)}-1${k % 10}`;
}

/** A known person at `knownAt`, and a near match recorded at `nearAt` (under review). */
async function reviewScene(opts: { knownAt?: 'police' | 'trust' } = {}) {
  const scene = await buildScene();
  const dob = uniqueDob();
  const knownAgency: AgencyDoc = scene[opts.knownAt ?? 'police'];
  const known = await buildEncounter(knownAgency, { givenName: 'Alexandra', familyName: 'Thornbury', dateOfBirth: dob, postcode: 'LS1 4AP' });
  const near = await buildEncounter(scene.trust, { familyName: 'Thornberry', dateOfBirth: dob });
  const review = await MatchReview.findOne({ encounterId: near._id });
  if (!review) throw new Error('expected a review');
  const chair = await app.as(await buildUser({ roles: ['panel_chair'], agency: scene.trust }));
  return { scene, known, near, review, chair, personId: String(known.personId) };
}

async function detectionQueuedFor(personId: string): Promise<boolean> {
  const jobs = await app.runtime.ctx.queue(QUEUE_NAMES.alerts).getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
  return jobs.some((j) => j.name === DETECT_JOB && j.data.personId === personId);
}

async function auditsSince(seq: number, action: string) {
  return AuditEvent.find({ seq: mongoose.trusted({ $gt: seq }), action }).sort({ seq: 1 });
}

async function lastSeq(): Promise<number> {
  return (await AuditEvent.findOne({}).sort({ seq: -1 }))?.seq ?? 0;
}

describe('GET /api/match-reviews', () => {
  it('lists the open reviews of the reviewer\'s own agency, and audits the listing', async () => {
    const { review, chair, scene } = await reviewScene();
    const before = await lastSeq();
    const res = await chair.get('/api/match-reviews');
    expect(res.status).toBe(200);
    const mine = res.body.reviews.find((r: { id: string }) => r.id === review.id);
    expect(mine).toMatchObject({ status: 'open', encounterId: String(review.encounterId), candidateCount: 1 });
    expect(mine.topScore).toBeLessThan(8);
    expect(JSON.stringify(res.body)).not.toMatch(/Thorn/);
    expect(await auditsSince(before, 'match_review.list')).toHaveLength(1);

    const policeChair = await app.as(await buildUser({ roles: ['panel_chair'], agency: scene.police }));
    const theirs = await policeChair.get('/api/match-reviews');
    expect(theirs.body.reviews.map((r: { id: string }) => r.id)).not.toContain(review.id);
    const igLead = await app.as(await buildUser({ roles: ['ig_lead'], agency: scene.trust, mfa: true }));
    expect((await igLead.get('/api/match-reviews')).body.reviews.map((r: { id: string }) => r.id)).toContain(review.id);
  });

  it('refuses a practitioner (403), an anonymous caller (401) and a bad status filter (400)', async () => {
    const { scene, chair } = await reviewScene();
    const practitioner = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.trust }));
    const res = await practitioner.get('/api/match-reviews');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await app.anon().get('/api/match-reviews')).status).toBe(401);
    const bad = await chair.get('/api/match-reviews?status[$ne]=open');
    expect(bad.status).toBe(400);
    expect((await chair.get('/api/match-reviews?status=maybe')).status).toBe(400);
  });
});

describe('GET /api/match-reviews/:id', () => {
  it('shows per-field evidence side by side, withholding another agency\'s values without consent, and audits each record', async () => {
    const { review, chair, known, personId } = await reviewScene();
    const before = await lastSeq();
    const res = await chair.get(`/api/match-reviews/${review.id}`);
    expect(res.status).toBe(200);
    const [candidate] = res.body.review.candidates;
    expect(candidate.personId).toBe(personId);
    expect(candidate.matchedRecord).toMatchObject({ id: known.id, visible: false, code: 'no_consent', agencyName: 'Police', occurredAt: null });
    const family = candidate.fields.find((f: { comparison: string }) => f.comparison === 'family_name');
    expect(family).toMatchObject({ mine: 'Thornberry', theirs: null });
    expect(family.level).toMatch(/^jw_/);
    expect(family.levelLabel).toMatch(/Jaro-Winkler/);
    expect(typeof family.weight).toBe('number');
    expect(candidate.fields.find((f: { comparison: string }) => f.comparison === 'date_of_birth')).toMatchObject({ level: 'exact', theirs: null });
    // Nothing of the other agency's record leaks anywhere in the answer.
    expect(JSON.stringify(res.body)).not.toMatch(/Thornbury|Alexandra|LS1 4AP/);
    expect(res.body.review.record).toMatchObject({ id: String(review.encounterId), agencyName: 'Mental Health Trust' });

    const reads = await auditsSince(before, 'match_review.read');
    expect(reads).toHaveLength(1);
    expect(String(reads[0].subject!.id)).toBe(review.id);
    const records = await auditsSince(before, 'encounter.read');
    expect(records.map((e) => [String(e.subject!.id), e.outcome, e.reason])).toEqual([[known.id, 'redacted', 'match_review:no_consent']]);
  });

  it('shows the candidate\'s values when the record is the viewer\'s own agency\'s', async () => {
    const { review, chair } = await reviewScene({ knownAt: 'trust' });
    const res = await chair.get(`/api/match-reviews/${review.id}`);
    const [candidate] = res.body.review.candidates;
    expect(candidate.matchedRecord).toMatchObject({ visible: true, code: 'own_agency' });
    expect(candidate.fields.find((f: { comparison: string }) => f.comparison === 'family_name')).toMatchObject({ mine: 'Thornberry', theirs: 'Thornbury' });
    expect(candidate.fields.find((f: { comparison: string }) => f.comparison === 'given_name')).toMatchObject({ level: 'missing', mine: null, theirs: 'Alexandra' });
  });

  it('answers 404 to a reviewer of another agency (audited), and 400 to a malformed id', async () => {
    const { review, scene, chair } = await reviewScene();
    const before = await lastSeq();
    const policeChair = await app.as(await buildUser({ roles: ['panel_chair'], agency: scene.police }));
    const res = await policeChair.get(`/api/match-reviews/${review.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const missing = await chair.get(`/api/match-reviews/${new Types.ObjectId().toHexString()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const denied = await auditsSince(before, 'access.denied');
    expect(denied.map((e) => e.reason)).toEqual(['other_agency', 'not_found']);
    expect((await chair.get('/api/match-reviews/not-an-id')).status).toBe(400);
    const decide = await policeChair.post(`/api/match-reviews/${review.id}/decision`, { decision: 'link' });
    expect(decide.status).toBe(404);
    expect((await MatchReview.findById(review._id))!.status).toBe('open');
  });
});

describe('POST /api/match-reviews/:id/decision', () => {
  it('link: moves the record to the candidate, merges the provisional person, keeps the label and re-runs detection', async () => {
    const { review, chair, near, personId, scene } = await reviewScene();
    const before = await lastSeq();
    const res = await chair.post(`/api/match-reviews/${review.id}/decision`, { decision: 'link', personId, note: 'Same person: confirmed by phone' });
    expect(res.status).toBe(200);
    expect(res.body.review.status).toBe('linked');
    const moved = await Encounter.findById(near._id);
    expect(String(moved!.personId)).toBe(personId);
    expect(moved!.link).toMatchObject({ status: 'confirmed', method: 'review_link' });
    const provisional = await Person.findById(review.provisionalPersonId);
    expect(String(provisional!.mergedInto)).toBe(personId);
    expect(provisional!.agencyIds).toHaveLength(0);
    const person = await Person.findById(personId);
    expect(person!.agencyIds.map(String).sort()).toEqual([scene.police.id, scene.trust.id].sort());
    const stored = await MatchReview.findById(review._id);
    expect(stored!.labels.map((l) => [String(l.encounterId), String(l.otherEncounterId), l.outcome])).toEqual([[near.id, String(review.candidates[0].matchedEncounterId), 'match']]);
    expect(stored!.decisions).toHaveLength(1);
    expect(stored!.note).toBe('Same person: confirmed by phone');
    expect(await detectionQueuedFor(personId)).toBe(true);
    expect(await detectionQueuedFor(String(review.provisionalPersonId))).toBe(true);
    const audit = await auditsSince(before, 'match_review.decide');
    expect(audit.map((e) => e.reason)).toEqual(['link']);
    expect(JSON.stringify(audit)).not.toContain('confirmed by phone');

    const again = await chair.post(`/api/match-reviews/${review.id}/decision`, { decision: 'not_a_match' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('review_decided');
    expect((await chair.get('/api/match-reviews')).body.reviews.map((r: { id: string }) => r.id)).not.toContain(review.id);
  });

  it('not a match: the record stays with its own person, confirmed, and the pair is labelled a non-match', async () => {
    const { review, chair, near, personId } = await reviewScene();
    const res = await chair.post(`/api/match-reviews/${review.id}/decision`, { decision: 'not_a_match' });
    expect(res.status).toBe(200);
    const kept = await Encounter.findById(near._id);
    expect(String(kept!.personId)).toBe(String(review.provisionalPersonId));
    expect(kept!.link).toMatchObject({ status: 'confirmed', method: 'review_not_a_match' });
    expect((await Person.findById(review.provisionalPersonId))!.mergedInto).toBeNull();
    expect((await Person.findById(personId))!.agencyIds).toHaveLength(1);
    const stored = await MatchReview.findById(review._id);
    expect(stored!.status).toBe('not_a_match');
    expect(stored!.labels.map((l) => l.outcome)).toEqual(['non_match']);
  });

  it('unsure: nothing moves and the review stays in the queue until decided', async () => {
    const { review, chair, near, personId } = await reviewScene();
    const res = await chair.post(`/api/match-reviews/${review.id}/decision`, { decision: 'unsure' });
    expect(res.status).toBe(200);
    expect(res.body.review.status).toBe('unsure');
    expect(String((await Encounter.findById(near._id))!.personId)).toBe(String(review.provisionalPersonId));
    expect((await Encounter.findById(near._id))!.link!.status).toBe('review');
    expect((await chair.get('/api/match-reviews')).body.reviews.map((r: { id: string }) => r.id)).toContain(review.id);
    const later = await chair.post(`/api/match-reviews/${review.id}/decision`, { decision: 'link' });
    expect(later.status).toBe(200);
    expect(String((await Encounter.findById(near._id))!.personId)).toBe(personId);
    expect((await MatchReview.findById(review._id))!.decisions.map((d) => d.decision)).toEqual(['unsure', 'link']);
  });

  it.each([
    ['an unknown decision', { decision: 'maybe' }, /^decision:/],
    ['an operator as personId', { decision: 'link', personId: { $gt: '' } }, /^personId:/],
    ['a personId with a not-a-match decision', { decision: 'not_a_match', personId: '0123456789abcdef01234567' }, /^personId:/],
    ['an unknown field', { decision: 'link', status: 'linked' }, /Unrecognized|status/],
    ['a number as the note', { decision: 'unsure', note: 12 }, /^note:/],
  ])('refuses %s with 400 and changes nothing', async (_name, input, message) => {
    const { review, chair } = await reviewScene();
    const res = await chair.post(`/api/match-reviews/${review.id}/decision`, input as object);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(message);
    expect((await MatchReview.findById(review._id))!.status).toBe('open');
  });

  it('refuses a person who is not a candidate, and malformed JSON, with 400', async () => {
    const { review, chair } = await reviewScene();
    const res = await chair.post(`/api/match-reviews/${review.id}/decision`, { decision: 'link', personId: new Types.ObjectId().toHexString() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^personId: is not one of the candidates/);
    const raw = await chair.agent.post(`/api/match-reviews/${review.id}/decision`).set('X-CSRF-Token', chair.csrf).set('Content-Type', 'application/json').send('{"decision": ');
    expect(raw.status).toBe(400);
    expect(raw.body.error.code).toBe('invalid_json');
    expect((await MatchReview.findById(review._id))!.status).toBe('open');
  });
});

describe('correcting links on a person', () => {
  async function twoAgencyPerson() {
    const scene = await buildScene();
    const subject = { givenName: 'Gwendolyn', familyName: 'Ravenscroft', dateOfBirth: uniqueDob(), postcode: 'BS1 5TR' };
    const police = await buildEncounter(scene.police, subject);
    const trust = await buildEncounter(scene.trust, subject);
    expect(String(trust.personId)).toBe(String(police.personId));
    const chair = await app.as(await buildUser({ roles: ['panel_chair'], agency: scene.trust }));
    return { scene, police, trust, chair, personId: String(police.personId) };
  }

  it('POST /api/people/:id/unlink splits the agency\'s record into a new person, updates both and re-runs detection', async () => {
    const { scene, trust, chair, personId } = await twoAgencyPerson();
    const res = await chair.post(`/api/people/${personId}/unlink`, { encounterId: trust.id });
    expect(res.status).toBe(200);
    const newId = res.body.personId as string;
    expect(newId).not.toBe(personId);
    const moved = await Encounter.findById(trust._id);
    expect(String(moved!.personId)).toBe(newId);
    expect(moved!.link).toMatchObject({ status: 'confirmed', method: 'split' });
    expect((await Person.findById(personId))!.agencyIds.map(String)).toEqual([scene.police.id]);
    const split = await Person.findById(newId);
    expect(split!.agencyIds.map(String)).toEqual([scene.trust.id]);
    expect(split!.demographics!.familyName).toBe('Ravenscroft');
    expect(await detectionQueuedFor(personId)).toBe(true);
    expect(await detectionQueuedFor(newId)).toBe(true);
    expect(await AuditEvent.countDocuments({ action: 'person.unlink', 'subject.id': trust.id })).toBe(1);
    // Now the only record of the new person: nothing left to unlink it from.
    const only = await chair.post(`/api/people/${newId}/unlink`, { encounterId: trust.id });
    expect(only.status).toBe(409);
    expect(only.body.error.code).toBe('only_record');
  });

  it('unlink answers 404 for another agency\'s record or person, 403 to a practitioner, 400 to bad input', async () => {
    const { scene, police, trust, chair, personId } = await twoAgencyPerson();
    const other = await chair.post(`/api/people/${personId}/unlink`, { encounterId: police.id });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const housingChair = await app.as(await buildUser({ roles: ['panel_chair'], agency: scene.housing }));
    expect((await housingChair.post(`/api/people/${personId}/unlink`, { encounterId: trust.id })).status).toBe(404);
    const practitioner = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.trust }));
    expect((await practitioner.post(`/api/people/${personId}/unlink`, { encounterId: trust.id })).status).toBe(403);
    expect((await chair.post(`/api/people/${personId}/unlink`, { encounterId: { $gt: '' } })).status).toBe(400);
    expect((await chair.post(`/api/people/${personId}/unlink`, {})).status).toBe(400);
    expect(String((await Encounter.findById(trust._id))!.personId)).toBe(personId);
  });

  it('POST /api/people/:id/merge moves every record of B to A, marks B merged, leaves consents on B, and re-runs detection', async () => {
    const { scene, chair, personId, trust } = await twoAgencyPerson();
    const b = await buildEncounter(scene.trust, { givenName: 'Gwen', familyName: 'Ravenscroft-Hale', dateOfBirth: uniqueDob() });
    const bId = String(b.personId);
    expect(bId).not.toBe(personId);
    const consent = await Consent.create({
      personId: b.personId!, status: 'given', scope: { allPanel: true, agencies: [], purposes: ['direct_care'], categories: ['demographics'] },
      evidence: 'Signed form', recordedBy: new Types.ObjectId(), recordedByAgency: scene.trust._id, recordedAt: new Date(),
    });
    const res = await chair.post(`/api/people/${personId}/merge`, { sourceId: bId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ personId, mergedPersonId: bId, moved: 1 });
    expect(String((await Encounter.findById(b._id))!.personId)).toBe(personId);
    expect((await Encounter.findById(b._id))!.link).toMatchObject({ status: 'confirmed', method: 'merge' });
    expect(String((await Person.findById(bId))!.mergedInto)).toBe(personId);
    expect((await Person.findById(personId))!.searchTerms).toEqual(expect.arrayContaining(['f:ravenscroft hale', 'f:ravenscroft']));
    expect(String((await Consent.findById(consent._id))!.personId)).toBe(bId);
    expect((await chair.get(`/api/people/${bId}`)).status).toBe(404);
    expect(await Encounter.countDocuments({ personId: trust.personId })).toBe(3);
    expect(await detectionQueuedFor(personId)).toBe(true);
    expect(await detectionQueuedFor(bId)).toBe(true);
    // Merged already: a second merge finds no such person.
    expect((await chair.post(`/api/people/${personId}/merge`, { sourceId: bId })).status).toBe(404);
  });

  it('merge answers 404 unless the reviewer\'s agency knows both people, 400 for the same person or bad input, 403 to a practitioner', async () => {
    const { scene, chair, personId } = await twoAgencyPerson();
    const policeOnly = await buildEncounter(scene.police, { givenName: 'Ottoline', familyName: 'Strachey', dateOfBirth: uniqueDob() });
    const res = await chair.post(`/api/people/${personId}/merge`, { sourceId: String(policeOnly.personId) });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await Person.findById(policeOnly.personId))!.mergedInto).toBeNull();
    const self = await chair.post(`/api/people/${personId}/merge`, { sourceId: personId });
    expect(self.status).toBe(400);
    expect((await chair.post(`/api/people/${personId}/merge`, { sourceId: { $ne: null } })).status).toBe(400);
    const practitioner = await app.as(await buildUser({ roles: ['practitioner'], agency: scene.trust }));
    expect((await practitioner.post(`/api/people/${personId}/merge`, { sourceId: personId })).status).toBe(403);
  });
});
