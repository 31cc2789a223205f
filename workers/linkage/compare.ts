/**
 * Fellegi–Sunter scoring: each comparison in matching.json picks the first of its levels that
 * applies to a pair, and the pair's match weight is log2(prior odds) + Σ log2(m/u) of the chosen
 * levels. A value missing on either side contributes 0. The config is compiled once into opcodes
 * so a pair is scored without allocating. Pairs are scored on packed records (packed.ts): a batch
 * packs all its records once; score() and explain() pack the two records they are given.
 */
import type { Comparison, ComparisonLevel, MatchingConfig } from '../../config/domain';
import type { NormRecord } from './normalise';
import * as Similarity from './similarity';
import * as Packed from './packed';
import type { PackedState } from './packed';

// Module-local bindings of what the pair loop uses: some TypeScript loaders (tsx, which runs the
// batch command) turn every use of an imported name into a getter call, which costs more than the
// comparison it feeds.
const { equalAt, jaccardAt, jaroWinklerAtLeast, withinEditsAt } = Similarity;
const { PackedRecords, PARTS_FAMILY, PARTS_GIVEN, TEXT_FIELDS, T_DOB, T_DISTRICT, T_FAMILY, T_GIVEN, T_GIVEN_CANON, T_IDENTIFIER, T_NHS, T_POSTCODE, T_SECTOR } = Packed;

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
  /** The match weight of records a and b of a packed batch (what score computes, without packing). */
  scorePacked(P: PackedState, a: number, b: number): number;
  /** The chosen level of every comparison, for match review and audit. */
  explain(a: NormRecord, b: NormRecord): ComparisonEvidence[];
}

type Field = Comparison['field'];

/** Name similarity at or above which two names count as the same for swapped-name detection. */
const REVERSED_MIN_SIMILARITY = 0.92;
/** Similarity given when one multi-part name contains a part of the other ("smith" / "smith-jones"). */
const SHARED_PART_SIMILARITY = 0.93;

const isName = (field: Field) => field === 'given_name' || field === 'family_name';

/** The packed text field a comparison field is compared as (-1 for the address, compared by tokens). */
function textField(field: Field): number {
  switch (field) {
    case 'given_name': return T_GIVEN;
    case 'family_name': return T_FAMILY;
    case 'date_of_birth': return T_DOB;
    case 'nhs_number': return T_NHS;
    case 'identifier': return T_IDENTIFIER;
    case 'postcode': return T_POSTCODE;
    case 'address': return -1;
  }
}

/** Whether record i has a value for the field (f: its text field, -1 for the address). */
function present(P: PackedState, i: number, f: number): boolean {
  return f < 0 ? P.addrLen[i] > 0 : P.textLen[i * TEXT_FIELDS + f] > 0;
}

/** Whether text field f of record i equals text field g of record j. */
function sameText(P: PackedState, i: number, f: number, j: number, g: number): boolean {
  const x = i * TEXT_FIELDS + f, y = j * TEXT_FIELDS + g;
  return equalAt(P.bytes, P.textOff[x], P.textLen[x], P.textOff[y], P.textLen[y]);
}

/** Whether two names (name part slots PARTS_*) share a part of two or more letters; a one-part name is its own only part. */
function sharePart(P: PackedState, i: number, f: number, pi: number, j: number, g: number, pj: number): boolean {
  const s = P.bytes, ends = P.partEnds;
  const x = i * TEXT_FIELDS + f, y = j * TEXT_FIELDS + g;
  const aBase = P.textOff[x], bBase = P.textOff[y];
  const aSlot = i * 2 + pi, bSlot = j * 2 + pj;
  const aCount = P.partsCount[aSlot] || 1, bCount = P.partsCount[bSlot] || 1;
  const aParts = P.partsOff[aSlot], bParts = P.partsOff[bSlot];
  for (let p = 0, aFrom = 0; p < aCount; p++) {
    const aTo = P.partsCount[aSlot] ? ends[aParts + p] : P.textLen[x];
    if (aTo - aFrom >= 2) {
      for (let q = 0, bFrom = 0; q < bCount; q++) {
        const bTo = P.partsCount[bSlot] ? ends[bParts + q] : P.textLen[y];
        if (equalAt(s, aBase + aFrom, aTo - aFrom, bBase + bFrom, bTo - bFrom)) return true;
        bFrom = bTo;
      }
    }
    aFrom = aTo;
  }
  return false;
}

