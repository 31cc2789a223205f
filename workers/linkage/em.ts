/**
 * The numerical core of training (workers/linkage/train.ts): u from random pairs, pairs reduced to
 * level patterns, and expectation–maximisation for m (per session) and for lambda.
 */
import type { MatchingConfig } from '../../config/domain';
import { compileLevelPicker } from './compare';
import type { NormRecord } from './normalise';

/** A probability is never written as 0 (the schema and log2(m/u) need it positive). */
export const MIN_PROBABILITY = 1e-6;

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts (or expected counts) of each level, per comparison. */
export type LevelCounts = Float64Array[];

export function emptyCounts(config: MatchingConfig): LevelCounts {
  return config.comparisons.map((c) => new Float64Array(c.levels.length));
}

export const sum = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};

/** Probabilities from counts, floored at MIN_PROBABILITY; undefined when there are no counts. */
export function normalised(counts: ArrayLike<number>): number[] | undefined {
  const total = sum(counts);
  if (!(total > 0)) return undefined;
  const p = Array.from(counts, (c) => Math.max(c / total, MIN_PROBABILITY));
  const s = sum(p);
  return p.map((x) => x / s);
}

/**
 * u per comparison level from random record pairs (each pair i ≠ j drawn uniformly, seeded), or
 * from every pair when there are no more than `pairs` of them. Counts are smoothed by adding one
 * (an unseen agreement is unlikely, not impossible); a comparison no pair had values for is
 * undefined.
 */
export function estimateU(records: readonly NormRecord[], config: MatchingConfig, pairs: number, seed: number): { u: (number[] | undefined)[]; pairs: number } {
  const picker = compileLevelPicker(config);
  const out = new Int32Array(picker.size);
  const counts = emptyCounts(config);
  const n = records.length;
  const add = (i: number, j: number) => {
    picker.pick(records[i], records[j], out);
    for (let k = 0; k < out.length; k++) if (out[k] >= 0) counts[k][out[k]]++;
  };
  const all = (n * (n - 1)) / 2;
  if (all <= pairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) add(i, j);
  } else {
    const rand = rng(seed);
    for (let p = 0; p < pairs; p++) {
      const i = Math.floor(rand() * n);
      let j = Math.floor(rand() * (n - 1));
      if (j >= i) j++;
      add(i, j);
    }
  }
  const u = counts.map((c) => (sum(c) > 0 ? normalised(Array.from(c, (x) => x + 1)) : undefined));
  return { u, pairs: Math.min(all, pairs) };
}

/** Pairs reduced to level vectors: distinct vectors with how many pairs have each. */
export class PatternTable {
  private readonly index = new Map<string, number>();
  readonly vectors: Int8Array[] = [];
  readonly counts: number[] = [];

  add(levels: Int32Array | Int8Array, times = 1): void {
    const key = levels.join(',');
    const at = this.index.get(key);
    if (at !== undefined) {
      this.counts[at] += times;
      return;
    }
    this.index.set(key, this.vectors.length);
    this.vectors.push(Int8Array.from(levels));
    this.counts.push(times);
  }

  get total(): number {
    return sum(this.counts);
  }
}

/** log2(m/u) of a level vector (missing levels contribute 0). */
export function logRatio(vector: Int8Array, m: readonly (readonly number[])[], u: readonly (readonly number[])[]): number {
  let w = 0;
  for (let k = 0; k < vector.length; k++) {
    const l = vector[k];
    if (l >= 0) w += Math.log2(m[k][l] / u[k][l]);
  }
  return w;
}

export const logit2 = (p: number) => Math.log2(p / (1 - p));
export const sigmoid2 = (x: number) => 1 / (1 + 2 ** -x);
export const clampProbability = (p: number) => Math.min(Math.max(p, MIN_PROBABILITY), 1 - MIN_PROBABILITY);

export interface EmLimits {
  maxIterations: number;
  tolerance: number;
}

/**
 * EM for m and lambda over level patterns, u fixed. Starts from the starting model's match
 * probability of each pattern (even prior odds). Returns the expected match counts per level at
 * the end, from which the caller pools m.
 */
export function emSession(
  patterns: PatternTable, config: MatchingConfig, u: readonly (readonly number[])[], limits: EmLimits,
): { matchCounts: LevelCounts; lambda: number; iterations: number; converged: boolean } {
  const K = config.comparisons.length;
  const { vectors, counts } = patterns;
  const P = vectors.length;
  const total = patterns.total;
  const start = config.comparisons.map((c) => c.levels.map((l) => l.m));
  const startU = config.comparisons.map((c) => c.levels.map((l) => l.u));
  const posterior = Float64Array.from(vectors, (v) => sigmoid2(logRatio(v, start, startU)));
  let m: number[][] = start;
  let lambda = 0.5;
  let matchCounts = emptyCounts(config);
  for (let iterations = 1; ; iterations++) {
    // M step.
    matchCounts = emptyCounts(config);
    let matches = 0;
    for (let p = 0; p < P; p++) {
      const w = posterior[p] * counts[p], vec = vectors[p];
      matches += w;
      for (let k = 0; k < K; k++) if (vec[k] >= 0) matchCounts[k][vec[k]] += w;
    }
    const nextM = matchCounts.map((c, k) => normalised(c) ?? m[k]);
    const nextLambda = clampProbability(matches / total);
    let change = Math.abs(nextLambda - lambda);
    for (let k = 0; k < K; k++) for (let l = 0; l < nextM[k].length; l++) change = Math.max(change, Math.abs(nextM[k][l] - m[k][l]));
    m = nextM;
    lambda = nextLambda;
    if (change <= limits.tolerance) return { matchCounts, lambda, iterations, converged: true };
    if (iterations >= limits.maxIterations) return { matchCounts, lambda, iterations, converged: false };
    // E step.
    const prior = logit2(lambda);
    for (let p = 0; p < P; p++) posterior[p] = sigmoid2(prior + logRatio(vectors[p], m, u));
  }
}

/** EM for lambda alone (m and u fixed) over level patterns. */
export function emLambda(
  patterns: PatternTable, m: readonly (readonly number[])[], u: readonly (readonly number[])[], fixedMatches: number, limits: EmLimits,
): { lambda: number; iterations: number; converged: boolean } {
  const ratios = patterns.vectors.map((v) => logRatio(v, m, u));
  const total = patterns.total + fixedMatches;
  let lambda = 0.5;
  for (let iterations = 1; ; iterations++) {
    const prior = logit2(lambda);
    let matches = fixedMatches;
    for (let p = 0; p < ratios.length; p++) matches += patterns.counts[p] * sigmoid2(prior + ratios[p]);
    const next = clampProbability(matches / total);
    const change = Math.abs(next - lambda);
    lambda = next;
    if (change <= limits.tolerance) return { lambda, iterations, converged: true };
    if (iterations >= limits.maxIterations) return { lambda, iterations, converged: false };
  }
}

/** Rounds to 6 significant digits (the written file stays readable), never to 0. */
export function round6(x: number): number {
  return Math.max(Number(x.toPrecision(6)), MIN_PROBABILITY);
}
