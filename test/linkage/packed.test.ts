import { domainConfig } from '../../config/domain';
import { compileScorer } from '../../workers/linkage/compare';
import { normaliseRecord, type LinkRecord, type NormRecord } from '../../workers/linkage/normalise';
import { PackedRecords, TEXT_FIELDS, T_GIVEN, T_GIVEN_CANON, T_POSTCODE, T_SECTOR } from '../../workers/linkage/packed';

const config = domainConfig().matching;
const scorer = compileScorer(config);

// Records that exercise every packed field: nicknames (a canonical name stored apart), multi-part
// and one-part names, UK / outward-only / foreign postcodes, addresses, NHS numbers, missing values.
const raw: LinkRecord[] = [
  { recordId: '1', givenName: 'Elizabeth', familyName: 'Smith-Jones', dateOfBirth: '1980-03-04', postcode: 'SW1A 1AA', address: '12 High St, Leeds', nhsNumber: '9434765919' },
  { recordId: '2', givenName: 'Liz', familyName: 'Smith', dateOfBirth: '1980-04-03', postcode: 'sw1a1zz', address: '12 High Street Leeds' },
  { recordId: '3', givenName: 'Mary Ann', familyName: "O'Brien", dateOfBirth: '19750102', postcode: 'LS1', identifier: 'AB-1234' },
  { recordId: '4', givenName: 'Ann', familyName: 'Obrien', dateOfBirth: '1975-01-12', postcode: 'LS1 4DY', identifier: 'AB1235' },
  { recordId: '5', givenName: 'Smith', familyName: 'Elizabeth', dateOfBirth: '1980-03-04', postcode: '75008', address: 'Flat 2, 3 Rue Royale' },
  { recordId: '6', givenName: 'Bill', familyName: 'Jones', nhsNumber: '9434765919', address: 'Flat 2 3 Rue Royale' },
  { recordId: '7', familyName: 'Jones' },
  { recordId: '8', givenName: 'William', familyName: 'Jones Smith', dateOfBirth: '1990-12-31', postcode: 'SW1A 2AB' },
];
const norm: NormRecord[] = raw.map(normaliseRecord);

describe('packed records', () => {
  it('score every pair exactly as the records themselves do, however often the container grew', () => {
    // Capacity 1: every array grows several times while 64 records are added.
    const packed = new PackedRecords(1);
    const many = Array.from({ length: 8 }, () => norm).flat();
    for (const r of many) packed.add(r);
    expect(packed.count).toBe(64);
    const viewed = PackedRecords.view(packed.state());
    for (let i = 0; i < many.length; i++) {
      for (let j = 0; j < many.length; j++) {
        const expected = scorer.score(many[i], many[j]);
        expect(scorer.scorePacked(packed, i, j)).toBe(expected);
        expect(scorer.scorePacked(viewed, i, j)).toBe(expected);
      }
    }
  });

  it('tells the pairs apart: a different record gives a different score', () => {
    const packed = new PackedRecords(8);
    for (const r of norm) packed.add(r);
    expect(scorer.scorePacked(packed, 0, 1)).toBeGreaterThan(config.thresholds.upper);
    expect(scorer.scorePacked(packed, 0, 6)).toBeLessThan(config.thresholds.lower);
  });

  it('stores a canonical name and a sector at the place of the text they repeat, and other text apart', () => {
    const packed = new PackedRecords(2);
    packed.add(norm[0]); // Elizabeth: canonical form is the name itself
    packed.add(norm[1]); // Liz → elizabeth
    const at = (i: number, f: number) => [packed.textOff[i * TEXT_FIELDS + f], packed.textLen[i * TEXT_FIELDS + f]];
    expect(at(0, T_GIVEN_CANON)).toEqual(at(0, T_GIVEN));
    expect(at(1, T_GIVEN_CANON)).not.toEqual(at(1, T_GIVEN));
    expect(at(0, T_SECTOR)).toEqual([at(0, T_POSTCODE)[0], 'SW1A 1'.length]);
    const text = (i: number, f: number) => Buffer.from(packed.bytes.subarray(at(i, f)[0], at(i, f)[0] + at(i, f)[1])).toString('latin1');
    expect(text(1, T_GIVEN_CANON)).toBe('elizabeth');
    expect(text(1, T_SECTOR)).toBe('SW1A 1');
  });

  it('lives on SharedArrayBuffers, so another thread reads the same memory', () => {
    const packed = new PackedRecords(4);
    packed.add(norm[0]);
    const state = packed.state();
    expect(state.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(state.textOff.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(state.bytes.buffer).toBe(packed.bytes.buffer);
  });

  it('refuses text it cannot hold rather than truncating it', () => {
    const packed = new PackedRecords(1);
    expect(() => packed.add({ ...norm[0], identifier: 'X'.repeat(70_000) })).toThrow(/65,535/);
    expect(packed.count).toBe(0);
  });
});
