/**
 * Blocking key values: what each blocking key's parts are for a record, spelled as strings for the
 * per-record path (stored with each encounter) and hashed for the batch path (block.ts). Both
 * spellings live here so they stay alike.
 */
import type { BlockingKey } from '../../config/domain';
import type { NormRecord } from './normalise';

type Part = BlockingKey['parts'][number];

/**
 * Part codes for the batch path, which switches on these numbers rather than on the part names (a
 * switch over strings read from JSON may compare their characters).
 */
const enum P {
  given_name, family_name, date_of_birth, nhs_number, identifier, postcode, given_initial, family_initial,
  given_soundex, family_soundex, dob_year, postcode_sector, postcode_district, name_initials, name_soundex_pair,
  address_key, family_first_part, dob_day_month_unordered, dob_month_day, name_pair, given_prefix3, given_suffix3,
  family_prefix2, family_suffix3,
}
export const PART_CODES: Record<Part, P> = {
  given_name: P.given_name, family_name: P.family_name, date_of_birth: P.date_of_birth, nhs_number: P.nhs_number,
  identifier: P.identifier, postcode: P.postcode, given_initial: P.given_initial, family_initial: P.family_initial,
  given_soundex: P.given_soundex, family_soundex: P.family_soundex, dob_year: P.dob_year,
  postcode_sector: P.postcode_sector, postcode_district: P.postcode_district, name_initials: P.name_initials,
  name_soundex_pair: P.name_soundex_pair, address_key: P.address_key, family_first_part: P.family_first_part,
  dob_day_month_unordered: P.dob_day_month_unordered, dob_month_day: P.dob_month_day, name_pair: P.name_pair,
  given_prefix3: P.given_prefix3, given_suffix3: P.given_suffix3, family_prefix2: P.family_prefix2,
  family_suffix3: P.family_suffix3,
};

function partValue(r: NormRecord, part: Part): string {
  switch (part) {
    case 'given_name': return r.givenCanon;
    case 'family_name': return r.family;
    case 'date_of_birth': return r.dob;
    case 'nhs_number': return r.nhs;
    case 'identifier': return r.identifier;
    case 'postcode': return r.postcode;
    case 'given_initial': return r.givenCanon.slice(0, 1);
    case 'family_initial': return r.family.slice(0, 1);
    case 'given_soundex': return r.givenSoundex;
    case 'family_soundex': return r.familySoundex;
    case 'dob_year': return r.dobYear ? String(r.dobYear) : '';
    case 'postcode_sector': return r.postcodeSector;
    case 'postcode_district': return r.postcodeDistrict;
    case 'name_initials': return sortedPair(r.givenCanon.slice(0, 1), r.family.slice(0, 1));
    case 'name_soundex_pair': return sortedPair(r.givenSoundex, r.familySoundex);
    case 'address_key': return r.addressKey;
    case 'family_first_part': return familyFirstPart(r);
    case 'dob_day_month_unordered': return r.dob === '' || r.dobMonth <= r.dobDay ? r.dob : `${r.dob.slice(0, 5)}${r.dob.slice(8, 10)}-${r.dob.slice(5, 7)}`;
    case 'dob_month_day': return r.dob.slice(5);
    case 'name_pair': return sortedPair(r.givenCanon, r.family);
    case 'given_prefix3': return r.givenCanon.slice(0, 3);
    case 'given_suffix3': return r.givenCanon.slice(-3);
    case 'family_prefix2': return r.family.slice(0, 2);
    case 'family_suffix3': return r.family.slice(-3);
  }
}

/** Shortest first part of a family name that stands for the name: shorter ones are particles (O', Mc, de, al). */
const MIN_FIRST_PART = 3;

/**
 * The first part of a family name of several parts ("smith" for "Smith-Jones"), so a name that
 * gained or lost a second part meets its other form; a first part of fewer than three letters is a
 * particle ("o" of "O'Brien"), and the whole name is used.
 */
function familyFirstPart(r: NormRecord): string {
  const parts = r.familyTokens;
  return parts.length > 0 && parts[0].length >= MIN_FIRST_PART ? parts[0] : r.family;
}

/** "a+b" with the two values in order, or "" when either is missing. */
function sortedPair(a: string, b: string): string {
  if (a === '' || b === '') return '';
  return a < b ? `${a}+${b}` : `${b}+${a}`;
}

/**
 * The record's value for every blocking key, in config order ("" when a part is missing). Values
 * of different keys never collide: each starts with the key's position.
 */
export function blockingKeyValues(r: NormRecord, keys: readonly BlockingKey[]): string[] {
  const out = new Array<string>(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const parts = keys[k].parts;
    let value = `${k}`;
    for (let p = 0; p < parts.length; p++) {
      const v = partValue(r, parts[p]);
      if (v === '') {
        value = '';
        break;
      }
      value += `|${v}`;
    }
    out[k] = value;
  }
  return out;
}

const FNV_PRIME = 0x01000193;
/** What the hash helpers return for a missing value (never an int32, so never a real hash). */
const MISSING = 0x100000000;

