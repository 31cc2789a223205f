/**
 * Estimates the Fellegi–Sunter model's m and u probabilities and its prior from data, the way
 * Splink does:
 *
 * - u (how often two different people agree at each level) comes from random record pairs, which
 *   are almost all different people: a seeded sample, or every pair when there are few.
 * - m (how often one person's records agree at each level) comes from expectation–maximisation
 *   over blocked candidate pairs, each reduced to its vector of chosen levels (exactly the scorer's
 *   choice, via compileLevelPicker), with u held fixed. Blocking selects pairs that agree on the
 *   blocking key's fields whether or not they are the same person, so those comparisons say nothing
 *   there: EM runs once per blocking key (a "session") over that key's pairs, leaving out the
 *   comparisons of the fields the key is built from, and each comparison's m pools the expected
 *   matches of the sessions that estimated it.
 * - lambda (the prior: the probability that two random records are the same person) is the
 *   expected number of matches among all candidate pairs, by EM with m and u fixed, over n(n−1)/2.
 * - Labelled pairs (a reviewer's "same person" / "not the same person") keep their label: they are
 *   taken out of the sessions' EM, and labelled matches add their levels to m directly.
 *
 * Level definitions, thresholds and blocking are copied from the model training starts from; the
 * result is validated with the matching schema.
 */
import fs from 'node:fs';
import type { BlockingKey, MatchingConfig } from '../../config/domain';
import { matchingSchema, type BLOCKING_PARTS, type MATCH_FIELDS } from '../../config/domain/schemas';
import { BatchBlocker } from './block';
import { compileLevelPicker, type LevelPicker } from './compare';
import { parseCsv } from './csv';
export { estimateU } from './em';
import { isNormalised, normaliseRecord, type LinkRecord, type NormRecord } from './normalise';
import { estimateU, emptyCounts, normalised, PatternTable, clampProbability, type EmLimits, emSession, emLambda, round6 } from './em';

/** A known pair: the two record ids and whether they are the same person. */
export interface PairLabel {
  a: string;
  b: string;
  match: boolean;
}

/** Options of a training run. */
export interface TrainOptions {
  /** The model to start from: its levels, blocking and thresholds are kept; its m and u start the EM. */
  config: MatchingConfig;
  /** Seed of the random pair sample (default 1). */
  seed?: number;
  /** How many random pairs estimate u (default 1,000,000; every pair when there are fewer). */
  uPairs?: number;
  /** Each EM stops after this many iterations if it has not converged (default 500). */
  maxIterations?: number;
  /** An EM has converged when no probability moves by more than this in an iteration (default 1e-6). */
  tolerance?: number;
  /** Known pairs, by record id. */
  labels?: readonly PairLabel[];
  /** Keep the starting model's prior instead of the estimated one. */
  keepPrior?: boolean;
  /** Progress lines (for stderr). */
  onProgress?: (line: string) => void;
}

/** The estimate of one comparison level. */
export interface LevelEstimate {
  comparison: string;
  level: string;
  m: number;
  u: number;
  /** log2(m/u). */
  weight: number;
}

/** One EM session: the pairs of one blocking key, without the comparisons it is built from. */
export interface SessionSummary {
  blockingKey: string;
  pairs: number;
  /** Comparisons left out (the key's own fields). */
  excluded: string[];
  iterations: number;
  converged: boolean;
  /** Estimated share of matches among the session's pairs. */
  lambda: number;
}

/** What a training run found. */
export interface TrainResult {
  /** The trained model: the starting config with new m, u and prior. */
  config: MatchingConfig;
  records: number;
  /** Candidate pairs from blocking (all keys), each once; the prior is estimated over them. */
  candidatePairs: number;
  /** Pairs the sessions' EM ran over (a pair found by several keys counts in each). */
  sessionPairs: number;
  /** Labelled pairs used (candidates or not). */
  labelledPairs: number;
  /** Labels naming a record that is not in the input, or the same record twice (ignored). */
  unknownLabels: number;
  /** Random pairs the u estimate came from. */
  randomPairs: number;
  sessions: SessionSummary[];
  /** EM iterations in all, sessions and prior. */
  iterations: number;
  /** Every EM converged. */
  converged: boolean;
  /** Estimated share of matches among the candidate pairs. */
  lambdaCandidates: number;
  /** The prior written: estimated matches over all n(n−1)/2 pairs (or the kept prior). */
  lambda: number;
  levels: LevelEstimate[];
  /** Comparisons no session could estimate m for, or with no value in any random pair: kept from the starting model. */
  unestimated: string[];
}

type MatchField = (typeof MATCH_FIELDS)[number];
type BlockingPart = (typeof BLOCKING_PARTS)[number];

