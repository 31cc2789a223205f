/**
 * Blocking: records that share the value of at least one blocking key become candidate pairs.
 * A block larger than maxBlockSize is skipped (its pairs must be found by another key), and a pair
 * found by several keys is visited once.
 */
import type { BlockingKey, MatchingConfig } from '../../config/domain';
import type { NormRecord } from './normalise';
import { sharedArray } from './shared';

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
const PART_CODES: Record<Part, P> = {
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
function hashPart(h: number, r: NormRecord, part: P, out: Uint32Array, at: number): void {
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
function mixPart(h: number, part: number): number {
  let k = Math.imul(part, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Sorts the indices 0..n-1 that have a value (present[i] = 1) by their 32-bit key (two stable 16-bit
 * counting passes), writing them to out; returns how many there are. src, dst (n each) and buckets
 * (65,536) are scratch space.
 */
export function radixSortByKey(
  hashes: Uint32Array, present: Uint8Array, n: number, out: Int32Array,
  src: Int32Array, dst: Int32Array, buckets: Int32Array,
): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (present[i]) src[count++] = i;
  for (let shift = 0; shift < 32; shift += 16) {
    buckets.fill(0);
    for (let p = 0; p < count; p++) buckets[(hashes[src[p]] >>> shift) & 0xffff]++;
    for (let b = 0, sum = 0; b < 65536; b++) {
      const c = buckets[b];
      buckets[b] = sum;
      sum += c;
    }
    const target = shift === 0 ? dst : out;
    for (let p = 0; p < count; p++) {
      const i = src[p];
      target[buckets[(hashes[i] >>> shift) & 0xffff]++] = i;
    }
    src = dst;
  }
  return count;
}

/**
 * One thread's scratch space for building keys: record indices and key hashes twice over (the two
 * passes of the sort), two histograms, and each record's largest block this thread kept so far:
 * cover[2i] its number (-1: none yet) and cover[2i + 1] its size, side by side so one read fetches
 * both (see groupKey).
 */
export interface BuildScratch {
  idxA: Int32Array;
  hashA: Uint32Array;
  idxB: Int32Array;
  hashB: Uint32Array;
  low: Int32Array;
  high: Int32Array;
  cover: Int32Array;
  /** Blocks this thread kept so far (the next block's number). */
  kept: number;
}

/** Scratch space for building the keys of n records. */
export function buildScratch(n: number): BuildScratch {
  const cover = sharedArray(Int32Array, 2 * n);
  for (let i = 0; i < n; i++) cover[2 * i] = -1;
  return {
    idxA: sharedArray(Int32Array, n), hashA: sharedArray(Uint32Array, n),
    idxB: sharedArray(Int32Array, n), hashB: sharedArray(Uint32Array, n),
    low: sharedArray(Int32Array, 65536), high: sharedArray(Int32Array, 65536),
    cover, kept: 0,
  };
}

/**
 * A build's arrays, which a second thread can share (all on SharedArrayBuffers; see BatchBlocker).
 * Keys are claimed from progress[0] (Atomics.add), each by one thread, which sorts and groups it;
 * progress[1] counts the keys done.
 */
export interface BuildWork {
  n: number;
  keys: number;
  maxBlockSize: number;
  /** Part-major: partHashes[p·n + i] is the hash of record i's value of part p, 0 when it has none. */
  partHashes: Uint32Array;
  /** Each key's parts, as positions p in partHashes. */
  keyParts: Int32Array[];
  members: Int32Array;
  start: Int32Array;
  size: Uint8Array | Uint16Array | Int32Array;
  progress: Int32Array;
}

/** Another thread that may build some of a batch's keys (see linkBatch). */
export interface BuildHelper {
  /** Hands the work over; the thread takes keys while any are left, or none if it comes too late. */
  share(work: BuildWork): void;
  /** False once the thread has stopped (a key it took would then never be done). */
  alive(): boolean;
}

/** Builds keys claimed from work.progress until none is left (a helper thread's part of a build). */
export function buildClaimedKeys(work: BuildWork, scratch: BuildScratch): void {
  for (;;) {
    const k = Atomics.add(work.progress, 0, 1);
    if (k >= work.keys) return;
    groupKey(work, k, scratch, sortKey(work, k, scratch));
    Atomics.add(work.progress, 1, 1);
    Atomics.notify(work.progress, 1);
  }
}

/**
 * Sorts key k's records with a value by the key's hash (a mix of its parts' hashes) into
 * members[k·n …], and leaves their hashes, in that order, in scratch.hashA; returns how many there
 * are. Two stable 16-bit counting passes, each hash carried with its record.
 */
function sortKey(work: BuildWork, k: number, scratch: BuildScratch): number {
  const { n, partHashes, members } = work;
  const { idxA, hashA, idxB, hashB, low, high } = scratch;
  const own = work.keyParts[k], parts = own.length;
  // The records with a value and their hashes, and both histograms, in one pass.
  low.fill(0);
  high.fill(0);
  let count = 0;
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5, q = 0;
    for (; q < parts; q++) {
      const part = partHashes[own[q] * n + i];
      if (part === 0) break;
      h = mixPart(h, part);
    }
    if (q < parts) continue;
    h >>>= 0;
    idxA[count] = i;
    hashA[count] = h;
    count++;
    low[h & 0xffff]++;
    high[h >>> 16]++;
  }
  for (let b = 0, sumLow = 0, sumHigh = 0; b < 65536; b++) {
    const cl = low[b], ch = high[b];
    low[b] = sumLow;
    high[b] = sumHigh;
    sumLow += cl;
    sumHigh += ch;
  }
  for (let p = 0; p < count; p++) {
    const h = hashA[p];
    const q = low[h & 0xffff]++;
    idxB[q] = idxA[p];
    hashB[q] = h;
  }
  const base = k * n;
  for (let p = 0; p < count; p++) {
    const h = hashB[p];
    const q = high[h >>> 16]++;
    members[base + q] = idxB[p];
    hashA[q] = h;
  }
  return count;
}

/**
 * Finds key k's blocks among its count sorted records and sets start and size for the records of
 * each block that gives pairs. Singleton and oversized blocks give none; nor does a block whose
 * records all lie in one block this thread kept before (that block gives all its pairs), which
 * leaves out most blocks: a person's records share the blocks of many keys.
 */
function groupKey(work: BuildWork, k: number, scratch: BuildScratch, count: number): void {
  const { n, members, start, size, maxBlockSize: max } = work;
  const { cover, hashA: hashes } = scratch;
  const base = k * n;
  let runStart = 0;
  for (let p = 1; p <= count; p++) {
    if (p < count && hashes[p] === hashes[runStart]) continue;
    const blockSize = p - runStart;
    if (blockSize > 1 && blockSize <= max) {
      const first = cover[2 * members[base + runStart]];
      let covered = first >= 0;
      for (let q = runStart + 1; covered && q < p; q++) covered = cover[2 * members[base + q]] === first;
      if (!covered) {
        const id = scratch.kept++;
        for (let q = runStart; q < p; q++) {
          const i = members[base + q], at = base + i;
          start[at] = runStart;
          size[at] = blockSize;
          if (blockSize > cover[2 * i + 1]) {
            cover[2 * i] = id;
            cover[2 * i + 1] = blockSize;
          }
        }
      }
    }
    runStart = p;
  }
}

/** How long the building thread waits for keys another thread builds before checking that thread is alive. */
const BUILD_WAIT_MS = 200;

/**
 * Candidate pairs of a batch, each visited once with i < j. All keys' blocks live in a few flat
 * typed arrays, key-major: members[k·n + p] are record indices grouped by key k's hash, and for
 * record i the block of key k is members[k·n + start[k·n + i] … + size[k·n + i]) (start = -1 when
 * i has no value, its block is a singleton or larger than maxBlockSize, or its block gives no pair
 * that another block does not: see groupKey). Key-major, one key's writes while building land in a
 * few megabytes rather than all over the arrays.
 *
 * The arrays are allocated by the constructor, on SharedArrayBuffers (see shared.ts): ordinary
 * ones of this size would make V8 collect the whole heap, input included, several times over.
 */
export class BatchBlocker {
  private readonly n: number;
  private readonly keys: readonly BlockingKey[];
  private readonly maxBlockSize: number;
  private readonly members: Int32Array;
  private readonly start: Int32Array;
  private readonly size: Uint8Array | Uint16Array | Int32Array;
  private readonly seen: Int32Array;
  /**
   * Part-major: partHashes[p·n + i] is the hash of record i's value of part p (0 when it has none),
   * so a key's hashes are mixed from a few contiguous runs when it is built.
   */
  private partHashes: Uint32Array;
  /** The distinct parts of all keys (as codes), and each key's parts as positions in that list. */
  private readonly parts: Int32Array;
  private readonly keyParts: Int32Array[];
  private built = false;

  /** Allocates room for n records; call build() with them. */
  constructor(n: number, config: MatchingConfig) {
    this.n = n;
    this.keys = config.blocking.keys;
    const K = this.keys.length;
    this.maxBlockSize = config.blocking.maxBlockSize;
    this.members = sharedArray(Int32Array, K * n);
    this.start = sharedArray(Int32Array, K * n).fill(-1);
    const max = this.maxBlockSize;
    this.size = max < 256 ? sharedArray(Uint8Array, K * n) : max < 65536 ? sharedArray(Uint16Array, K * n) : sharedArray(Int32Array, K * n);
    this.seen = sharedArray(Int32Array, n);
    const parts = [...new Set(this.keys.flatMap((k) => k.parts))];
    this.parts = Int32Array.from(parts, (p) => PART_CODES[p]);
    this.keyParts = this.keys.map((k) => Int32Array.from(k.parts, (p) => parts.indexOf(p)));
    this.partHashes = sharedArray(Uint32Array, parts.length * n);
  }

  /**
   * Records the hashes of record i's blocking parts (call for every i, best right after normalising
   * it). Each part is hashed once, however many keys use it.
   */
  add(i: number, r: NormRecord): void {
    const { parts, partHashes } = this, n = this.n;
    for (let p = 0, at = i; p < parts.length; p++, at += n) hashPart(0x811c9dc5, r, parts[p], partHashes, at);
  }

  /**
   * Groups the records into blocks; with records given, add() is called for each first. With a
   * helper, the other thread builds some of the keys meanwhile.
   */
  build(records?: readonly NormRecord[], helper?: BuildHelper): this {
    const n = this.n, K = this.keys.length;
    if (this.built) throw new Error('BatchBlocker: build() runs once');
    if (records) {
      if (records.length !== n) throw new Error(`BatchBlocker: expected ${n} records, got ${records.length}`);
      for (let i = 0; i < n; i++) this.add(i, records[i]);
    }
    const work: BuildWork = {
      n, keys: K, maxBlockSize: this.maxBlockSize, partHashes: this.partHashes, keyParts: this.keyParts,
      members: this.members, start: this.start, size: this.size, progress: sharedArray(Int32Array, 2),
    };
    helper?.share(work);
    buildClaimedKeys(work, buildScratch(n));
    // Keys the helper took: wait until it has done them.
    const progress = work.progress;
    for (let done = Atomics.load(progress, 1); done < K; done = Atomics.load(progress, 1)) {
      if (Atomics.wait(progress, 1, done, BUILD_WAIT_MS) === 'timed-out' && helper && !helper.alive() && Atomics.load(progress, 1) === done) {
        throw new Error('BatchBlocker: the helper thread stopped while building');
      }
    }
    // The part hashes are no longer needed.
    this.partHashes = new Uint32Array(0);
    this.built = true;
    return this;
  }

  /** Calls visit(i, j) for every candidate pair (i < j), each pair once. Returns the pair count. */
  forEachPair(visit: (i: number, j: number) => void): number {
    const blocks = this.blocks();
    return forEachPairFrom(blocks, 0, this.n, blocks.seen.fill(-1), visit);
  }

  /** The built blocks (on SharedArrayBuffers: a scoring thread reads them in place). */
  blocks(): Blocks {
    if (!this.built) throw new Error('BatchBlocker: build() first');
    return { n: this.n, keys: this.keys.length, members: this.members, start: this.start, size: this.size, seen: this.seen };
  }
}

/** What a built BatchBlocker hands to whoever enumerates its pairs. */
export interface Blocks {
  n: number;
  /** Number of blocking keys. */
  keys: number;
  members: Int32Array;
  start: Int32Array;
  size: Uint8Array | Uint16Array | Int32Array;
  /** Scratch space of n entries for the enumerating thread (each thread needs its own). */
  seen: Int32Array;
}

/**
 * Calls visit(i, j) for every candidate pair with from ≤ i < to and i < j, each pair once; `seen`
 * (n entries, all below `from` or -1 on entry) marks the partners already visited. Returns the
 * pair count. Ranges taken in increasing order can share one `seen`.
 */
export function forEachPairFrom(blocks: Blocks, from: number, to: number, seen: Int32Array, visit: (i: number, j: number) => void): number {
  const { n, keys: K, members, start, size } = blocks;
  let pairs = 0;
  for (let i = from; i < to; i++) {
    for (let k = 0, at = i; k < K; k++, at += n) {
      const s = start[at];
      if (s < 0) continue;
      const lo = k * n + s, hi = lo + size[at];
      for (let p = lo; p < hi; p++) {
        const j = members[p];
        if (j <= i || seen[j] === i) continue;
        seen[j] = i;
        pairs++;
        visit(i, j);
      }
    }
  }
  return pairs;
}
