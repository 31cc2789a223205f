/**
 * Linking, in batch and one record at a time. Both use the same normalisation, blocking keys and
 * Fellegi–Sunter scorer; only the candidate search differs (sorted blocks over a whole batch, or
 * an in-memory index that grows as records are linked).
 */
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import { domainConfig, type MatchingConfig } from '../../config/domain';
import { BatchBlocker, blockingKeyValues, radixSortByKey } from './block';
import { UnionFind } from './cluster';
import { compileScorer, type ComparisonEvidence, type Scorer } from './compare';
import { PackedRecords } from './packed';
import { sharedArray } from './shared';
import { scoreChunks, startScoreHelper, type PairSink } from './scoring';
import { isNormalised, normaliseDate, normaliseRecord, type LinkRecord, type NormRecord } from './normalise';

const scorers = new WeakMap<MatchingConfig, Scorer>();

/** The compiled scorer for a config (compiled once per config object). */
export function scorerFor(config: MatchingConfig): Scorer {
  let scorer = scorers.get(config);
  if (!scorer) {
    scorer = compileScorer(config);
    scorers.set(config, scorer);
  }
  return scorer;
}

/** Options of a batch run. */
export interface BatchOptions {
  /** The matching model; the shipped matching.json by default. */
  config?: MatchingConfig;
  /** Called now and then with the stage and how far it got (for progress on stderr). */
  onProgress?: (stage: 'normalise' | 'block' | 'score', done: number, total: number) => void;
  /** Called for every candidate pair with its match weight (benchmarks measure blocking with it). */
  onCandidate?: (i: number, j: number, score: number) => void;
  /**
   * Threads that score pairs: 1, or 2 to score on a second thread as well. By default 2 for
   * batches of THREADED_FROM records or more on a machine with two cores or more.
   */
  threads?: number;
  /** With two threads: wait until the second has started before scoring (tests use it to be sure both score). */
  waitForThreads?: boolean;
}

/** Smallest batch scored on two threads by default (below it, starting a thread costs more than it saves). */
export const THREADED_FROM = 50_000;

/** What a batch run found. */
export interface BatchResult {
  /** Cluster number per input record (0, 1, 2… in order of first appearance). */
  clusters: Int32Array;
  candidatePairs: number;
  /** Pairs at or above the upper threshold (joined into one cluster). */
  linkedPairs: number;
  /** Pairs between the thresholds (not joined; candidates for review). */
  reviewPairs: number;
  /** How many threads scored pairs (a second thread that started too late to take any does not count). */
  threads: number;
}

const PROGRESS_EVERY = 100_000;

/**
 * For a process about to link a large batch: lets V8's young generation grow to 64 MB per
 * semi-space (the default is 16), so the millions of short-lived and soon-promoted objects of
 * normalisation are scavenged far less often. Call once, early (entry points only).
 */
export function tuneHeapForBatch(): void {
  v8.setFlagsFromString('--max-semi-space-size=64');
}

/**
 * Links a batch: normalise each record once, visit candidate pairs from blocking, join pairs whose
 * match weight reaches the upper threshold, and return the connected components as clusters.
 */
