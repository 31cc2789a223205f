import { domainConfig, type BlockingKey, type MatchingConfig } from '../../config/domain';
import { BLOCKING_PARTS } from '../../config/domain/schemas';
import { BatchBlocker, blockingKeyValues, buildClaimedKeys, buildScratch, type BuildHelper } from '../../workers/linkage/block';
import { normaliseRecord, type LinkRecord, type NormRecord } from '../../workers/linkage/normalise';
import { generateSynthetic } from '../../bench/synthetic';

/** The pairs (i < j, as "i,j") sharing a string key value in a block no larger than maxBlockSize. */
function stringPairs(norm: readonly NormRecord[], config: MatchingConfig): Set<string> {
  const expected = new Set<string>();
  for (let k = 0; k < config.blocking.keys.length; k++) {
    const blocks = new Map<string, number[]>();
    norm.forEach((r, i) => {
      const v = blockingKeyValues(r, config.blocking.keys)[k];
      if (v === '') return;
      const b = blocks.get(v);
      if (b) b.push(i);
      else blocks.set(v, [i]);
    });
    for (const b of blocks.values()) {
      if (b.length > config.blocking.maxBlockSize) continue;
      for (let x = 0; x < b.length; x++) for (let y = x + 1; y < b.length; y++) expected.add(`${b[x]},${b[y]}`);
    }
  }
  return expected;
}

/** The pairs the batch path finds, each checked to come once and with i < j. */
function batchPairs(norm: readonly NormRecord[], config: MatchingConfig, helper?: BuildHelper): Set<string> {
  const got = new Set<string>();
  let unordered = 0;
  const blocker = new BatchBlocker(norm.length, config);
  for (let i = 0; i < norm.length; i++) blocker.add(i, norm[i]);
  const count = blocker.build(undefined, helper).forEachPair((i, j) => {
    if (i >= j) unordered++;
    got.add(`${i},${j}`);
  });
  expect(unordered).toBe(0);
  expect(count).toBe(got.size);
  return got;
}

const withKeys = (keys: BlockingKey[], maxBlockSize: number): MatchingConfig => {
  const config = domainConfig().matching;
  return { ...config, blocking: { maxBlockSize, keys } };
};

/** Records whose values sit on the edges of the part kinds: short, missing, multi-part, transposed, swapped. */
const EDGE_RECORDS: LinkRecord[] = [
  { recordId: 'e1', givenName: 'Al', familyName: 'Li', dateOfBirth: '1980-03-04' },
  { recordId: 'e2', givenName: 'Al', familyName: 'Li', dateOfBirth: '1980-04-03' },
  { recordId: 'e3', givenName: 'Li', familyName: 'Al', dateOfBirth: '1980-25-03' },
  { recordId: 'e4', givenName: 'Jo', familyName: 'Smith-Jones', dateOfBirth: '1980-03-25' },
  { recordId: 'e5', givenName: 'Jo', familyName: 'Smith', dateOfBirth: '1981-03-25', postcode: 'LS6 2AB', address: '12 High Street' },
  { recordId: 'e6', familyName: 'Smith Jones', dateOfBirth: '1980-12-12', postcode: 'LS62AB', address: '12 high st, Leeds' },
  { recordId: 'e7', givenName: 'Bill', familyName: 'Ó Briain', postcode: 'Paris 12', address: 'flat' },
  { recordId: 'e10', givenName: 'Jo', familyName: 'de Smith', dateOfBirth: '1980-03-25' },
  { recordId: 'e8', givenName: 'William', familyName: "O'Briain" },
  { recordId: 'e9' },
];

