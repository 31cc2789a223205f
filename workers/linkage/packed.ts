/**
 * Normalised records packed into a few flat typed arrays, which is what the scorer reads. A batch of
 * a million records then holds no per-record objects or strings (normalised records are dropped as
 * soon as they are packed), scoring a pair reads contiguous memory, and the arrays live on
 * SharedArrayBuffers, so another thread can score the same batch (see state and view).
 *
 * Every text field of a NormRecord is ASCII by construction (names are a–z runs, dates digits and
 * dashes, postcodes and identifiers A–Z and 0–9), so text is stored one byte per character.
 */
import type { NormRecord } from './normalise';
import { sharedArray } from './shared';

/** Text fields, as positions in a record's row of `textOff` / `textLen`. */
export const T_GIVEN = 0, T_GIVEN_CANON = 1, T_FAMILY = 2, T_DOB = 3, T_NHS = 4, T_IDENTIFIER = 5, T_POSTCODE = 6, T_SECTOR = 7, T_DISTRICT = 8;
/** Text fields per record. */
export const TEXT_FIELDS = 9;
/** Name parts: position 0 is the given name's, 1 the family name's. */
export const PARTS_GIVEN = 0, PARTS_FAMILY = 1;

/** The arrays of a PackedRecords: what another thread needs to read the same records. */
export interface PackedState {
  count: number;
  /** Characters of every text field. */
  bytes: Uint8Array;
  /** Start (into bytes) and length of text field f of record i, at i·TEXT_FIELDS + f. */
  textOff: Int32Array;
  textLen: Uint16Array;
  dobYear: Uint16Array;
  dobMonth: Uint8Array;
  dobDay: Uint8Array;
  /** Where record i's name parts start in partEnds and how many there are (0 for a one-part name), at i·2 + PARTS_*. */
  partsOff: Int32Array;
  partsCount: Uint8Array;
  /** Each part's end, counted from the start of the joined name (the parts are the joined name cut there). */
  partEnds: Uint16Array;
  /** Start (into addrIds) and number of record i's sorted address token ids. */
  addrOff: Int32Array;
  addrLen: Int32Array;
  addrIds: Int32Array;
}

type PackedArray = Uint8Array | Uint16Array | Int32Array;

/** The array itself when it holds `need` elements, else a copy twice as long (or `need`, if more). */
function grow<T extends PackedArray>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = sharedArray(a.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, Math.max(need, a.length * 2));
  next.set(a as never);
  return next;
}

/** Records packed for scoring; add() appends one, reset() empties the container for reuse. */
export class PackedRecords implements PackedState {
  count = 0;
  bytes: Uint8Array;
  textOff: Int32Array;
  textLen: Uint16Array;
  dobYear: Uint16Array;
  dobMonth: Uint8Array;
  dobDay: Uint8Array;
  partsOff: Int32Array;
  partsCount: Uint8Array;
  partEnds: Uint16Array;
  addrOff: Int32Array;
  addrLen: Int32Array;
  addrIds: Int32Array;
  private bytesUsed = 0;
  private partsUsed = 0;
  private addrUsed = 0;

  /** Room for `capacity` records (it grows when more are added). */
  constructor(capacity: number) {
    const n = Math.max(1, capacity);
    this.bytes = sharedArray(Uint8Array, n * 48);
    this.textOff = sharedArray(Int32Array, n * TEXT_FIELDS);
    this.textLen = sharedArray(Uint16Array, n * TEXT_FIELDS);
    this.dobYear = sharedArray(Uint16Array, n);
    this.dobMonth = sharedArray(Uint8Array, n);
    this.dobDay = sharedArray(Uint8Array, n);
    this.partsOff = sharedArray(Int32Array, n * 2);
    this.partsCount = sharedArray(Uint8Array, n * 2);
    this.partEnds = sharedArray(Uint16Array, Math.max(16, n >> 2));
    this.addrOff = sharedArray(Int32Array, n);
    this.addrLen = sharedArray(Int32Array, n);
    this.addrIds = sharedArray(Int32Array, n * 4);
  }

  /** Empties the container (its arrays are kept). */
  reset(): void {
    this.count = this.bytesUsed = this.partsUsed = this.addrUsed = 0;
  }