export function linkBatch(input: readonly (LinkRecord | NormRecord)[], options: BatchOptions = {}): BatchResult {
  const config = options.config ?? domainConfig().matching;
  const progress = options.onProgress;
  const scorer = scorerFor(config);
  const n = input.length;
  // Records are normalised, blocked and scored at their position in `order` (see localityOrder);
  // `order[q]` is the input index of position q.
  const order = localityOrder(input);
  const threads = options.threads ?? (n >= THREADED_FROM ? Math.min(2, availableParallelism()) : 1);
  // The second thread loads while this one normalises.
  const helper = threads > 1 ? startScoreHelper(config) : undefined;
  try {
    const blocker = new BatchBlocker(n, config);
    const uf = new UnionFind(n);
    // Records are kept packed only: the normalised objects die young, which the collector likes.
    const records = new PackedRecords(n);
    for (let q = 0; q < n; q++) {
      const r = input[order[q]];
      const norm = isNormalised(r) ? r : normaliseRecord(r);
      records.add(norm);
      blocker.add(q, norm);
      if (progress && (q + 1) % PROGRESS_EVERY === 0 && q + 1 < n) progress('normalise', q + 1, n);
    }
    progress?.('normalise', n, n);
    blocker.build(undefined, helper?.build);
    progress?.('block', n, n);
    const onCandidate = options.onCandidate;
    const sink: PairSink = {
      linked: (p, q) => uf.union(p, q),
      pair: onCandidate && ((p, q, s) => onCandidate(order[p], order[q], s)),
    };
    const blocks = blocker.blocks();
    helper?.send({ packed: records.state(), blocks, allPairs: onCandidate !== undefined });
    if (helper && options.waitForThreads) helper.started();
    let lastProgress = 0;
    const counts = scoreChunks(scorer, records, blocks, blocks.seen, helper?.control ?? sharedArray(Int32Array, 3), config.thresholds, sink, (done) => {
      if (progress && done - lastProgress >= PROGRESS_EVERY) {
        lastProgress = done;
        progress('score', done, n);
      }
    });
    const other = helper?.finish();
    let threads = 1;
    if (other) {
      const linked = other.linkedPairs;
      for (let k = 0; k < linked.length; k += 2) uf.union(linked[k], linked[k + 1]);
      if (sink.pair && other.pairs && other.scores) {
        for (let k = 0; k < other.scores.length; k++) sink.pair(other.pairs[2 * k], other.pairs[2 * k + 1], other.scores[k]);
      }
      counts.candidates += other.candidates;
      counts.linked += other.linked;
      counts.review += other.review;
      if (other.chunks > 0) threads = 2;
    }
    progress?.('score', n, n);
    const positionOf = sharedArray(Int32Array, n);
    for (let q = 0; q < n; q++) positionOf[order[q]] = q;
    return { clusters: uf.labels(positionOf), candidatePairs: counts.candidates, linkedPairs: counts.linked, reviewPairs: counts.review, threads };
  } catch (err) {
    helper?.cancel();
    throw err;
  }
}

/**
 * An order of the input in which records with the same recorded date of birth are next to each
 * other (records without a readable date first). Most candidate pairs share a date of birth, and
 * records normalised one after another sit together in memory, so scoring a pair mostly reads
 * memory the processor has just read instead of a random place in a gigabyte of records. Clusters
 * do not depend on the order. Two stable 16-bit counting passes over YYYYMMDD.
 */
export function localityOrder(input: readonly (LinkRecord | NormRecord)[]): Int32Array {
  const n = input.length;
  const keys = sharedArray(Uint32Array, n);
  for (let i = 0; i < n; i++) {
    const r = input[i];
    const { year, month, day } = isNormalised(r) ? { year: r.dobYear, month: r.dobMonth, day: r.dobDay } : normaliseDate(r.dateOfBirth);
    keys[i] = year * 10000 + month * 100 + day;
  }
  const order = sharedArray(Int32Array, n);
  radixSortByKey(keys, sharedArray(Uint8Array, n).fill(1), n, order, sharedArray(Int32Array, n), sharedArray(Int32Array, n), new Int32Array(65536));
  return order;
}

/**
 * An in-memory blocking index of linked records and their person keys, for incremental linking.
 * Blocks larger than maxBlockSize are not searched, as in batch linking.
 */
export class LinkIndex {
  readonly config: MatchingConfig;
  readonly scorer: Scorer;
  /** Normalised records in the order they were added. */
  readonly records: NormRecord[] = [];
  /** Person key of each record. */
  readonly personKeys: string[] = [];
  private readonly blocks = new Map<string, number[]>();
  private seen = new Int32Array(1024);
  private stamp = 0;

  constructor(config: MatchingConfig = domainConfig().matching) {
    this.config = config;
    this.scorer = scorerFor(config);
  }

  /** Number of records in the index. */
  get size(): number {
    return this.records.length;
  }

