import { startTestApp, type TestApp, type SignedIn } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { buildEncounterCsv } from '../helpers/csv';
import { Encounter } from '../../server/models/Encounter';
import { parseCsv } from '../../server/imports/csv';
import { QUEUE_NAMES } from '../../workers/queues';
import { waitLinked } from '../helpers/people';
import type { Queue } from 'bullmq';

let app: TestApp;
let linkage: Queue;
beforeAll(async () => {
  app = await startTestApp('imports', { workers: true });
  // Link jobs are held while the big file imports (counted, not run); a later test resumes them.
  linkage = app.runtime.ctx.queue(QUEUE_NAMES.linkage);
  await linkage.pause();
});
afterAll(async () => app.close());

async function upload(session: SignedIn, text: string, filename = 'contacts.csv') {
  return session.agent
    .post(`/api/imports/encounters?filename=${encodeURIComponent(filename)}`)
    .set('X-CSRF-Token', session.csrf)
    .set('Content-Type', 'text/csv')
    .send(text);
}

async function finished(session: SignedIn, id: string, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  const seen: number[] = [];
  for (;;) {
    const res = await session.get(`/api/imports/${id}`);
    seen.push(res.body.import.processed);
    if (['completed', 'failed'].includes(res.body.import.status)) return { report: res.body.import, seen };
    if (Date.now() > end) throw new Error(`import still ${res.body.import.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('CSV import of encounters', () => {
  it('imports 10,000 rows with 1% bad ones, reports each bad row by row and column, and a second import changes nothing', async () => {
    const agency = await buildAgency();
    const session = await app.as(await buildUser({ agency }));
    const { text, expectedBad, good } = buildEncounterCsv(10_000, { badEvery: 100 });
    const first = await upload(session, text);
    expect(first.status).toBe(202);
    expect(first.body.import.status).toBe('queued');
    const { report, seen } = await finished(session, first.body.import.id);
    expect(report.status).toBe('completed');
    expect(report).toMatchObject({ total: 10_000, processed: 10_000, created: good, duplicates: 0, rejected: expectedBad.length, problemCount: expectedBad.length });
    expect(report.problems.map((p: { row: number; field: string }) => ({ row: p.row, field: p.field }))).toEqual(expectedBad);
    // Progress was visible while it ran (several distinct processed counts).
    expect(new Set(seen).size).toBeGreaterThan(2);
    expect(await Encounter.countDocuments({ agencyId: agency._id })).toBe(good);
    // One link job per stored row, its id the encounter's id; every row waits unlinked.
    expect(await linkage.getWaitingCount()).toBe(good);
    const sample = await Encounter.findOne({ agencyId: agency._id });
    expect((await linkage.getJob(sample!.id as string))?.data).toEqual({ encounterId: sample!.id });
    expect(await Encounter.countDocuments({ agencyId: agency._id, 'link.status': 'pending', personId: null })).toBe(good);

    const second = await upload(session, text);
    const again = (await finished(session, second.body.import.id)).report;
    expect(again).toMatchObject({ created: 0, duplicates: good, rejected: expectedBad.length });
    expect(await Encounter.countDocuments({ agencyId: agency._id })).toBe(good);
    expect(await linkage.getWaitingCount()).toBe(good);
    await linkage.drain();
  }, 240_000);

  it('links every imported row through the link job', async () => {
    const agency = await buildAgency();
    const session = await app.as(await buildUser({ agency }));
    const { text, good } = buildEncounterCsv(20, { badEvery: 100, prefix: 'LINKED' });
    const res = await upload(session, text);
    expect((await finished(session, res.body.import.id)).report.created).toBe(good);
    await linkage.resume();
    const stored = await Encounter.find({ agencyId: agency._id });
    expect(stored).toHaveLength(good);
    for (const e of stored) expect((await waitLinked(e._id)).personId).not.toBeNull();
  }, 60_000);

  it('fails a file with a bad header, naming the columns, and stores nothing', async () => {
    const agency = await buildAgency();
    const session = await app.as(await buildUser({ agency }));
    const res = await upload(session, 'external_ref,when,kind\r\nA-1,2026-01-01T00:00:00Z,crisis_contact\r\n');
    const { report } = await finished(session, res.body.import.id);
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/when \(unknown column\)/);
    expect(report.error).toMatch(/occurred_at \(required column is missing\)/);
    expect(await Encounter.countDocuments({ agencyId: agency._id })).toBe(0);
  });

  it('refuses an empty upload with 400 and hides another agency\'s import (404)', async () => {
    const session = await app.as(await buildUser());
    const empty = await upload(session, '   ');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('empty_file');
    const { text } = buildEncounterCsv(3, { prefix: 'OTHER' });
    const mine = await upload(session, text);
    const other = await app.as(await buildUser());
    expect((await other.get(`/api/imports/${mine.body.import.id}`)).status).toBe(404);
    expect((await other.get('/api/imports/not-an-id')).status).toBe(400);
  });
});

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, commas and newlines inside quotes, CRLF and a BOM', () => {
    const rows = [...parseCsv('\ufeffa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\nlast,\n')];
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
      { line: 5, fields: ['last', ''] },
    ]);
  });

  it('rejects an unterminated quote with its line', () => {
    expect(() => [...parseCsv('a,b\n"open,x\n')]).toThrow(/not closed/);
  });
});