  /** Appends a normalised record; returns its position. */
  add(r: NormRecord): number {
    const i = this.count;
    if (i >= this.dobYear.length) this.growRecords(i + 1);
    const at = i * TEXT_FIELDS;
    this.text(at + T_GIVEN, r.given);
    // The same text again is stored once: a canonical given name is mostly the name itself, and
    // a postcode's sector and district are mostly its leading characters.
    if (r.givenCanon === r.given) this.same(at + T_GIVEN_CANON, at + T_GIVEN, r.given.length);
    else this.text(at + T_GIVEN_CANON, r.givenCanon);
    this.text(at + T_FAMILY, r.family);
    this.text(at + T_DOB, r.dob);
    this.text(at + T_NHS, r.nhs);
    this.text(at + T_IDENTIFIER, r.identifier);
    this.text(at + T_POSTCODE, r.postcode);
    if (r.postcode.startsWith(r.postcodeSector)) this.same(at + T_SECTOR, at + T_POSTCODE, r.postcodeSector.length);
    else this.text(at + T_SECTOR, r.postcodeSector);
    if (r.postcode.startsWith(r.postcodeDistrict)) this.same(at + T_DISTRICT, at + T_POSTCODE, r.postcodeDistrict.length);
    else this.text(at + T_DISTRICT, r.postcodeDistrict);
    this.dobYear[i] = r.dobYear;
    this.dobMonth[i] = r.dobMonth;
    this.dobDay[i] = r.dobDay;
    this.parts(i * 2 + PARTS_GIVEN, r.givenTokens, r.given);
    this.parts(i * 2 + PARTS_FAMILY, r.familyTokens, r.family);
    const ids = r.address;
    this.addrIds = grow(this.addrIds, this.addrUsed + ids.length);
    this.addrOff[i] = this.addrUsed;
    this.addrLen[i] = ids.length;
    for (let k = 0; k < ids.length; k++) this.addrIds[this.addrUsed++] = ids[k];
    // Counted last: a record refused half-way (see text) is not one.
    this.count = i + 1;
    return i;
  }

  /** The arrays, for a worker thread (they live on SharedArrayBuffers: nothing is copied). */
  state(): PackedState {
    const { count, bytes, textOff, textLen, dobYear, dobMonth, dobDay, partsOff, partsCount, partEnds, addrOff, addrLen, addrIds } = this;
    return { count, bytes, textOff, textLen, dobYear, dobMonth, dobDay, partsOff, partsCount, partEnds, addrOff, addrLen, addrIds };
  }

  /** Records packed by another thread (see state()), read in place. */
  static view(state: PackedState): PackedRecords {
    const p = new PackedRecords(0);
    Object.assign(p, state);
    return p;
  }

  private text(slot: number, s: string): void {
    const len = s.length;
    if (len > 0xffff) throw new Error('PackedRecords: text field longer than 65,535 characters');
    const from = this.bytesUsed;
    if (from + len > this.bytes.length) this.bytes = grow(this.bytes, from + len);
    const bytes = this.bytes;
    for (let k = 0; k < len; k++) bytes[from + k] = s.charCodeAt(k);
    this.textOff[slot] = from;
    this.textLen[slot] = len;
    this.bytesUsed = from + len;
  }

  private same(slot: number, of: number, len: number): void {
    this.textOff[slot] = this.textOff[of];
    this.textLen[slot] = len;
  }

  private parts(slot: number, tokens: readonly string[], joined: string): void {
    this.partsOff[slot] = this.partsUsed;
    this.partsCount[slot] = 0;
    if (tokens.length < 2) return;
    if (tokens.length > 255) throw new Error('PackedRecords: more than 255 name parts');
    this.partEnds = grow(this.partEnds, this.partsUsed + tokens.length);
    let end = 0;
    for (const t of tokens) {
      end += t.length;
      this.partEnds[this.partsUsed++] = end;
    }
    if (end !== joined.length) throw new Error('PackedRecords: name parts do not make up the name');
    this.partsCount[slot] = tokens.length;
  }

  private growRecords(need: number): void {
    const n = Math.max(need, this.dobYear.length * 2);
    this.textOff = grow(this.textOff, n * TEXT_FIELDS);
    this.textLen = grow(this.textLen, n * TEXT_FIELDS);
    this.dobYear = grow(this.dobYear, n);
    this.dobMonth = grow(this.dobMonth, n);
    this.dobDay = grow(this.dobDay, n);
    this.partsOff = grow(this.partsOff, n * 2);
    this.partsCount = grow(this.partsCount, n * 2);
    this.addrOff = grow(this.addrOff, n);
    this.addrLen = grow(this.addrLen, n);
  }
}
