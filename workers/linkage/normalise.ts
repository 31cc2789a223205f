/**
 * Normalisation for record linkage: every field is cleaned once, when a record enters the linker,
 * so scoring a pair only compares prepared strings, integers and token ids.
 */
import { NICKNAME_TO_CANONICAL } from './nicknames';

/** A person record as an agency sent it (any field may be missing or empty). */
export interface LinkRecord {
  /** The agency's own id for the record; echoed in the output, never compared. */
  recordId: string;
  agency?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  /** YYYY-MM-DD or YYYYMMDD (DD/MM/YYYY is also read). */
  dateOfBirth?: string | null;
  nhsNumber?: string | null;
  postcode?: string | null;
  /** Free-text address lines. */
  address?: string | null;
  /** Another identifier (agency or national number), compared as opaque text. */
  identifier?: string | null;
}

/** A record after normalisation; empty string (or 0, or an empty array) means "not known". */
export interface NormRecord {
  recordId: string;
  agency: string;
  /** Given name parts joined without spaces ("mary ann" → "maryann"). */
  given: string;
  /** The given name with nicknames resolved ("bill" → "william"; see canonicalGiven). */
  givenCanon: string;
  /** The parts of a given name of more than one part (["mary", "ann"]); empty for a one-part name. */
  givenTokens: string[];
  /** Family name tokens joined without spaces ("smith-jones" → "smithjones"). */
  family: string;
  /** The parts of a family name of more than one part (["smith", "jones"]); empty for a one-part name. */
  familyTokens: string[];
  /** Soundex of givenCanon and family (blocking keys). */
  givenSoundex: string;
  familySoundex: string;
  /** YYYY-MM-DD. */
  dob: string;
  dobYear: number;
  dobMonth: number;
  dobDay: number;
  /** Ten digits with a valid modulus-11 check digit, else empty. */
  nhs: string;
  identifier: string;
  /** "AA9A 9AA" for a UK postcode, else the opaque upper-cased value without spaces. */
  postcode: string;
  /** "AA9A 9" (UK full postcodes only). */
  postcodeSector: string;
  /** "AA9A" (UK postcodes, full or outward only). */
  postcodeDistrict: string;
  /** Sorted, unique address token ids (see tokenId). */
  address: readonly number[];
  /** The first house number and the word after it ("12 high"), for blocking; empty without a number. */
  addressKey: string;
}

/** True when the record has already been through normaliseRecord. */
export function isNormalised(r: LinkRecord | NormRecord): r is NormRecord {
  return typeof (r as NormRecord).givenSoundex === 'string';
}

/** True when a 10-digit NHS number's modulus-11 check digit is right. */
export function validNhsNumber(nhs: string): boolean {
  if (!/^\d{10}$/.test(nhs)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nhs.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === nhs.charCodeAt(9) - 48;
}

/** Lowercase, accents and punctuation removed, single spaces. */
export function normaliseName(name: string | null | undefined): string {
  return nameParts(name).join(' ');
}

/** The parts of a name: lower-case a–z runs, accents dropped ("O'Brien" → ["o", "brien"]; compared joined). */
export function nameParts(name: string | null | undefined): string[] {
  if (!name) return [];
  const lower = name.toLowerCase();
  const parts: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    // Accents are rare: the slow path handles them.
    if (c >= 128) return slowNormaliseName(name).split(' ').filter(Boolean);
    const letter = c >= 97 && c <= 122;
    if (letter && start < 0) start = i;
    else if (!letter && start >= 0) {
      parts.push(start === 0 && i === lower.length ? lower : lower.slice(start, i));
      start = -1;
    }
  }
  return parts;
}

function slowNormaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const UK_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/;
const UK_OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/** UK postcode, upper case with one space before the inward code (opaque text otherwise). */
export function normalisePostcode(pc: string | null | undefined): string | null {
  if (!pc) return null;
  const compact = pc.toUpperCase().replace(/\s+/g, '');
  if (UK_POSTCODE.test(compact)) return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
  return pc.trim().toUpperCase();
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Already "AA9A 9AA" (upper case, one space): the common case, checked without allocating. */
function isCanonicalUkPostcode(pc: string): boolean {
  const len = pc.length;
  if (len < 6 || len > 8 || pc.charCodeAt(len - 4) !== 32) return false;
  if (!isDigit(pc.charCodeAt(len - 3)) || !isUpper(pc.charCodeAt(len - 2)) || !isUpper(pc.charCodeAt(len - 1))) return false;
  // Outward code: one or two letters, a digit, then an optional letter or digit.
  const outward = len - 4;
  let i = 0;
  while (i < outward && i < 2 && isUpper(pc.charCodeAt(i))) i++;
  if (i === 0 || i >= outward || !isDigit(pc.charCodeAt(i))) return false;
  i++;
  if (i < outward) {
    const c = pc.charCodeAt(i);
    if (!isUpper(c) && !isDigit(c)) return false;
    i++;
  }
  return i === outward;
}

/** Full postcode, sector and district; sector and district are empty for a non-UK value. */
export function postcodeParts(pc: string | null | undefined): { full: string; sector: string; district: string } {
  if (pc && isCanonicalUkPostcode(pc)) {
    const space = pc.length - 4;
    return { full: pc, sector: pc.slice(0, space + 2), district: pc.slice(0, space) };
  }
  const compact = (pc ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const m = UK_POSTCODE.exec(compact);
  if (m) return { full: `${m[1]} ${m[2]}`, sector: `${m[1]} ${m[2][0]}`, district: m[1] };
  if (UK_OUTWARD.test(compact)) return { full: compact, sector: '', district: compact };
  return { full: compact, sector: '', district: '' };
}

/** The canonical given name for a nickname ("liz" → "elizabeth"); other names are returned unchanged. */
export function canonicalGivenName(token: string): string {
  return NICKNAME_TO_CANONICAL.get(token) ?? token;
}

/** A date as YYYY-MM-DD with its numeric parts, or empty when unreadable. */
export function normaliseDate(value: string | null | undefined): { dob: string; year: number; month: number; day: number } {
  const none = { dob: '', year: 0, month: 0, day: 0 };
  const s = (value ?? '').trim();
  if (!s) return none;
  const fast = fastDate(s);
  if (fast) return fast;
  let y: string, m: string, d: string;
  let match = /^(\d{4})-?(\d{1,2})-?(\d{1,2})$/.exec(s);
  if (match && (s.includes('-') || s.length === 8)) [, y, m, d] = match;
  else if ((match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s))) [, d, m, y] = match;
  else return none;
  const year = Number(y), month = Number(m), day = Number(d);
  // Day/month transpositions and typed digits are kept: comparison levels grade them.
  if (year < 1800 || month < 1 || day < 1 || month > 31 || day > 31) return none;
  return { dob: `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`, year, month, day };
}

const digitAt = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** YYYY-MM-DD or YYYYMMDD without regular expressions (the common case), else undefined. */
function fastDate(s: string): { dob: string; year: number; month: number; day: number } | undefined {
  const dashed = s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45;
  if (!dashed && s.length !== 8) return undefined;
  const m0 = dashed ? 5 : 4, d0 = dashed ? 8 : 6;
  const y0 = digitAt(s, 0), y1 = digitAt(s, 1), y2 = digitAt(s, 2), y3 = digitAt(s, 3);
  const mo0 = digitAt(s, m0), mo1 = digitAt(s, m0 + 1), d0d = digitAt(s, d0), d1d = digitAt(s, d0 + 1);
  if ((y0 | y1 | y2 | y3 | mo0 | mo1 | d0d | d1d) < 0) return undefined;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3, month = mo0 * 10 + mo1, day = d0d * 10 + d1d;
  if (year < 1800 || month < 1 || day < 1 || month > 31 || day > 31) return { dob: '', year: 0, month: 0, day: 0 };
  return { dob: dashed ? s : `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`, year, month, day };
}

/** Upper case, letters and digits only; empty when nothing is left. */
export function normaliseIdentifier(value: string | null | undefined): string {
  if (!value) return '';
  return (value ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The NHS number without spaces or dashes, or empty when it fails the check digit. */
export function normaliseNhsNumber(value: string | null | undefined): string {
  if (!value) return '';
  if (value.length === 10) return validNhsNumber(value) ? value : '';
  const digits = (value ?? '').replace(/[\s-]/g, '');
  return validNhsNumber(digits) ? digits : '';
}

const ADDRESS_ABBREVIATIONS = new Map<string, string>(Object.entries({
  st: 'street', rd: 'road', ave: 'avenue', av: 'avenue', ln: 'lane', dr: 'drive', cres: 'crescent',
  cl: 'close', ct: 'court', pl: 'place', sq: 'square', gdns: 'gardens', tce: 'terrace', hse: 'house',
  flt: 'flat', apt: 'flat', pde: 'parade', hwy: 'highway', mt: 'mount',
}));

const tokenIds = new Map<string, number>();

/** A stable small integer for an address token (one dictionary per process). */
export function tokenId(token: string): number {
  let id = tokenIds.get(token);
  if (id === undefined) {
    id = tokenIds.size + 1;
    tokenIds.set(token, id);
  }
  return id;
}

/** Address tokens (lower case, accents and punctuation removed, abbreviations expanded) as sorted unique ids. */
export function addressTokens(value: string | null | undefined): readonly number[] {
  return parseAddress(value).tokens;
}

/** Address tokens as sorted unique ids, and the first "number word" pair as a blocking key. */
export function parseAddress(value: string | null | undefined): { tokens: readonly number[]; key: string } {
  if (!value) return { tokens: EMPTY_TOKENS, key: '' };
  let text = value.toLowerCase();
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 128) {
      text = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      break;
    }
  }
  const ids: number[] = [];
  let start = -1, digits = false, number = '', key = '';
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const digit = c >= 48 && c <= 57;
    const word = (c >= 97 && c <= 122) || digit;
    if (word && start < 0) {
      start = i;
      digits = true;
    }
    if (word && !digit) digits = false;
    else if (!word && start >= 0) {
      const w = text.slice(start, i);
      const expanded = ADDRESS_ABBREVIATIONS.get(w) ?? w;
      ids.push(tokenId(expanded));
      if (key === '') {
        if (digits && number === '') number = w;
        else if (!digits && number !== '') key = `${number} ${expanded}`;
      }
      start = -1;
    }
  }
  if (ids.length === 0) return { tokens: EMPTY_TOKENS, key: '' };
  if (ids.length > 1) ids.sort((x, y) => x - y);
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) ids[n++] = ids[i];
  ids.length = n;
  return { tokens: ids, key };
}