  /** Adds a record under a person key; returns its position in the index. */
  add(record: LinkRecord | NormRecord, personKey: string): number {
    const r = isNormalised(record) ? record : normaliseRecord(record);
    const at = this.records.length;
    this.records.push(r);
    this.personKeys.push(personKey);
    for (const value of blockingKeyValues(r, this.config.blocking.keys)) {
      if (value === '') continue;
      const block = this.blocks.get(value);
      if (block) block.push(at);
      else this.blocks.set(value, [at]);
    }
    if (at >= this.seen.length) {
      const grown = new Int32Array(this.seen.length * 2);
      grown.set(this.seen);
      this.seen = grown;
    }
    return at;
  }

  /** Positions of indexed records sharing a blocking key value with the record (each once). */
  candidates(record: LinkRecord | NormRecord): number[] {
    const r = isNormalised(record) ? record : normaliseRecord(record);
    const max = this.config.blocking.maxBlockSize;
    const stamp = ++this.stamp;
    const out: number[] = [];
    for (const value of blockingKeyValues(r, this.config.blocking.keys)) {
      if (value === '') continue;
      const block = this.blocks.get(value);
      if (!block || block.length > max) continue;
      for (const at of block) {
        if (this.seen[at] === stamp) continue;
        this.seen[at] = stamp;
        out.push(at);
      }
    }
    return out;
  }
}

/** The outcome of linking one record. */
export interface LinkDecision {
  /**
   * link: one person reaches the upper threshold; review: the best is between the thresholds, or
   * more than one person reaches the upper threshold; new: nobody reaches the lower threshold.
   */
  decision: 'link' | 'review' | 'new';
  /** The best-scoring person (absent for "new" with no candidates). */
  personKey?: string;
  /** The best match weight (the prior weight when there were no candidates). */
  score: number;
  /** Per-comparison levels and weights against the best-scoring record. */
  evidence: ComparisonEvidence[];
  /** The indexed record that scored best. */
  matchedRecordId?: string;
  /** Up to five people by best score, best first, with their best-scoring record (for a match review). */
  candidates: { personKey: string; score: number; matchedRecordId: string }[];
}

/** A candidate person's best match weight against the record, and the record that reached it. */
export interface ScoredPerson {
  score: number;
  record: NormRecord;
}

/** Most candidate people a decision reports. */
const MAX_CANDIDATES = 5;

/**
 * Decides link / review / new from the best score per candidate person. Shared by the in-memory
 * index (linkOne) and the store-backed link job, so both decide exactly alike.
 */
export function decideLink(r: NormRecord, best: ReadonlyMap<string, ScoredPerson>, scorer: Scorer, config: MatchingConfig): LinkDecision {
  const ranked = [...best.entries()].sort((a, b) => b[1].score - a[1].score);
  const candidates = ranked.slice(0, MAX_CANDIDATES).map(([personKey, { score, record }]) => ({ personKey, score, matchedRecordId: record.recordId }));
  if (ranked.length === 0) return { decision: 'new', score: scorer.priorWeight, evidence: [], candidates };
  const [personKey, top] = ranked[0];
  const { upper, lower } = config.thresholds;
  const contested = ranked.length > 1 && ranked[1][1].score >= upper;
  const decision = top.score >= upper ? (contested ? 'review' : 'link') : top.score >= lower ? 'review' : 'new';
  return {
    decision,
    personKey,
    score: top.score,
    evidence: scorer.explain(r, top.record),
    matchedRecordId: top.record.recordId,
    candidates,
  };
}

/** Scores a record against the index and decides link / review / new. Does not add it. */
export function linkOne(record: LinkRecord | NormRecord, index: LinkIndex): LinkDecision {
  const r = isNormalised(record) ? record : normaliseRecord(record);
  const { scorer, config } = index;
  const best = new Map<string, ScoredPerson>();
  for (const at of index.candidates(r)) {
    const s = scorer.score(r, index.records[at]);
    const key = index.personKeys[at];
    const prev = best.get(key);
    if (!prev || s > prev.score) best.set(key, { score: s, record: index.records[at] });
  }
  return decideLink(r, best, scorer, config);
}