/**
 * Similarity of two names in [0, 1] (name field f of record i, g of record j: T_GIVEN or T_FAMILY):
 * 1 for equal names or equal canonical forms (nicknames), else the best Jaro–Winkler of the joined
 * and canonical forms, raised when one multi-part name shares a part with the other (hyphenated
 * and double-barrelled surnames, middle names). Below `floor`, only "below floor" is exact (the
 * caller compares it with thresholds of floor or more; see jaroWinklerAtLeast).
 */
function nameSimilarity(P: PackedState, i: number, f: number, j: number, g: number, floor: number): number {
  const x = i * TEXT_FIELDS + f, y = j * TEXT_FIELDS + g;
  const aLen = P.textLen[x], bLen = P.textLen[y];
  if (aLen === 0 || bLen === 0) return 0;
  // The canonical form of a family name is the name itself.
  const fc = f === T_GIVEN ? T_GIVEN_CANON : f, gc = g === T_GIVEN ? T_GIVEN_CANON : g;
  if (sameText(P, i, f, j, g) || sameText(P, i, fc, j, gc)) return 1;
  const s = P.bytes, off = P.textOff, len = P.textLen;
  let sim = jaroWinklerAtLeast(s, off[x], aLen, off[y], bLen, floor);
  // A canonical form equal to the name is stored at the name's own place (see PackedRecords.add).
  const xc = i * TEXT_FIELDS + fc, yc = j * TEXT_FIELDS + gc;
  if (off[xc] !== off[x] || len[xc] !== aLen || off[yc] !== off[y] || len[yc] !== bLen) {
    sim = Math.max(sim, jaroWinklerAtLeast(s, off[xc], len[xc], off[yc], len[yc], floor));
  }
  const pi = f === T_GIVEN ? PARTS_GIVEN : PARTS_FAMILY, pj = g === T_GIVEN ? PARTS_GIVEN : PARTS_FAMILY;
  if (sim < SHARED_PART_SIMILARITY && (P.partsCount[i * 2 + pi] > 1 || P.partsCount[j * 2 + pj] > 1) && sharePart(P, i, f, pi, j, g, pj)) {
    return SHARED_PART_SIMILARITY;
  }
  return sim;
}

/** Similarity of text field f of record i and g of record j (names as nameSimilarity), exact from `floor` up. */
function similarity(P: PackedState, i: number, f: number, j: number, g: number, floor: number): number {
  if (f < 0 || g < 0) return 0;
  if ((f === T_GIVEN || f === T_FAMILY) && (g === T_GIVEN || g === T_FAMILY)) return nameSimilarity(P, i, f, j, g, floor);
  const x = i * TEXT_FIELDS + f, y = j * TEXT_FIELDS + g;
  return jaroWinklerAtLeast(P.bytes, P.textOff[x], P.textLen[x], P.textOff[y], P.textLen[y], floor);
}

// Level methods as small integers, so one monomorphic function evaluates every level (closures per
// level made the call site megamorphic, which V8 cannot inline).
const OP_EXACT = 0, OP_EXACT_NAME = 1, OP_EXACT_ADDRESS = 2, OP_REVERSED = 3, OP_JW = 4, OP_EDITS = 5,
  OP_DOB_TRANSPOSED = 6, OP_DOB_YEAR = 7, OP_SECTOR = 8, OP_DISTRICT = 9, OP_TOKENS = 10, OP_NEVER = 11, OP_ELSE = 12;

/** One comparison compiled to opcodes and their parameters. */
interface CompiledComparison {
  /** The packed text field compared (-1 for the address). */
  field: number;
  ops: Int32Array;
  /** Threshold, maximum distance or minimum Jaccard of each level (0 when unused). */
  params: Float64Array;
  /** The other text field of a columns_reversed level (else the comparison's own field). */
  withFields: Int32Array;
  /** The lowest Jaro–Winkler threshold of the comparison's levels: similarity below it need not be exact. */
  jwFloor: number;
}