/** The comparison fields each blocking part is made from (a session leaves these out). */
const PART_FIELDS: Record<BlockingPart, readonly MatchField[]> = {
  given_name: ['given_name'],
  family_name: ['family_name'],
  date_of_birth: ['date_of_birth'],
  nhs_number: ['nhs_number'],
  identifier: ['identifier'],
  postcode: ['postcode'],
  given_initial: ['given_name'],
  family_initial: ['family_name'],
  given_soundex: ['given_name'],
  family_soundex: ['family_name'],
  dob_year: ['date_of_birth'],
  postcode_sector: ['postcode'],
  postcode_district: ['postcode'],
  name_initials: ['given_name', 'family_name'],
  name_soundex_pair: ['given_name', 'family_name'],
  address_key: ['address'],
  family_first_part: ['family_name'],
  dob_day_month_unordered: ['date_of_birth'],
  dob_month_day: ['date_of_birth'],
  name_pair: ['given_name', 'family_name'],
  given_prefix3: ['given_name'],
  given_suffix3: ['given_name'],
  family_prefix2: ['family_name'],
  family_suffix3: ['family_name'],
};


/** Validates a matching model with the matching schema; throws naming the first problem. */
export function validateMatching(data: unknown, source = 'matching config'): MatchingConfig {
  const parsed = matchingSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads a labels CSV (`record_id_a,record_id_b,match` with match 1 or 0); throws naming the bad line. */
export function readLabels(file: string): PairLabel[] {
  const rows = parseCsv(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (rows.length === 0) throw new Error(`${file}: empty file`);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no ${name} column (expected record_id_a,record_id_b,match)`);
    return i;
  };
  const a = col('record_id_a'), b = col('record_id_b'), m = col('match');
  return rows.slice(1).map((row, i) => {
    const cell = (c: number) => (row[c] ?? '').trim();
    if (!cell(a) || !cell(b)) throw new Error(`${file}:${i + 2}: empty record id`);
    if (cell(m) !== '1' && cell(m) !== '0') throw new Error(`${file}:${i + 2}: match must be 1 or 0, not "${cell(m)}"`);
    return { a: cell(a), b: cell(b), match: cell(m) === '1' };
  });
}

/** The comparisons (by position) a blocking key's parts are made from. */
function excludedBy(config: MatchingConfig, key: BlockingKey): boolean[] {
  const fields = new Set(key.parts.flatMap((part) => PART_FIELDS[part]));
  return config.comparisons.map((c) => fields.has(c.field));
}

/** Calls visit(i, j) for every pair sharing a value of these blocking keys, each once. */
function forEachCandidate(records: readonly NormRecord[], config: MatchingConfig, keys: BlockingKey[], visit: (i: number, j: number) => void): number {
  const blocker = new BatchBlocker(records.length, { ...config, blocking: { ...config.blocking, keys } });
  blocker.build(records);
  return blocker.forEachPair(visit);
}

/**
 * Estimates u from random pairs, m by EM per blocking key and the prior by EM over all candidate
 * pairs; returns the trained model (validated) and the figures of the run. Writes nothing.
 */
export function trainMatching(input: readonly (LinkRecord | NormRecord)[], options: TrainOptions): TrainResult {
  const config = options.config;
  const log = options.onProgress ?? (() => undefined);
  const limits: EmLimits = { maxIterations: options.maxIterations ?? 500, tolerance: options.tolerance ?? 1e-6 };
  const n = input.length;
  if (n < 2) throw new Error(`need at least 2 records to train, got ${n}`);
  const K = config.comparisons.length;

  const records = input.map((r) => (isNormalised(r) ? r : normaliseRecord(r)));
  log(`normalised ${n} records`);

  const sampled = estimateU(records, config, options.uPairs ?? 1_000_000, options.seed ?? 1);
  const u = sampled.u.map((row, k) => row ?? config.comparisons[k].levels.map((l) => l.u));
  log(`u estimated from ${sampled.pairs} random pairs`);

  // Labelled pairs by position ("i:j", i < j); a label naming an unknown record is counted and ignored.
  const position = new Map<string, number>();
  records.forEach((r, i) => position.set(r.recordId, i));
  const labelled = new Map<string, boolean>();
  let unknownLabels = 0;
  for (const label of options.labels ?? []) {
    const x = position.get(label.a), y = position.get(label.b);
    if (x === undefined || y === undefined || x === y) {
      unknownLabels++;
      continue;
    }
    labelled.set(`${Math.min(x, y)}:${Math.max(x, y)}`, label.match);
  }
  const isLabelled = (i: number, j: number) => labelled.size > 0 && labelled.has(`${i}:${j}`);

  const picker: LevelPicker = compileLevelPicker(config);
  const levels = new Int32Array(picker.size);

  // m: one EM session per blocking key, pooled by expected matches.
  const pooled = emptyCounts(config);
  const sessions: SessionSummary[] = [];
  let sessionPairs = 0, iterations = 0, converged = true;
  for (const key of config.blocking.keys) {
    const excluded = excludedBy(config, key);
    if (excluded.every(Boolean)) continue;
    const patterns = new PatternTable();
    const pairs = forEachCandidate(records, config, [key], (i, j) => {
      if (isLabelled(i, j)) return;
      picker.pick(records[i], records[j], levels);
      for (let k = 0; k < K; k++) if (excluded[k]) levels[k] = -1;
      patterns.add(levels);
    });
    if (patterns.total === 0) {
      log(`session ${key.id}: ${pairs === 0 ? 'no pairs' : 'only labelled pairs'}, skipped`);
      continue;
    }
    const r = emSession(patterns, config, u, limits);
    for (let k = 0; k < K; k++) if (!excluded[k]) r.matchCounts[k].forEach((c, l) => (pooled[k][l] += c));
    const summary: SessionSummary = {
      blockingKey: key.id,
      pairs: patterns.total,
      excluded: config.comparisons.filter((_, k) => excluded[k]).map((c) => c.id),
      iterations: r.iterations,
      converged: r.converged,
      lambda: r.lambda,
    };
    sessions.push(summary);
    sessionPairs += patterns.total;
    iterations += r.iterations;
    converged &&= r.converged;
    log(`session ${key.id}: ${pairs} pairs, lambda ${r.lambda.toPrecision(4)}, ${r.iterations} iterations${r.converged ? '' : ' (not converged)'}`);
  }

  // Labelled matches count as certain matches with every comparison; labelled non-matches only
  // leave the EM (u is fixed).
  let labelledMatches = 0;
  for (const [pair, match] of labelled) {
    if (!match) continue;
    const [i, j] = pair.split(':').map(Number);
    picker.pick(records[i], records[j], levels);
    for (let k = 0; k < K; k++) if (levels[k] >= 0) pooled[k][levels[k]]++;
    labelledMatches++;
  }

  const estimatedM = pooled.map((c) => normalised(c));
  const m = estimatedM.map((row, k) => row ?? config.comparisons[k].levels.map((l) => l.m));
  const unestimated = config.comparisons.filter((_, k) => !estimatedM[k] || !sampled.u[k]).map((c) => c.id);

  // The prior: EM for lambda over every candidate pair with the new m and u.
  const all = new PatternTable();
  const candidatePairs = forEachCandidate(records, config, config.blocking.keys, (i, j) => {
    if (isLabelled(i, j)) return;
    picker.pick(records[i], records[j], levels);
    all.add(levels);
  });
  let lambdaCandidates = 0;
  if (all.total > 0 || labelledMatches > 0) {
    const r = emLambda(all, m, u, labelledMatches, limits);
    lambdaCandidates = r.lambda;
    iterations += r.iterations;
    converged &&= r.converged;
  }
  const labelledNonMatches = labelled.size - labelledMatches;
  const emPairs = all.total + labelledMatches;
  const matchesExpected = lambdaCandidates * emPairs;
  log(`prior: ${matchesExpected.toFixed(1)} expected matches among ${emPairs} pairs (${labelledNonMatches} labelled non-matches left out)`);
  const allPairs = (n * (n - 1)) / 2;
  const lambda = options.keepPrior ? config.prior.lambda : Number(clampProbability(Math.min(matchesExpected / allPairs, 0.5)).toPrecision(6));

  const trained = structuredClone(config) as MatchingConfig;
  trained.prior = { lambda };
  trained.source =
    `Estimated by npm run linkage:train from ${n} records: u from ${sampled.pairs} random pairs; m by EM over the candidate pairs ` +
    `of ${sessions.length} blocking keys (each without its own fields) and ${labelled.size} labelled pairs; the prior by EM over ` +
    `${candidatePairs} candidate pairs${converged ? '' : ' (some EM did not converge)'}. Level definitions, thresholds and blocking ` +
    'copied from the model training started from.';
  const estimates: LevelEstimate[] = [];
  trained.comparisons.forEach((c, k) => {
    const keep = unestimated.includes(c.id);
    c.levels.forEach((level, l) => {
      if (!keep) {
        level.m = round6(m[k][l]);
        level.u = round6(u[k][l]);
      }
      estimates.push({ comparison: c.id, level: level.id, m: level.m, u: level.u, weight: Math.log2(level.m / level.u) });
    });
  });
  return {
    config: validateMatching(trained, 'trained model'),
    records: n,
    candidatePairs,
    sessionPairs,
    labelledPairs: labelled.size,
    unknownLabels,
    randomPairs: sampled.pairs,
    sessions,
    iterations,
    converged,
    lambdaCandidates,
    lambda,
    levels: estimates,
    unestimated,
  };
}
