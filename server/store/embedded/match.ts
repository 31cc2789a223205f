/**
 * Query matching through mingo, with MongoDB's BSON semantics put back: the comparison and
 * type operators are replaced by ones using `compare.ts` (numbers of every BSON type compare by
 * value, `$type` knows objectId/long/decimal), and paths walk arrays as MongoDB does.
 */
import { Context } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { compareValues, isDocument, typeRank, valuesEqual } from './compare';
import { numKind, isNumeric } from './numeric';
import { pathPartsValues, pathValues, type Doc } from './paths';

type Rhs = unknown;
const fieldOp = (pred: (values: unknown[], rhs: Rhs) => boolean) =>
  (selector: string, rhs: Rhs, _options: Options) =>
    (obj: unknown) => pred(pathValues(obj, selector), rhs);

const eq = (values: unknown[], rhs: Rhs) => values.some((v) => valuesEqual(v, rhs));

const ordered = (test: (c: number) => boolean) => (values: unknown[], rhs: Rhs) =>
  values.some((v) => {
    if (v === undefined && rhs !== null) return false;
    return typeRank(v) === typeRank(rhs) && test(compareValues(v, rhs));
  });

function inList(values: unknown[], rhs: Rhs): boolean {
  if (!Array.isArray(rhs)) throw new Error('$in needs an array');
  return values.some((v) => rhs.some((r) => (r instanceof RegExp ? typeof v === 'string' && r.test(v) : valuesEqual(v, r))));
}

const TYPE_CODES: Record<number, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 7: 'objectId', 8: 'bool', 9: 'date',
  10: 'null', 11: 'regex', 16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};

/** MongoDB's type alias for a stored value. */
export function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (isNumeric(v)) return numKind(v);
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'ObjectId': return 'objectId';
    case 'Binary': return 'binData';
    case 'Timestamp': return 'timestamp';
    case 'MinKey': return 'minKey';
    case 'MaxKey': return 'maxKey';
    case 'BSONRegExp': return 'regex';
    default: return v instanceof Uint8Array ? 'binData' : 'object';
  }
}

function typeMatches(values: unknown[], rhs: Rhs): boolean {
  const wanted = (Array.isArray(rhs) ? rhs : [rhs]).map((t) => (typeof t === 'number' ? TYPE_CODES[t] : String(t)));
  return values.some((v) => {
    const name = bsonTypeName(v);
    return wanted.includes(name) || (wanted.includes('number') && isNumeric(v));
  });
}

/** mingo's query operators with the comparison and type ones replaced by BSON-aware versions. */
const bsonQueryOps = {
    $eq: fieldOp(eq),
    $ne: fieldOp((values, rhs) => !eq(values, rhs)),
    $gt: fieldOp(ordered((c) => c > 0)),
    $gte: fieldOp(ordered((c) => c >= 0)),
    $lt: fieldOp(ordered((c) => c < 0)),
    $lte: fieldOp(ordered((c) => c <= 0)),
    $in: fieldOp(inList),
    $nin: fieldOp((values, rhs) => !inList(values, rhs)),
    $type: fieldOp(typeMatches),
};

/**
 * All of mingo's operators with ours on top. Built by hand: mingo's own `Context.from` keeps the
 * first definition of an operator, so custom operators cannot override built-ins through it.
 */
export const baseOperators = {
  accumulator: { ...accumulatorOps },
  expression: { ...expressionOps },
  pipeline: { ...pipelineOps },
  projection: { ...projectionOps },
  query: { ...queryOps, ...bsonQueryOps },
  window: { ...windowOps },
} as unknown as Parameters<typeof Context.init>[0] & Record<string, Record<string, unknown>>;

export const bsonContext = Context.init(baseOperators);

export const queryOptions: Partial<Options> = { context: bsonContext, useStrictMode: true };

/** A compiled filter. */
export type Matcher = (doc: Doc) => boolean;

const matchAll: Matcher = () => true;

const FAST_OPS: Record<string, (values: unknown[], rhs: Rhs) => boolean> = {
  $eq: eq,
  $ne: (values, rhs) => !eq(values, rhs),
  $gt: ordered((c) => c > 0),
  $gte: ordered((c) => c >= 0),
  $lt: ordered((c) => c < 0),
  $lte: ordered((c) => c <= 0),
  $in: inList,
  $nin: (values, rhs) => !inList(values, rhs),
};

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `{field: value}`: some value at the path equals `value` (an array field matches as a whole or by
 * any element; a missing field counts as null). A top-level field is read directly, with exactly
 * the values `pathValues` would give.
 */
function equalityMatcher(field: string, value: unknown): Matcher {
  if (field.includes('.')) {
    const parts = field.split('.');
    return (d) => eq(pathPartsValues(d, parts), value);
  }
  // Matchers run on documents (plain objects); anything else takes the general path.
  return (d) => {
    if (!hasOwn.call(d, field) || Array.isArray(d)) return eq(pathValues(d, field), value);
    const v = d[field];
    if (valuesEqual(v, value)) return true;
    if (!Array.isArray(v)) return false;
    for (const e of v) if (valuesEqual(e, value)) return true;
    return false;
  };
}

const isPlainValue = (v: unknown) =>
  !(v instanceof RegExp) && !(isDocument(v) && Object.keys(v).some((k) => k.startsWith('$')));

/**
 * Compiles the common shapes (equalities, comparisons, $in/$nin, $and/$or of them) without mingo:
 * building a mingo Query copies its whole operator table, which dominates small lookups.
 */
function compileFast(filter: Record<string, unknown>): Matcher | null {
  const tests: Matcher[] = [];
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' || field === '$or') {
      if (!Array.isArray(cond) || !cond.length) return null;
      const parts = cond.map((c) => (isDocument(c) ? compileFast(c) : null));
      if (parts.some((p) => !p)) return null;
      const ms = parts as Matcher[];
      tests.push(field === '$and' ? (d) => ms.every((m) => m(d)) : (d) => ms.some((m) => m(d)));
      continue;
    }
    if (field.startsWith('$') || cond instanceof RegExp) return null;
    if (isPlainValue(cond)) {
      tests.push(equalityMatcher(field, cond));
      continue;
    }
    const ops = Object.entries(cond as Record<string, unknown>);
    const parts = field.split('.');
    for (const [op, rhs] of ops) {
      const fn = FAST_OPS[op];
      if (!fn || rhs instanceof RegExp || ((op === '$in' || op === '$nin') && (!Array.isArray(rhs) || rhs.some((r) => r instanceof RegExp)))) return null;
      tests.push(op === '$eq' ? equalityMatcher(field, rhs) : (d) => fn(pathPartsValues(d, parts), rhs));
    }
  }
  if (tests.length === 1) return tests[0];
  return (d) => tests.every((t) => t(d));
}

/** Compiles a MongoDB filter into a predicate. */
export function compileFilter(filter: unknown): Matcher {
  if (!filter || (typeof filter === 'object' && Object.keys(filter).length === 0)) return matchAll;
  const fast = isDocument(filter) ? compileFast(filter) : null;
  if (fast) return fast;
  const q = new Query(filter as Record<string, unknown>, queryOptions);
  return (doc) => q.test(doc);
}
