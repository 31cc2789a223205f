import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { loadFebrl } from '../../workers/linkage/febrl';
import { generateSynthetic } from '../../bench/synthetic';
import { linkBatch, LinkIndex, linkOne, THREADED_FROM } from '../../workers/linkage/link';
import { CHUNK } from '../../workers/linkage/scoring';
import { pairwiseQuality } from '../../workers/linkage/metrics';

const FEBRL_DIRS = [path.resolve(__dirname, '../../../shared/data/febrl'), '/work/shared/data/febrl'];
const febrlDir = FEBRL_DIRS.find((d) => fs.existsSync(path.join(d, 'dataset1.csv')));

describe('linkOne', () => {
  const index = new LinkIndex();
  index.add({ recordId: 'r1', givenName: 'William', familyName: 'Hughes', dateOfBirth: '1971-06-02', postcode: 'LS6 2AB' }, 'person-1');
  index.add({ recordId: 'r2', givenName: 'Mary', familyName: 'Hughes', dateOfBirth: '1973-11-20', postcode: 'LS6 2AB' }, 'person-2');

  it('links a nickname with a transposed date of birth to the same person', () => {
    const d = linkOne({ recordId: 'q1', givenName: 'Bill', familyName: 'HUGHES', dateOfBirth: '1971-02-06', postcode: 'ls62ab' }, index);
    expect(d.decision).toBe('link');
    expect(d.personKey).toBe('person-1');
    expect(d.matchedRecordId).toBe('r1');
    expect(d.evidence.find((e) => e.comparison === 'date_of_birth')?.level).toBe('day_month_transposed');
  });

  it('sends a weak match to review', () => {
    const d = linkOne({ recordId: 'q2', givenName: 'William', familyName: 'Hughes', postcode: 'LS6 9ZZ' }, index);
    expect(d.decision).toBe('review');
  });

  it('creates a new person for a stranger', () => {
    const d = linkOne({ recordId: 'q3', givenName: 'Ahmed', familyName: 'Khan', dateOfBirth: '1990-01-01', postcode: 'M1 1AE' }, index);
    expect(d.decision).toBe('new');
    expect(d.personKey).toBeUndefined();
  });

  it('finds candidates through any blocking key, each once', () => {
    const c = index.candidates({ recordId: 'q4', givenName: 'Will', familyName: 'Hughes', dateOfBirth: '1971-06-02', postcode: 'LS6 2AB' });
    expect(c.sort()).toEqual([0, 1]);
  });
});

describe('linkBatch', () => {
  it('joins records transitively and leaves strangers apart', () => {
    const result = linkBatch([
      { recordId: 'a', givenName: 'Elizabeth', familyName: 'Smith-Jones', dateOfBirth: '1980-03-04', nhsNumber: '9434765919' },
      { recordId: 'b', givenName: 'Liz', familyName: 'Smith Jones', dateOfBirth: '1980-04-03', nhsNumber: '9434765919' },
      { recordId: 'c', givenName: 'Smith-Jones', familyName: 'Elizabeth', dateOfBirth: '1980-03-04' },
      { recordId: 'd', givenName: 'John', familyName: 'Taylor', dateOfBirth: '1990-01-01' },
    ]);
    expect(Array.from(result.clusters)).toEqual([0, 0, 0, 1]);
  });

  it('numbers clusters and reports candidate pairs by input position, whatever order the dates of birth are in', () => {
    const records = [
      { recordId: 'late', givenName: 'John', familyName: 'Taylor', dateOfBirth: '1990-01-01', postcode: 'LS6 2AB' },
      { recordId: 'undated', givenName: 'Ann', familyName: 'Begum', postcode: 'M1 1AE', nhsNumber: '9434765919' },
      { recordId: 'early', givenName: 'Ann', familyName: 'Begum', dateOfBirth: '1950-05-06', nhsNumber: '9434765919' },
      { recordId: 'late-again', givenName: 'Johnny', familyName: 'Taylor', dateOfBirth: '1990-01-01', postcode: 'LS6 2AB' },
      { recordId: 'stranger', givenName: 'Zoe', familyName: 'Marsh', dateOfBirth: '1970-07-07' },
    ];
    const pairs: string[] = [];
    const result = linkBatch(records, {
      onCandidate: (i, j) => pairs.push([records[i].recordId, records[j].recordId].sort().join('+')),
    });
    expect(Array.from(result.clusters)).toEqual([0, 1, 1, 0, 2]);
    expect(pairs.sort()).toEqual(['early+undated', 'late+late-again']);
    expect(result.candidatePairs).toBe(2);
    expect(result.linkedPairs).toBe(2);
  });

  it('gives the same clusters, counts and candidate pairs on two scoring threads as on one', () => {
    // Many chunks, and the second thread is waited for, so both threads take some.
    const { records } = generateSynthetic(8 * CHUNK, 5);
    const run = (threads: number) => {
      const pairs: string[] = [];
      const result = linkBatch(records, { threads, waitForThreads: true, onCandidate: (i, j, s) => pairs.push(`${Math.min(i, j)}:${Math.max(i, j)}:${s}`) });
      return { result: { ...result, clusters: Array.from(result.clusters) }, pairs: pairs.sort() };
    };
    const one = run(1);
    const two = run(2);
    expect(one.result.threads).toBe(1);
    expect(two.result.threads).toBe(2);
    expect(one.result.candidatePairs).toBeGreaterThan(records.length);
    expect(one.result.linkedPairs).toBeGreaterThan(0);
    expect(one.result.reviewPairs).toBeGreaterThan(0);
    expect(two.pairs.length).toBe(one.result.candidatePairs);
    expect(two.pairs).toEqual(one.pairs);
    expect({ ...two.result, threads: 1 }).toEqual(one.result);
  });

  it('scores a large batch on two threads by default, a small one on this thread', () => {
    const { records } = generateSynthetic(THREADED_FROM, 6);
    expect(linkBatch(records, { waitForThreads: true }).threads).toBe(Math.min(2, availableParallelism()));
    expect(linkBatch(records.slice(0, THREADED_FROM - 1), { waitForThreads: true }).threads).toBe(1);
  });

  (febrlDir ? it : it.skip)(`reaches F1 >= 0.99 on FEBRL dataset1${febrlDir ? '' : ' (skipped: ../shared/data/febrl not found)'}`, () => {
    const { records, truth } = loadFebrl(path.join(febrlDir!, 'dataset1.csv'));
    const q = pairwiseQuality(linkBatch(records).clusters, truth);
    expect(q.f1).toBeGreaterThanOrEqual(0.99);
  });
});
