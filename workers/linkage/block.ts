/**
 * Blocking: records that share the value of at least one blocking key become candidate pairs.
 * A block larger than maxBlockSize is skipped (its pairs must be found by another key), and a pair
 * found by several keys is visited once.
 */
import type { BlockingKey, MatchingConfig } from '../../config/domain';
import type { NormRecord } from './normalise';

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

/** FNV-1a hash of one key's parts (the key's position mixed in), or -1 when a part is missing. */
function keyHash(r: NormRecord, position: number, parts: readonly Part[]): number {
  let h = Math.imul(0x811c9dc5 ^ position, 0x01000193);
  for (let p = 0; p < parts.length; p++) {
    const v = partValue(r, parts[p]);
    if (v === '') return -1;
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 124, 0x01000193);
  }
  return h >>> 0;
}

/** Blocks of one key over a batch: record indices grouped by key hash. */
interface KeyBlocks {
  /** Record indices, grouped by block and ascending within a block. */
  members: Int32Array;
  /** For each record, the [start, end) of its block in members, or start = -1 when it has no value. */
  start: Int32Array;
  end: Int32Array;
}

/** Record indices with a value, sorted by hash (two stable 16-bit counting passes). */
function radixSortByHash(hashes: Uint32Array, present: Uint8Array, n: number): Int32Array {
  let count = 0;
  for (let i = 0; i < n; i++) count += present[i];
  let src = new Int32Array(count);
  for (let i = 0, c = 0; i < n; i++) if (present[i]) src[c++] = i;
  let dst = new Int32Array(count);
  const buckets = new Int32Array(65536);
  for (let shift = 0; shift < 32; shift += 16) {
    buckets.fill(0);
    for (let p = 0; p < count; p++) buckets[(hashes[src[p]] >>> shift) & 0xffff]++;
    for (let b = 0, sum = 0; b < 65536; b++) {
      const c = buckets[b];
      buckets[b] = sum;
      sum += c;
    }
    for (let p = 0; p < count; p++) {
      const i = src[p];
      dst[buckets[(hashes[i] >>> shift) & 0xffff]++] = i;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

function buildKeyBlocks(hashes: Uint32Array, present: Uint8Array, n: number): KeyBlocks {
  const members = radixSortByHash(hashes, present, n);
  const count = members.length;
  const start = new Int32Array(n).fill(-1);
  const end = new Int32Array(n);
  let runStart = 0;
  for (let p = 1; p <= count; p++) {
    if (p < count && hashes[members[p]] === hashes[members[runStart]]) continue;
    for (let q = runStart; q < p; q++) {
      start[members[q]] = runStart;
      end[members[q]] = p;
    }
    runStart = p;
  }
  return { members, start, end };
}

/** Candidate pairs of a batch, each visited once with i < j. */
export class BatchBlocker {
  private readonly keys: KeyBlocks[] = [];
  private readonly n: number;
  private readonly maxBlockSize: number;

  constructor(records: readonly NormRecord[], config: MatchingConfig) {
    this.n = records.length;
    this.maxBlockSize = config.blocking.maxBlockSize;
    const hashes = new Uint32Array(this.n);
    const present = new Uint8Array(this.n);
    config.blocking.keys.forEach((key, position) => {
      for (let i = 0; i < this.n; i++) {
        const h = keyHash(records[i], position, key.parts);
        present[i] = h < 0 ? 0 : 1;
        hashes[i] = h < 0 ? 0 : h;
      }
      this.keys.push(buildKeyBlocks(hashes, present, this.n));
    });
  }
  /** Calls visit(i, j) for every candidate pair (i < j), each pair once. Returns the pair count. */
  forEachPair(visit: (i: number, j: number) => void): number {
    const seen = new Int32Array(this.n).fill(-1);
    const max = this.maxBlockSize;
    let pairs = 0;
    for (let i = 0; i < this.n; i++) {
      for (const kb of this.keys) {
        const s = kb.start[i];
        if (s < 0) continue;
        const e = kb.end[i];
        if (e - s > max) continue;
        const members = kb.members;
        for (let p = s; p < e; p++) {
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
}
