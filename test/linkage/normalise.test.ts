import {
  canonicalGivenName,
  normaliseDate,
  normaliseName,
  normaliseNhsNumber,
  normaliseRecord,
  postcodeParts,
  soundex,
  validNhsNumber,
} from '../../workers/linkage/normalise';
import * as personLinker from '../../server/commands/personLinker';

describe('name normalisation', () => {
  it('drops case, accents and punctuation', () => {
    expect(normaliseName('  ZOË  Brontë ')).toBe('zoe bronte');
    expect(normaliseName("O'Brien")).toBe('o brien');
    expect(normaliseRecord({ recordId: 'o', familyName: "O'Brien" }).family).toBe('obrien');
    expect(normaliseName('José-María')).toBe('jose maria');
  });

  it('keeps hyphenated and double-barrelled surnames as parts and joined', () => {
    const a = normaliseRecord({ recordId: 'a', familyName: 'Smith-Jones' });
    const b = normaliseRecord({ recordId: 'b', familyName: 'SMITH JONES' });
    expect(a.family).toBe('smithjones');
    expect(a.familyTokens).toEqual(['smith', 'jones']);
    expect(b.family).toBe(a.family);
    expect(normaliseRecord({ recordId: 'c', givenName: 'Mary', familyName: 'Smith' })).toMatchObject({ given: 'mary', givenTokens: [], family: 'smith', familyTokens: [] });
  });

  it('resolves common nicknames to one given name', () => {
    expect(canonicalGivenName('bill')).toBe('william');
    expect(canonicalGivenName('liz')).toBe('elizabeth');
    expect(canonicalGivenName('constructor')).toBe('constructor');
    expect(normaliseRecord({ recordId: 'x', givenName: 'Bob' }).givenCanon).toBe('robert');
  });

  it('computes Soundex', () => {
    expect(soundex('robert')).toBe('R163');
    expect(soundex('rupert')).toBe('R163');
    expect(soundex('ashcraft')).toBe('A261');
    expect(soundex('tymczak')).toBe('T522');
  });
});

describe('postcodes', () => {
  it('normalises a UK postcode to full, sector and district', () => {
    expect(postcodeParts('sw1a1aa')).toEqual({ full: 'SW1A 1AA', sector: 'SW1A 1', district: 'SW1A' });
    expect(postcodeParts(' ls1  4ap ')).toEqual({ full: 'LS1 4AP', sector: 'LS1 4', district: 'LS1' });
  });

  it('keeps an outward code as a district only, and anything else opaque', () => {
    expect(postcodeParts('M1')).toEqual({ full: 'M1', sector: '', district: 'M1' });
    expect(postcodeParts('4011')).toEqual({ full: '4011', sector: '', district: '' });
  });

  it('is still exported by the deterministic linker', () => {
    expect(personLinker.normalisePostcode('sw1a1aa')).toBe('SW1A 1AA');
    expect(personLinker.normaliseName('Zoë')).toBe('zoe');
  });
});

describe('dates of birth', () => {
  it('reads YYYY-MM-DD, YYYYMMDD and DD/MM/YYYY', () => {
    expect(normaliseDate('1980-03-04').dob).toBe('1980-03-04');
    expect(normaliseDate('19800304')).toEqual({ dob: '1980-03-04', year: 1980, month: 3, day: 4 });
    expect(normaliseDate('04/03/1980').dob).toBe('1980-03-04');
  });

  it('treats unreadable dates as missing', () => {
    expect(normaliseDate('').dob).toBe('');
    expect(normaliseDate('not a date').dob).toBe('');
    expect(normaliseDate('1980').dob).toBe('');
  });
});

describe('NHS numbers', () => {
  it('accepts a valid modulus-11 check digit, with spaces', () => {
    expect(validNhsNumber('9434765919')).toBe(true);
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
  });

  it('ignores an invalid one', () => {
    expect(validNhsNumber('9434765918')).toBe(false);
    expect(normaliseNhsNumber('9434765918')).toBe('');
    expect(normaliseNhsNumber('12345')).toBe('');
    expect(personLinker.validNhsNumber('9434765919')).toBe(true);
  });
});
