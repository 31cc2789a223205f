/**
 * Fellegi–Sunter scoring: each comparison in matching.json picks the first of its levels that
 * applies to a pair, and the pair's match weight is log2(prior odds) + Σ log2(m/u) of the chosen
 * levels. A value missing on either side contributes 0. The config is compiled once into opcodes
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
    // A one-part name keeps no parts (see NormRecord): its only part is the name itself.
    const bParts = bTokens.length ? bTokens : [bKey];
    for (const x of aTokens.length ? aTokens : [aKey]) {
      if (x.length < 2) continue;
      for (const y of bParts) if (x === y) return SHARED_PART_SIMILARITY;
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

// Level methods as small integers, so one monomorphic function evaluates every level (closures per
// level made the call site megamorphic, which V8 cannot inline).
const OP_EXACT = 0, OP_EXACT_NAME = 1, OP_EXACT_ADDRESS = 2, OP_REVERSED = 3, OP_JW = 4, OP_EDITS = 5,
  OP_DOB_TRANSPOSED = 6, OP_DOB_YEAR = 7, OP_SECTOR = 8, OP_DISTRICT = 9, OP_TOKENS = 10, OP_NEVER = 11, OP_ELSE = 12;

/** One comparison compiled to opcodes and their parameters. */
interface CompiledComparison {
  field: Field;
  ops: Int32Array;
  /** Threshold, maximum distance or minimum Jaccard of each level (0 when unused). */
  params: Float64Array;
  /** The other field of a columns_reversed level (else the comparison's own field). */
  withFields: Field[];
}

function compileComparison(c: Comparison): CompiledComparison {
  const field = c.field;
  const ops = new Int32Array(c.levels.length);
  const params = new Float64Array(c.levels.length);
  const withFields: Field[] = c.levels.map(() => field);
  c.levels.forEach((level: ComparisonLevel, i) => {
    switch (level.method) {
      case 'exact':
        ops[i] = isName(field) ? OP_EXACT_NAME : field === 'address' ? OP_EXACT_ADDRESS : OP_EXACT;
        break;
      case 'columns_reversed':
        ops[i] = OP_REVERSED;
        withFields[i] = level.with;
        break;
      case 'jaro_winkler':
        ops[i] = OP_JW;
        params[i] = level.threshold;
        break;
      case 'damerau_levenshtein':
        ops[i] = OP_EDITS;
        params[i] = level.maxDistance;
        break;
      case 'date_day_month_transposed': ops[i] = OP_DOB_TRANSPOSED; break;
      case 'date_same_year': ops[i] = OP_DOB_YEAR; break;
      case 'postcode_sector': ops[i] = OP_SECTOR; break;
      case 'postcode_district': ops[i] = OP_DISTRICT; break;
      case 'token_overlap':
        ops[i] = field === 'address' ? OP_TOKENS : OP_NEVER;
        params[i] = level.minJaccard;
        break;
      case 'else': ops[i] = OP_ELSE; break;
    }
  });
  return { field, ops, params, withFields };
}

/** Which level of a compiled comparison applies to a pair (-1 when a value is missing). */
function evaluate(c: CompiledComparison, a: NormRecord, b: NormRecord): number {
  const field = c.field;
  if (!present(a, field) || !present(b, field)) return -1;
  const ops = c.ops, params = c.params, n = ops.length;
  // Jaro–Winkler is computed at most once per pair and comparison.
  let sim = -1;
  for (let i = 0; i < n; i++) {
    switch (ops[i]) {
      case OP_EXACT:
        if (text(a, field) === text(b, field)) return i;
        break;
      case OP_EXACT_NAME:
        if (nameKey(a, field) === nameKey(b, field) || nameCanon(a, field) === nameCanon(b, field)) return i;
        break;
      case OP_EXACT_ADDRESS:
        if (jaccard(a.address, b.address) === 1) return i;
        break;
      case OP_REVERSED: {
        const other = c.withFields[i];
        if (
          present(a, other) && present(b, other) &&
          similarity(a, field, b, other) >= REVERSED_MIN_SIMILARITY && similarity(a, other, b, field) >= REVERSED_MIN_SIMILARITY
        ) return i;
        break;
      }
      case OP_JW:
        if (sim < 0) sim = similarity(a, field, b, field);
        if (sim >= params[i]) return i;
        break;
      case OP_EDITS:
        if (withinEdits(text(a, field), text(b, field), params[i])) return i;
        break;
      case OP_DOB_TRANSPOSED:
        if (a.dobYear === b.dobYear && a.dobMonth === b.dobDay && a.dobDay === b.dobMonth && a.dobMonth !== a.dobDay) return i;
        break;
      case OP_DOB_YEAR:
        if (a.dobYear !== 0 && a.dobYear === b.dobYear) return i;
        break;
      case OP_SECTOR:
        if (a.postcodeSector !== '' && a.postcodeSector === b.postcodeSector) return i;
        break;
      case OP_DISTRICT:
        if (a.postcodeDistrict !== '' && a.postcodeDistrict === b.postcodeDistrict) return i;
        break;
      case OP_TOKENS:
        if (jaccard(a.address, b.address) >= params[i]) return i;
        break;
      case OP_NEVER:
        break;
      case OP_ELSE:
        return i;
    }
  }
  return n - 1;
}

/** Compiles matching.json into a scorer. */
export function compileScorer(config: MatchingConfig): Scorer {
  const lambda = config.prior.lambda;
  const priorWeight = Math.log2(lambda / (1 - lambda));
  const compiled = config.comparisons.map(compileComparison);
  const weights = config.comparisons.map((c) => Float64Array.from(c.levels, (l) => Math.log2(l.m / l.u)));
  const n = compiled.length;
  return {
    priorWeight,
    score(a, b) {
      let total = priorWeight;
      for (let i = 0; i < n; i++) {
        const level = evaluate(compiled[i], a, b);
        if (level >= 0) total += weights[i][level];
      }
      return total;
    },
    explain(a, b) {
      return config.comparisons.map((c, i) => {
        const level = evaluate(compiled[i], a, b);
        return level < 0
          ? { comparison: c.id, level: 'missing', weight: 0 }
          : { comparison: c.id, level: c.levels[level].id, weight: weights[i][level] };
      });
    },
  };
}

/** The level each comparison picks for a pair, exactly as the scorer picks it (for training). */
export interface LevelPicker {
  /** The number of comparisons: how long `out` must be. */
  readonly size: number;
  /**
   * Writes into out[i] the index (into matching.json's levels) of the level comparison i applies to
   * the pair, or -1 when a value is missing on either side. Allocates nothing.
   */
  pick(a: NormRecord, b: NormRecord, out: Int8Array | Int32Array): void;
}

/** Compiles matching.json into a level picker that shares the scorer's level logic. */
export function compileLevelPicker(config: MatchingConfig): LevelPicker {
  const compiled = config.comparisons.map(compileComparison);
  const n = compiled.length;
  return {
    size: n,
    pick(a, b, out) {
      for (let i = 0; i < n; i++) out[i] = evaluate(compiled[i], a, b);
    },
  };
}