describe('BatchBlocker', () => {
  it('finds exactly the pairs sharing a string key value in a block no larger than maxBlockSize', () => {
    const config = domainConfig().matching;
    const small = { ...config, blocking: { ...config.blocking, maxBlockSize: 5 } };
    const { records } = generateSynthetic(3000, 11);
    const norm = records.map(normaliseRecord);
    const got = batchPairs(norm, small);
    expect(got.size).toBeGreaterThan(500);
    expect([...got].sort()).toEqual([...stringPairs(norm, small)].sort());
  });

  it('hashes every part kind exactly as the per-record path spells it', () => {
    const { records } = generateSynthetic(1500, 12);
    const norm = [...records, ...EDGE_RECORDS].map(normaliseRecord);
    for (const part of BLOCKING_PARTS) {
      // Alone, and after another part (a key mixes its parts' hashes in order).
      const config = withKeys([{ id: 'alone', parts: [part] }, { id: 'second', parts: ['family_initial', part] }], 60);
      const got = batchPairs(norm, config), expected = stringPairs(norm, config);
      expect({ part, missing: [...expected].filter((p) => !got.has(p)), extra: [...got].filter((p) => !expected.has(p)) }).toEqual({ part, missing: [], extra: [] });
      expect(got.size).toBe(expected.size);
    }
  });

  it('gives the same pairs when another thread builds some or all of the keys', () => {
    const config = domainConfig().matching;
    const small = { ...config, blocking: { ...config.blocking, maxBlockSize: 8 } };
    const norm = generateSynthetic(3000, 13).records.map(normaliseRecord);
    const expected = [...stringPairs(norm, small)].sort();
    // A helper that takes every key before this thread starts, and one that comes too late for any.
    const eager: BuildHelper = { share: (work) => buildClaimedKeys(work, buildScratch(work.n)), alive: () => true };
    const late: BuildHelper = { share: () => undefined, alive: () => true };
    expect([...batchPairs(norm, small, eager)].sort()).toEqual(expected);
    expect([...batchPairs(norm, small, late)].sort()).toEqual(expected);
  });

  it('fails rather than waiting forever for a key a stopped helper took', () => {
    const norm = generateSynthetic(100, 14).records.map(normaliseRecord);
    const blocker = new BatchBlocker(norm.length, domainConfig().matching);
    for (let i = 0; i < norm.length; i++) blocker.add(i, norm[i]);
    const dead: BuildHelper = { share: (work) => void Atomics.add(work.progress, 0, 1), alive: () => false };
    expect(() => blocker.build(undefined, dead)).toThrow(/helper thread stopped/);
  });
});

describe('blocking parts', () => {
  const value = (part: BlockingKey['parts'][number], r: Omit<LinkRecord, 'recordId'>) =>
    blockingKeyValues(normaliseRecord({ recordId: 'x', ...r }), [{ id: 'k', parts: [part] }])[0];

  it('puts a day/month transposition, and only that, in one dob_day_month_unordered block', () => {
    expect(value('dob_day_month_unordered', { dateOfBirth: '1980-04-03' })).toBe('0|1980-03-04');
    expect(value('dob_day_month_unordered', { dateOfBirth: '1980-03-04' })).toBe('0|1980-03-04');
    // A transposed day past 12 reads as month 25: it still meets the right date.
    expect(value('dob_day_month_unordered', { dateOfBirth: '1980-25-03' })).toBe(value('dob_day_month_unordered', { dateOfBirth: '1980-03-25' }));
    expect(value('dob_day_month_unordered', { dateOfBirth: '1981-03-04' })).not.toBe(value('dob_day_month_unordered', { dateOfBirth: '1980-03-04' }));
    expect(value('dob_day_month_unordered', { dateOfBirth: '' })).toBe('');
  });

  it('keeps month and day without the year in dob_month_day', () => {
    expect(value('dob_month_day', { dateOfBirth: '19800304' })).toBe('0|03-04');
    expect(value('dob_month_day', { dateOfBirth: '1908-03-04' })).toBe('0|03-04');
    expect(value('dob_month_day', {})).toBe('');
  });

  it('keeps the first part of a family name of several parts in family_first_part', () => {
    expect(value('family_first_part', { familyName: 'Smith-Jones' })).toBe('0|smith');
    expect(value('family_first_part', { familyName: 'Smith Jones' })).toBe('0|smith');
    expect(value('family_first_part', { familyName: 'SMITH' })).toBe('0|smith');
    // A particle is no name of its own.
    expect(value('family_first_part', { familyName: "O'Brien" })).toBe('0|obrien');
    expect(value('family_first_part', { familyName: 'de la Cruz' })).toBe('0|delacruz');
    expect(value('family_first_part', { familyName: 'Lee-Smith' })).toBe('0|lee');
    expect(value('family_first_part', {})).toBe('');
  });

  it('orders given and family name in name_pair, so swapped names share it', () => {
    expect(value('name_pair', { givenName: 'Ann', familyName: 'Begum' })).toBe('0|ann+begum');
    expect(value('name_pair', { givenName: 'Begum', familyName: 'Ann' })).toBe('0|ann+begum');
    expect(value('name_pair', { givenName: 'Liz', familyName: 'Begum' })).toBe('0|begum+elizabeth');
    expect(value('name_pair', { familyName: 'Begum' })).toBe('');
  });

  it('cuts name prefixes and suffixes, keeping a shorter name whole', () => {
    expect(value('given_prefix3', { givenName: 'Jonathan' })).toBe('0|jon');
    expect(value('given_suffix3', { givenName: 'Jonathan' })).toBe('0|han');
    expect(value('given_prefix3', { givenName: 'Al' })).toBe('0|al');
    expect(value('given_suffix3', { givenName: 'Al' })).toBe('0|al');
    expect(value('family_prefix2', { familyName: 'Smith-Jones' })).toBe('0|sm');
    expect(value('family_suffix3', { familyName: 'Smith-Jones' })).toBe('0|nes');
    expect(value('family_prefix2', { familyName: 'X' })).toBe('0|x');
    expect(value('family_suffix3', {})).toBe('');
  });
});
