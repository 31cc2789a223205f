/**
 * Blocking: records that share the value of at least one blocking key become candidate pairs.
 * A block larger than maxBlockSize is skipped (its pairs must be found by another key), and a pair
 * found by several keys is visited once.
 */
import type { BlockingKey, MatchingConfig } from '../../config/domain';
import type { NormRecord } from './normalise';
import { sharedArray } from './shared';

type Part = BlockingKey['parts'][number];

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
  }
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
/** Returned by hashPart for a missing part (never an int32, so never a real hash). */
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

/**
 * The running hash extended by one part's value, or MISSING when the part is missing. Hashes exactly
 * the characters partValue would return, without building the string.
 */
function hashPart(h: number, r: NormRecord, part: Part): number {
  let v: string;
  switch (part) {
    case 'given_initial':
      return r.givenCanon.length === 0 ? MISSING : Math.imul(h ^ r.givenCanon.charCodeAt(0), FNV_PRIME);
    case 'family_initial':
      return r.family.length === 0 ? MISSING : Math.imul(h ^ r.family.charCodeAt(0), FNV_PRIME);
    case 'dob_year':
      return r.dobYear ? hashDigits(h, r.dobYear) : MISSING;
    case 'name_initials': {
      const a = r.givenCanon, b = r.family;
      if (a.length === 0 || b.length === 0) return MISSING;
      const x = a.charCodeAt(0), y = b.charCodeAt(0);
      h = Math.imul(h ^ (x < y ? x : y), FNV_PRIME);
      h = Math.imul(h ^ 43, FNV_PRIME);
      return Math.imul(h ^ (x < y ? y : x), FNV_PRIME);
    }
    case 'name_soundex_pair':
      return hashSortedPair(h, r.givenSoundex, r.familySoundex);
    default:
      v = partValue(r, part);
  }
  if (v === '') return MISSING;
  return hashChars(h, v, 0, v.length);
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
 * Candidate pairs of a batch, each visited once with i < j. All keys' blocks live in a few flat
 * typed arrays: members[k·n + p] are record indices grouped by key k's hash, and for record i the
 * block of key k is members[k·n + start[i·K + k] … + size[i·K + k]) (start = -1 when i has no
 * value, or its block is a singleton or larger than maxBlockSize).
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
  private hashes: Uint32Array;
  private present: Uint8Array;
  private scratch: Int32Array[];
  /** One key's hashes and presence, gathered from the record-major arrays for sorting. */
  private column: Uint32Array;
  private columnHas: Uint8Array;
  /** The distinct parts of all keys, each key's parts as positions in that list, and one record's part hashes. */
  private readonly parts: Part[];
  private readonly keyParts: Int32Array[];
  private readonly partHashes: Float64Array;
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
    this.hashes = sharedArray(Uint32Array, K * n);
    this.present = sharedArray(Uint8Array, K * n);
    this.scratch = [sharedArray(Int32Array, n), sharedArray(Int32Array, n), sharedArray(Int32Array, 65536)];
    this.column = sharedArray(Uint32Array, n);
    this.columnHas = sharedArray(Uint8Array, n);
    this.parts = [...new Set(this.keys.flatMap((k) => k.parts))];
    this.keyParts = this.keys.map((k) => Int32Array.from(k.parts, (p) => this.parts.indexOf(p)));
    this.partHashes = new Float64Array(this.parts.length);
  }

  /**
   * Records record i's key hashes (call for every i, best right after normalising it). Each part
   * is hashed once, however many keys use it; a key's hash mixes its position and its parts' hashes.
   */
  add(i: number, r: NormRecord): void {
    const K = this.keys.length;
    const { hashes, present, parts, keyParts, partHashes } = this;
    for (let p = 0; p < parts.length; p++) partHashes[p] = hashPart(0x811c9dc5, r, parts[p]);
    // Record-major (i·K + k), so one record's writes share a cache line or two.
    for (let k = 0, at = i * K; k < K; k++, at++) {
      const own = keyParts[k];
      let h = Math.imul(0x811c9dc5 ^ k, FNV_PRIME);
      let q = 0;
      for (; q < own.length; q++) {
        const part = partHashes[own[q]];
        if (part === MISSING) break;
        h = mixPart(h, part);
      }
      if (q === own.length) {
        hashes[at] = h >>> 0;
        present[at] = 1;
      }
    }
  }

  /** Groups the records into blocks; with records given, add() is called for each first. */
  build(records?: readonly NormRecord[]): this {
    const n = this.n, K = this.keys.length;
    if (records) {
      if (records.length !== n) throw new Error(`BatchBlocker: expected ${n} records, got ${records.length}`);
      for (let i = 0; i < n; i++) this.add(i, records[i]);
    }
    const { hashes, present, start, size } = this;
    const max = this.maxBlockSize;
    const [src, dst, buckets] = this.scratch;
    const { column: h, columnHas: has } = this;
    for (let k = 0; k < K; k++) {
      for (let i = 0, at = k; i < n; i++, at += K) {
        h[i] = hashes[at];
        has[i] = present[at];
      }
      const sorted = this.members.subarray(k * n, (k + 1) * n);
      const count = radixSortByKey(h, has, n, sorted, src, dst, buckets);
      let runStart = 0;
      for (let p = 1; p <= count; p++) {
        if (p < count && h[sorted[p]] === h[sorted[runStart]]) continue;
        // Singleton and oversized blocks give no pairs: their records keep start = -1.
        const blockSize = p - runStart;
        if (blockSize > 1 && blockSize <= max) {
          for (let q = runStart; q < p; q++) {
            const at = sorted[q] * K + k;
            start[at] = runStart;
            size[at] = blockSize;
          }
        }
        runStart = p;
      }
    }
    // Hashes and scratch space are no longer needed.
    this.hashes = new Uint32Array(0);
    this.present = new Uint8Array(0);
    this.scratch = [];
    this.column = new Uint32Array(0);
    this.columnHas = new Uint8Array(0);
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
    for (let k = 0; k < K; k++) {
      const s = start[i * K + k];
      if (s < 0) continue;
      const lo = k * n + s, hi = lo + size[i * K + k];
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