/** FNV-1a over the characters of s[from, to). */
function hashChars(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** FNV-1a over the decimal digits of a positive integer (as String(x) would spell them). */
function hashDigits(h: number, x: number): number {
  let div = 1;
  while (div * 10 <= x) div *= 10;
  for (; div >= 1; div = Math.floor(div / 10)) h = Math.imul(h ^ (48 + (Math.floor(x / div) % 10)), FNV_PRIME);
  return h;
}

/** Hash of "a+b" with a and b in order (as sortedPair spells it), or MISSING when either is empty. */
function hashSortedPair(h: number, a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return MISSING;
  const lo = a < b ? a : b, hi = a < b ? b : a;
  h = hashChars(h, lo, 0, lo.length);
  h = Math.imul(h ^ 43, FNV_PRIME);
  return hashChars(h, hi, 0, hi.length);
}

/** Hash of s, or MISSING when s is empty. */
function hashWhole(h: number, s: string): number {
  return s.length === 0 ? MISSING : hashChars(h, s, 0, s.length);
}

/** Hash of the first `len` characters of s (all of a shorter s), or MISSING when s is empty. */
function hashPrefix(h: number, s: string, len: number): number {
  return s.length === 0 ? MISSING : hashChars(h, s, 0, Math.min(len, s.length));
}

/** Hash of the last `len` characters of s (all of a shorter s), or MISSING when s is empty. */
function hashSuffix(h: number, s: string, len: number): number {
  return s.length === 0 ? MISSING : hashChars(h, s, Math.max(0, s.length - len), s.length);
}

/**
 * Writes to out[at] the hash of one part's value (never 0), or 0 when the part is missing. Hashes
 * exactly the characters partValue would return, without building the string. (Written, not
 * returned: a returned hash outside the small-integer range would be boxed.)
 */
export function hashPart(h: number, r: NormRecord, part: P, out: Uint32Array, at: number): void {
  let x: number;
  switch (part) {
    case P.given_name:
      x = hashWhole(h, r.givenCanon);
      break;
    case P.family_name:
      x = hashWhole(h, r.family);
      break;
    case P.date_of_birth:
      x = hashWhole(h, r.dob);
      break;
    case P.nhs_number:
      x = hashWhole(h, r.nhs);
      break;
    case P.identifier:
      x = hashWhole(h, r.identifier);
      break;
    case P.postcode:
      x = hashWhole(h, r.postcode);
      break;
    case P.given_initial:
      x = hashPrefix(h, r.givenCanon, 1);
      break;
    case P.family_initial:
      x = hashPrefix(h, r.family, 1);
      break;
    case P.given_soundex:
      x = hashWhole(h, r.givenSoundex);
      break;
    case P.family_soundex:
      x = hashWhole(h, r.familySoundex);
      break;
    case P.dob_year:
      x = r.dobYear ? hashDigits(h, r.dobYear) : MISSING;
      break;
    case P.postcode_sector:
      x = hashWhole(h, r.postcodeSector);
      break;
    case P.postcode_district:
      x = hashWhole(h, r.postcodeDistrict);
      break;
    case P.name_initials: {
      const a = r.givenCanon, b = r.family;
      if (a.length === 0 || b.length === 0) {
        x = MISSING;
        break;
      }
      const c = a.charCodeAt(0), d = b.charCodeAt(0);
      h = Math.imul(h ^ (c < d ? c : d), FNV_PRIME);
      h = Math.imul(h ^ 43, FNV_PRIME);
      x = Math.imul(h ^ (c < d ? d : c), FNV_PRIME);
      break;
    }
    case P.name_soundex_pair:
      x = hashSortedPair(h, r.givenSoundex, r.familySoundex);
      break;
    case P.address_key:
      x = hashWhole(h, r.addressKey);
      break;
    case P.family_first_part:
      x = hashWhole(h, familyFirstPart(r));
      break;
    case P.dob_day_month_unordered: {
      // "YYYY-MM-DD" with the smaller of month and day first, as partValue spells it.
      const d = r.dob;
      if (d.length === 0) x = MISSING;
      else if (r.dobMonth <= r.dobDay) x = hashChars(h, d, 0, d.length);
      else x = hashChars(Math.imul(hashChars(hashChars(h, d, 0, 5), d, 8, 10) ^ 45, FNV_PRIME), d, 5, 7);
      break;
    }
    case P.dob_month_day:
      x = r.dob.length === 0 ? MISSING : hashChars(h, r.dob, 5, r.dob.length);
      break;
    case P.name_pair:
      x = hashSortedPair(h, r.givenCanon, r.family);
      break;
    case P.given_prefix3:
      x = hashPrefix(h, r.givenCanon, 3);
      break;
    case P.given_suffix3:
      x = hashSuffix(h, r.givenCanon, 3);
      break;
    case P.family_prefix2:
      x = hashPrefix(h, r.family, 2);
      break;
    case P.family_suffix3:
      x = hashSuffix(h, r.family, 3);
      break;
  }
  out[at] = x === MISSING ? 0 : x >>> 0 || 1;
}

/** Mixes one part's hash into a key's running hash (a MurmurHash3 round). */
export function mixPart(h: number, part: number): number {
  let k = Math.imul(part, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