function compileComparison(c: Comparison): CompiledComparison {
  const field = c.field;
  const ops = new Int32Array(c.levels.length);
  const params = new Float64Array(c.levels.length);
  const withFields = new Int32Array(c.levels.length).fill(textField(field));
  c.levels.forEach((level: ComparisonLevel, i) => {
    switch (level.method) {
      case 'exact':
        ops[i] = isName(field) ? OP_EXACT_NAME : field === 'address' ? OP_EXACT_ADDRESS : OP_EXACT;
        break;
      case 'columns_reversed':
        ops[i] = OP_REVERSED;
        withFields[i] = textField(level.with);
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
  const thresholds = c.levels.flatMap((level) => (level.method === 'jaro_winkler' ? [level.threshold] : []));
  return { field: textField(field), ops, params, withFields, jwFloor: thresholds.length > 0 ? Math.min(...thresholds) : 0 };
}

/** Jaccard overlap of records i and j's address tokens. */
function addressOverlap(P: PackedState, i: number, j: number): number {
  return jaccardAt(P.addrIds, P.addrOff[i], P.addrLen[i], P.addrOff[j], P.addrLen[j]);
}

/** Which level of a compiled comparison applies to records a and b (-1 when a value is missing). */
function evaluate(c: CompiledComparison, P: PackedState, a: number, b: number): number {
  const field = c.field;
  if (!present(P, a, field) || !present(P, b, field)) return -1;
  const ops = c.ops, params = c.params, n = ops.length;
  // Jaro–Winkler is computed at most once per pair and comparison.
  let sim = -1;
  for (let i = 0; i < n; i++) {
    switch (ops[i]) {
      case OP_EXACT:
        if (field < 0 || sameText(P, a, field, b, field)) return i;
        break;
      case OP_EXACT_NAME:
        if (sameText(P, a, field, b, field) || (field === T_GIVEN && sameText(P, a, T_GIVEN_CANON, b, T_GIVEN_CANON))) return i;
        break;
      case OP_EXACT_ADDRESS:
        if (addressOverlap(P, a, b) === 1) return i;
        break;
      case OP_REVERSED: {
        const other = c.withFields[i];
        if (
          present(P, a, other) && present(P, b, other) &&
          similarity(P, a, field, b, other, REVERSED_MIN_SIMILARITY) >= REVERSED_MIN_SIMILARITY &&
          similarity(P, a, other, b, field, REVERSED_MIN_SIMILARITY) >= REVERSED_MIN_SIMILARITY
        ) return i;
        break;
      }
      case OP_JW:
        if (sim < 0) sim = similarity(P, a, field, b, field, c.jwFloor);
        if (sim >= params[i]) return i;
        break;
      case OP_EDITS: {
        if (field < 0) return i;
        const x = a * TEXT_FIELDS + field, y = b * TEXT_FIELDS + field;
        if (withinEditsAt(P.bytes, P.textOff[x], P.textLen[x], P.textOff[y], P.textLen[y], params[i])) return i;
        break;
      }
      case OP_DOB_TRANSPOSED:
        if (P.dobYear[a] === P.dobYear[b] && P.dobMonth[a] === P.dobDay[b] && P.dobDay[a] === P.dobMonth[b] && P.dobMonth[a] !== P.dobDay[a]) return i;
        break;
      case OP_DOB_YEAR:
        if (P.dobYear[a] !== 0 && P.dobYear[a] === P.dobYear[b]) return i;
        break;
      case OP_SECTOR:
        if (P.textLen[a * TEXT_FIELDS + T_SECTOR] !== 0 && sameText(P, a, T_SECTOR, b, T_SECTOR)) return i;
        break;
      case OP_DISTRICT:
        if (P.textLen[a * TEXT_FIELDS + T_DISTRICT] !== 0 && sameText(P, a, T_DISTRICT, b, T_DISTRICT)) return i;
        break;
      case OP_TOKENS:
        if (addressOverlap(P, a, b) >= params[i]) return i;
        break;
      case OP_NEVER:
        break;
      case OP_ELSE:
        return i;
    }
  }
  return n - 1;
}

/** Two records packed for one comparison (reused: scoring never nests). */
const pair = new PackedRecords(2);

/** Packs a and b as records 0 and 1 of the shared pair container. */
function packPair(a: NormRecord, b: NormRecord): Packed.PackedRecords {
  pair.reset();
  pair.add(a);
  pair.add(b);
  return pair;
}

/** Compiles matching.json into a scorer. */
export function compileScorer(config: MatchingConfig): Scorer {
  const lambda = config.prior.lambda;
  const priorWeight = Math.log2(lambda / (1 - lambda));
  const compiled = config.comparisons.map(compileComparison);
  const weights = config.comparisons.map((c) => Float64Array.from(c.levels, (l) => Math.log2(l.m / l.u)));
  const n = compiled.length;
  const scorePacked = (P: PackedState, a: number, b: number): number => {
    let total = priorWeight;
    for (let i = 0; i < n; i++) {
      const level = evaluate(compiled[i], P, a, b);
      if (level >= 0) total += weights[i][level];
    }
    return total;
  };
  return {
    priorWeight,
    scorePacked,
    score: (a, b) => scorePacked(packPair(a, b), 0, 1),
    explain(a, b) {
      const P = packPair(a, b);
      return config.comparisons.map((c, i) => {
        const level = evaluate(compiled[i], P, 0, 1);
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
      const P = packPair(a, b);
      for (let i = 0; i < n; i++) out[i] = evaluate(compiled[i], P, 0, 1);
    },
  };
}
