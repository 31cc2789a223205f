import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildApiClient, buildUser } from '../helpers/factories';
import { waitLinked } from '../helpers/people';
import { until } from '../helpers/until';
import { Person } from '../../server/models/Person';
import { MatchReview } from '../../server/models/MatchReview';
import { Encounter } from '../../server/models/Encounter';
import { QUEUE_NAMES } from '../../workers/queues';
import { DETECT_JOB } from '../../server/alerts/requestDetection';
import { LINK_JOB } from '../../server/linkage/requestLink';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('linking', { workers: true });
});
afterAll(async () => app.close());

let seq = 0;
function body(subject: Record<string, string>, overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    externalRef: `LNK-${Date.now()}-${seq}`,
    occurredAt: new Date(Date.now() - seq * 60_000).toISOString(),
    kind: 'crisis_contact',
    subject,
    riskIndicators: [{ category: 'self_harm', level: 'medium' }],
    categories: ['demographics', 'risk'],
    ...overrides,
  };
}

async function send(key: string, subject: Record<string, string>) {
  const res = await app.anon().post('/api/ingest/encounters').set('Authorization', `ApiKey ${key}`).send(body(subject));
  expect(res.status).toBe(201);
  return waitLinked(res.body.encounter.id);
}

/**
 * Whether the person was evaluated after the record was linked: by the link job itself (its
 * result says `ran`, or `queued` when another run held the person) or by a detection job.
 */
async function detectionRequestedFor(encounterId: string, personId: string): Promise<boolean> {
  const link = await until(async () => {
    const job = await app.runtime.ctx.queue(QUEUE_NAMES.linkage).getJob(encounterId);
    return (await job?.isCompleted()) ? job : undefined;
  }, 15_000, 'link job completed');
  const result = link.returnvalue as { personId?: string; detection?: string };
  const jobs = await app.runtime.ctx.queue(QUEUE_NAMES.alerts).getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
  const queued = jobs.some((j) => j.name === DETECT_JOB && j.data.personId === personId);
  return result.personId === personId && (result.detection === 'ran' || (result.detection === 'queued' && queued));
}

const THORNBURY = { givenName: 'Alexandra', familyName: 'Thornbury', dateOfBirth: '1990-04-12', postcode: 'LS1 4AP' };

