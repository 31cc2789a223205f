/**
 * Blocking: records that share the value of at least one blocking key become candidate pairs.
 * A block larger than maxBlockSize is skipped (its pairs must be found by another key), and a pair
 * found by several keys is visited once. Key values themselves: blockKeys.ts.
 */
import type { BlockingKey, MatchingConfig } from '../../config/domain';
import type { NormRecord } from './normalise';
import { sharedArray } from './shared';
import { hashPart, mixPart, PART_CODES } from './blockKeys';

export { blockingKeyValues } from './blockKeys';

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