const EMPTY_TOKENS: readonly number[] = Object.freeze([]);

/** American Soundex of a lower-case a–z string ("robert" → "R163"); empty for an empty string. */
export function soundex(name: string): string {
  if (!name) return '';
  const first = name.charCodeAt(0);
  let code = 0, len = 1;
  let last = SOUNDEX[first - 97] ?? 0;
  for (let i = 1; i < name.length && len < 4; i++) {
    const ch = name.charCodeAt(i);
    const digit = SOUNDEX[ch - 97] ?? 0;
    if (digit !== 0 && digit !== last) {
      code += digit * (len === 1 ? 49 : len === 2 ? 7 : 1);
      len++;
    }
    // h and w do not separate equal codes; vowels do.
    if (ch !== 104 && ch !== 119) last = digit;
  }
  if (first < 97 || first > 122) return spellSoundex(name[0].toUpperCase().charCodeAt(0), code);
  // One shared string per code: a batch holds millions of records and only 26 × 7³ codes exist.
  return (SOUNDEX_CODES[(first - 97) * 343 + code] ??= spellSoundex(first - 32, code));
}

/** The letter and the three digits of a code numbered in base 7 (first digit × 49 + second × 7 + third). */
function spellSoundex(letter: number, code: number): string {
  return String.fromCharCode(letter, 48 + Math.floor(code / 49), 48 + (Math.floor(code / 7) % 7), 48 + (code % 7));
}

const SOUNDEX_CODES: (string | undefined)[] = new Array(26 * 343);

// a b c d e f g h i j k l m n o p q r s t u v w x y z
const SOUNDEX = [0, 1, 2, 3, 0, 1, 2, 0, 0, 2, 2, 4, 5, 5, 0, 1, 2, 6, 2, 3, 0, 1, 0, 2, 0, 2];

/** Normalises every field of a record once. */
export function normaliseRecord(r: LinkRecord): NormRecord {
  const givenParts = splitName(r.givenName);
  const familyParts = splitName(r.familyName);
  const given = givenParts.join('');
  const givenCanon = canonicalGiven(given, givenParts);
  const family = familyParts.join('');
  const date = normaliseDate(r.dateOfBirth);
  const pc = postcodeParts(r.postcode);
  const address = parseAddress(r.address);
  return {
    recordId: r.recordId,
    agency: r.agency ?? '',
    given,
    givenCanon,
    givenTokens: multiPart(givenParts),
    family,
    familyTokens: multiPart(familyParts),
    givenSoundex: soundex(givenCanon),
    familySoundex: soundex(family),
    dob: date.dob,
    dobYear: date.year,
    dobMonth: date.month,
    dobDay: date.day,
    nhs: normaliseNhsNumber(r.nhsNumber),
    identifier: normaliseIdentifier(r.identifier),
    postcode: pc.full,
    postcodeSector: pc.sector,
    postcodeDistrict: pc.district,
    address: address.tokens,
    addressKey: address.key,
  };
}

/** Nickname of the whole given name, else of its first part, else the joined name. */
function canonicalGiven(given: string, tokens: string[]): string {
  const whole = NICKNAME_TO_CANONICAL.get(given);
  if (whole) return whole;
  const first = tokens.length > 1 ? NICKNAME_TO_CANONICAL.get(tokens[0]) : undefined;
  return first ?? given;
}

function splitName(value: string | null | undefined): string[] {
  return nameParts(value);
}

/**
 * The parts when there are several, else one shared empty array: most names have one part, and a
 * batch of a million records need not keep two million one-element arrays alive.
 */
function multiPart(parts: string[]): string[] {
  return parts.length > 1 ? parts : NO_PARTS;
}

const NO_PARTS: string[] = [];