describe('linking through the link job', () => {
  it('queues one link job per record, its id the record id, and a re-send queues nothing new', async () => {
    const { key } = await buildApiClient();
    const b = body({ givenName: 'Quentin', familyName: 'Abernethy', dateOfBirth: '1971-01-02' });
    const first = await app.anon().post('/api/ingest/encounters').set('Authorization', `ApiKey ${key}`).send(b);
    expect(first.status).toBe(201);
    expect(first.body.encounter).toMatchObject({ personId: null, link: { status: 'pending' } });
    const linked = await waitLinked(first.body.encounter.id);
    const again = await app.anon().post('/api/ingest/encounters').set('Authorization', `ApiKey ${key}`).send(b);
    expect(again.status).toBe(200);
    expect(again.body.encounter.personId).toBe(String(linked.personId));
    const job = await app.runtime.ctx.queue(QUEUE_NAMES.linkage).getJob(first.body.encounter.id);
    expect(job?.name).toBe(LINK_JOB);
    expect(job?.data).toEqual({ encounterId: first.body.encounter.id });
    expect(await Person.countDocuments({ 'demographics.familyName': 'Abernethy' })).toBe(1);
  });

  it('links records from two agencies of the same person and requests detection for them', async () => {
    const police = await buildApiClient({ agency: await buildAgency({ kind: 'police' }) });
    const ae = await buildApiClient({ agency: await buildAgency({ kind: 'acute' }) });
    const a = await send(police.key, { givenName: 'Bernadette', familyName: 'Okonkwo', dateOfBirth: '1988-07-21', postcode: 'B15 2TT' });
    const b = await send(ae.key, { givenName: 'Bernie', familyName: 'OKONKWO', dateOfBirth: '1988-07-21', postcode: 'b152tt' });
    expect(String(b.personId)).toBe(String(a.personId));
    expect(b.link).toMatchObject({ status: 'auto', method: 'match_weight' });
    expect(b.link!.score).toBeGreaterThanOrEqual(8);
    const person = await Person.findById(a.personId);
    expect(person!.agencyIds.map(String).sort()).toEqual([police.agency.id, ae.agency.id].sort());
    expect(await detectionRequestedFor(String(b._id), String(a.personId))).toBe(true);
  });

  it('opens a review, not a link, for a near match: a typo in the family name with the same date of birth', async () => {
    const police = await buildApiClient({ agency: await buildAgency({ kind: 'police' }) });
    const trust = await buildApiClient({ agency: await buildAgency({ kind: 'mental_health' }) });
    const known = await send(police.key, THORNBURY);
    const near = await send(trust.key, { familyName: 'Thornberry', dateOfBirth: THORNBURY.dateOfBirth });
    expect(near.link).toMatchObject({ status: 'review', method: 'match_weight' });
    expect(near.link!.score).toBeGreaterThanOrEqual(0);
    expect(near.link!.score).toBeLessThan(8);
    // The record waits on a provisional person of its own; the known person is untouched.
    expect(String(near.personId)).toBe(near.id);
    expect((await Person.findById(known.personId))!.agencyIds.map(String)).toEqual([police.agency.id]);
    const review = await MatchReview.findOne({ encounterId: near._id });
    expect(review).toMatchObject({ status: 'open' });
    expect(String(review!.agencyId)).toBe(trust.agency.id);
    expect(String(review!.provisionalPersonId)).toBe(near.id);
    expect(review!.candidates.map((c) => String(c.personId))).toEqual([String(known.personId)]);
    expect(String(review!.candidates[0].matchedEncounterId)).toBe(known.id);
    const family = review!.candidates[0].evidence.find((e) => e.comparison === 'family_name');
    expect(family!.level).toMatch(/^jw_/);
    expect(review!.candidates[0].evidence.find((e) => e.comparison === 'date_of_birth')!.level).toBe('exact');
    expect(review!.candidates[0].evidence.find((e) => e.comparison === 'postcode')!.level).toBe('missing');
  });

  it('creates a new person for someone clearly different', async () => {
    const { key } = await buildApiClient();
    const known = await send(key, { givenName: 'Cornelius', familyName: 'Pemberton', dateOfBirth: '1950-10-10', postcode: 'SW1A 1AA' });
    const other = await send(key, { givenName: 'Cornelia', familyName: 'Pemberton', dateOfBirth: '1999-03-01', postcode: 'NE1 4ST' });
    expect(other.link).toMatchObject({ status: 'auto', method: 'new_person' });
    expect(String(other.personId)).not.toBe(String(known.personId));
    expect(await MatchReview.countDocuments({ encounterId: other._id })).toBe(0);
  });

  it('ignores an NHS number whose check digit is wrong (never trusted, never a blocking key or a search term)', async () => {
    const { key } = await buildApiClient();
    const a = await send(key, { givenName: 'Ruth', familyName: 'Valdez', nhsNumber: '9434765918' });
    const b = await send(key, { givenName: 'Mohammed', familyName: 'Iqbal', nhsNumber: '9434765918' });
    expect(String(a.personId)).not.toBe(String(b.personId));
    expect(a.blockingKeys.some((k) => k.includes('9434765918'))).toBe(false);
    const person = await Person.findById(a.personId);
    expect(person!.demographics!.nhsNumber).toBeNull();
    expect(person!.searchTerms.some((t) => t.startsWith('n:'))).toBe(false);
  });

  it('finds a linked person by search once the record is linked', async () => {
    const agency = await buildAgency();
    const session = await app.as(await buildUser({ agency }));
    const res = await session.post('/api/encounters', body({ givenName: 'Petronella', familyName: 'Gwynne-Vaughan', dateOfBirth: '1982-09-30' }));
    expect(res.status).toBe(201);
    const linked = await waitLinked(res.body.encounter.id);
    const hits = await session.get('/api/people/search?familyName=Gwynne-Vaughan&dateOfBirth=1982-09-30');
    expect(hits.status).toBe(200);
    expect(hits.body.results.map((r: { id: string }) => r.id)).toEqual([String(linked.personId)]);
    expect(await Encounter.countDocuments({ personId: linked.personId })).toBe(1);
  });
});
