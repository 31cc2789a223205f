import { domainConfig } from '../../config/domain';
import { compileScorer } from '../../workers/linkage/compare';
import { normaliseRecord, type LinkRecord } from '../../workers/linkage/normalise';
import { damerauLevenshtein, jaccard, jaroWinkler, jaroWinklerAt, jaroWinklerAtLeast, withinOneEdit } from '../../workers/linkage/similarity';

describe('Jaro–Winkler', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.961],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.813],
  ])('scores %s / %s as %d', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
    expect(jaroWinkler(b, a)).toBeCloseTo(expected, 3);
  });

  it('is 1 for equal strings and 0 when one is empty', () => {
    expect(jaroWinkler('SMITH', 'SMITH')).toBe(1);
    expect(jaroWinkler('', 'SMITH')).toBe(0);
  });

  it('is exact from the floor up when only thresholds from a floor up matter, and below the floor under it', () => {
    // Random short names over a small alphabet, so that all similarities from 0 to 1 occur.
    let seed = 5;
    const rand = (k: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % k;
    const name = () => Array.from({ length: 1 + rand(9) }, () => 'aeilnorst'[rand(9)]).join('');
    let cut = 0;
    const wrong: string[] = [];
    for (let t = 0; t < 20000; t++) {
      const a = name(), b = name(), floor = [0, 0.7, 0.88, 0.92][rand(4)];
      const s = Uint8Array.from(a + b, (c) => c.charCodeAt(0));
      const exact = jaroWinklerAt(s, 0, a.length, a.length, b.length);
      const atLeast = jaroWinklerAtLeast(s, 0, a.length, a.length, b.length, floor);
      if (exact >= floor ? atLeast !== exact : atLeast >= floor) wrong.push(`${a}/${b} floor ${floor}: ${atLeast}, not ${exact}`);
      if (atLeast !== exact) cut++;
    }
    expect(wrong).toEqual([]);
    expect(cut).toBeGreaterThan(1000);
  });
});

describe('edit distance and overlap', () => {
  it('finds one edit: substitution, insertion, deletion, adjacent swap', () => {
    expect(withinOneEdit('1980-03-04', '1980-03-05')).toBe(true);
    expect(withinOneEdit('smith', 'smyth')).toBe(true);
    expect(withinOneEdit('smith', 'smiths')).toBe(true);
    expect(withinOneEdit('1987', '1978')).toBe(true);
    expect(withinOneEdit('smith', 'jones')).toBe(false);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3);
  });

  it('computes Jaccard overlap of sorted ids', () => {
    expect(jaccard([1, 2, 3], [2, 3, 4])).toBeCloseTo(0.5);
  });
});

describe('comparison levels', () => {
  const config = domainConfig().matching;
  const scorer = compileScorer(config);
  const base: LinkRecord = { recordId: 'a', givenName: 'Elizabeth', familyName: 'Smith', dateOfBirth: '1980-03-04', postcode: 'SW1A 1AA' };
  const levels = (other: Partial<LinkRecord>, first: Partial<LinkRecord> = {}) =>
    Object.fromEntries(
      scorer.explain(normaliseRecord({ ...base, ...first }), normaliseRecord({ ...base, recordId: 'b', ...other })).map((e) => [e.comparison, e.level]),
    );

  it('treats nicknames as the same given name', () => {
    expect(levels({ givenName: 'Liz' }).given_name).toBe('exact');
  });

  it('grades names by Jaro–Winkler', () => {
    expect(levels({ familyName: 'Smyth' }).family_name).toBe('jw_0.88');
    expect(levels({ familyName: 'Smithe' }).family_name).toBe('jw_0.92');
    expect(levels({ familyName: 'Jones' }).family_name).toBe('else');
  });

  it('recognises swapped given and family names', () => {
    const l = levels({ givenName: 'Smith', familyName: 'Elizabeth' });
    expect(l.given_name).toBe('reversed');
    expect(l.family_name).toBe('reversed');
  });

  it('matches a double-barrelled surname to one of its parts', () => {
    expect(levels({ familyName: 'Smith-Jones' }).family_name).toBe('jw_0.92');
  });

  it('grades dates: exact, transposed, one edit, year', () => {
    expect(levels({ dateOfBirth: '19800304' }).date_of_birth).toBe('exact');
    expect(levels({ dateOfBirth: '1980-04-03' }).date_of_birth).toBe('day_month_transposed');
    expect(levels({ dateOfBirth: '1980-03-14' }).date_of_birth).toBe('one_edit');
    expect(levels({ dateOfBirth: '1980-11-21' }).date_of_birth).toBe('year');
  });

  it('grades postcodes: full, sector, district', () => {
    expect(levels({ postcode: 'sw1a1aa' }).postcode).toBe('exact');
    expect(levels({ postcode: 'SW1A 1ZZ' }).postcode).toBe('sector');
    expect(levels({ postcode: 'SW1A 2AB' }).postcode).toBe('district');
  });

  it('grades identifiers and ignores an invalid NHS number', () => {
    expect(levels({ identifier: 'AB1234' }, { identifier: 'AB1234' }).identifier).toBe('exact');
    expect(levels({ identifier: 'AB1235' }, { identifier: 'AB1234' }).identifier).toBe('one_edit');
    expect(levels({ nhsNumber: '9434765918' }, { nhsNumber: '9434765918' }).nhs_number).toBe('missing');
    expect(levels({ nhsNumber: '9434765919' }, { nhsNumber: '9434765919' }).nhs_number).toBe('exact');
  });

  it('adds log2(m/u) to the prior, and nothing for missing values', () => {
    const a = normaliseRecord({ recordId: 'a', familyName: 'Smith' });
    const b = normaliseRecord({ recordId: 'b', familyName: 'Smith' });
    const family = config.comparisons.find((c) => c.id === 'family_name')!.levels[0];
    expect(scorer.score(a, b)).toBeCloseTo(scorer.priorWeight + Math.log2(family.m / family.u), 9);
  });

  it('scores the same person well above the upper threshold and a stranger below the lower', () => {
    const a = normaliseRecord(base);
    expect(scorer.score(a, normaliseRecord({ ...base, recordId: 'b', givenName: 'Liz', dateOfBirth: '1980-04-03' }))).toBeGreaterThan(config.thresholds.upper);
    expect(scorer.score(a, normaliseRecord({ recordId: 'c', givenName: 'John', familyName: 'Jones', dateOfBirth: '1950-01-01' }))).toBeLessThan(config.thresholds.lower);
  });
});
