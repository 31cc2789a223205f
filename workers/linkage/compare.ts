/**
 * Fellegi–Sunter scoring: each comparison in matching.json picks the first of its levels that
 * applies to a pair, and the pair's match weight is log2(prior odds) + Σ log2(m/u) of the chosen
 * levels. A value missing on either side contributes 0. The config is compiled once into closures
 * so a pair is scored without allocating.
 */
import type { Comparison, ComparisonLevel, MatchingConfig } from '../../config/domain';
import type { NormRecord } from './normalise';
import { jaccard, jaroWinkler, withinEdits } from './similarity';

/** Which level of one comparison applied to a pair, and its weight. */
export interface ComparisonEvidence {
  /** Comparison id from matching.json, e.g. "family_name". */
  comparison: string;
  /** Level id, or "missing" when either side has no value. */
  level: string;
  /** log2(m/u) of the level; 0 when missing. */
  weight: number;
}

/** A compiled matching model. */
export interface Scorer {
  /** log2(lambda / (1 - lambda)). */
  priorWeight: number;
  /** The pair's match weight (prior included). */
  score(a: NormRecord, b: NormRecord): number;
  /** The chosen level of every comparison, for match review and audit. */
  explain(a: NormRecord, b: NormRecord): ComparisonEvidence[];
}

type Field = Comparison['field'];
type LevelTest = (a: NormRecord, b: NormRecord) => boolean;

/** Name similarity at or above which two names count as the same for swapped-name detection. */
const REVERSED_MIN_SIMILARITY = 0.92;
/** Similarity given when one multi-part name contains a part of the other ("smith" / "smith-jones"). */
const SHARED_PART_SIMILARITY = 0.93;

function nameKey(r: NormRecord, field: Field): string {
  return field === 'given_name' ? r.given : r.family;
}

function nameCanon(r: NormRecord, field: Field): string {
  return field === 'given_name' ? r.givenCanon : r.family;
}

function nameTokens(r: NormRecord, field: Field): string[] {
  return field === 'given_name' ? r.givenTokens : r.familyTokens;
}

const isName = (field: Field) => field === 'given_name' || field === 'family_name';

/** The string a non-name field is compared as. */
function text(r: NormRecord, field: Field): string {
  switch (field) {
    case 'given_name': return r.given;
    case 'family_name': return r.family;
    case 'date_of_birth': return r.dob;
    case 'nhs_number': return r.nhs;
    case 'identifier': return r.identifier;
    case 'postcode': return r.postcode;
    case 'address': return '';
  }
}

function present(r: NormRecord, field: Field): boolean {
  return field === 'address' ? r.address.length > 0 : text(r, field) !== '';
}

/**
 * Similarity of two names in [0, 1]: 1 for equal names or equal canonical forms (nicknames), else
 * the best Jaro–Winkler of the joined and canonical forms, raised when one multi-part name shares
 * a part with the other (hyphenated and double-barrelled surnames, middle names).
 */
export function nameSimilarity(aKey: string, aCanon: string, aTokens: string[], bKey: string, bCanon: string, bTokens: string[]): number {
  if (aKey === '' || bKey === '') return 0;
  if (aKey === bKey || aCanon === bCanon) return 1;
  let s = jaroWinkler(aKey, bKey);
  if (aCanon !== aKey || bCanon !== bKey) s = Math.max(s, jaroWinkler(aCanon, bCanon));
  if (s < SHARED_PART_SIMILARITY && (aTokens.length > 1 || bTokens.length > 1)) {
    for (const x of aTokens) {
      if (x.length < 2) continue;
      for (const y of bTokens) if (x === y) return SHARED_PART_SIMILARITY;
    }
  }
  return s;
}

function similarity(a: NormRecord, fa: Field, b: NormRecord, fb: Field): number {
  if (isName(fa) && isName(fb)) {
    return nameSimilarity(nameKey(a, fa), nameCanon(a, fa), nameTokens(a, fa), nameKey(b, fb), nameCanon(b, fb), nameTokens(b, fb));
  }
  return jaroWinkler(text(a, fa), text(b, fb));
}

/** One comparison compiled to "which level applies" (-1 when a value is missing). */
function compileComparison(c: Comparison): (a: NormRecord, b: NormRecord) => number {
  const field = c.field;
  // Jaro–Winkler is computed at most once per pair and comparison.
  let cachedSim = -1;
  const sim = (a: NormRecord, b: NormRecord) => (cachedSim >= 0 ? cachedSim : (cachedSim = similarity(a, field, b, field)));
  const tests: LevelTest[] = c.levels.map((level) => levelTest(level, field, sim));
  const n = tests.length;
  return (a, b) => {
    if (!present(a, field) || !present(b, field)) return -1;
    cachedSim = -1;
    for (let i = 0; i < n; i++) if (tests[i](a, b)) return i;
    return n - 1;
  };
}

function levelTest(level: ComparisonLevel, field: Field, sim: (a: NormRecord, b: NormRecord) => number): LevelTest {
  switch (level.method) {
    case 'exact':
      if (isName(field)) return (a, b) => nameKey(a, field) === nameKey(b, field) || nameCanon(a, field) === nameCanon(b, field);
      if (field === 'address') return (a, b) => jaccard(a.address, b.address) === 1;
      return (a, b) => text(a, field) === text(b, field);
    case 'columns_reversed': {
      const other = level.with;
      return (a, b) =>
        present(a, other) && present(b, other) &&
        similarity(a, field, b, other) >= REVERSED_MIN_SIMILARITY && similarity(a, other, b, field) >= REVERSED_MIN_SIMILARITY;
    }
    case 'jaro_winkler': {
      const t = level.threshold;
      return (a, b) => sim(a, b) >= t;
    }
    case 'damerau_levenshtein': {
      const max = level.maxDistance;
      return (a, b) => withinEdits(text(a, field), text(b, field), max);
    }
    case 'date_day_month_transposed':
      return (a, b) => a.dobYear === b.dobYear && a.dobMonth === b.dobDay && a.dobDay === b.dobMonth && a.dobMonth !== a.dobDay;
    case 'date_same_year':
      return (a, b) => a.dobYear !== 0 && a.dobYear === b.dobYear;
    case 'postcode_sector':
      return (a, b) => a.postcodeSector !== '' && a.postcodeSector === b.postcodeSector;
    case 'postcode_district':
      return (a, b) => a.postcodeDistrict !== '' && a.postcodeDistrict === b.postcodeDistrict;
    case 'token_overlap': {
      const min = level.minJaccard;
      return field === 'address' ? (a, b) => jaccard(a.address, b.address) >= min : () => false;
    }
    case 'else':
      return () => true;
  }
}

/** Compiles matching.json into a scorer. */
export function compileScorer(config: MatchingConfig): Scorer {
  const lambda = config.prior.lambda;
  const priorWeight = Math.log2(lambda / (1 - lambda));
  const evaluators = config.comparisons.map(compileComparison);
  const weights = config.comparisons.map((c) => Float64Array.from(c.levels, (l) => Math.log2(l.m / l.u)));
  const n = evaluators.length;
  return {
    priorWeight,
    score(a, b) {
      let total = priorWeight;
      for (let i = 0; i < n; i++) {
        const level = evaluators[i](a, b);
        if (level >= 0) total += weights[i][level];
      }
      return total;
    },
    explain(a, b) {
      return config.comparisons.map((c, i) => {
        const level = evaluators[i](a, b);
        return level < 0
          ? { comparison: c.id, level: 'missing', weight: 0 }
          : { comparison: c.id, level: c.levels[level].id, weight: weights[i][level] };
      });
    },
  };
}
