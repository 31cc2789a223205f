/**
 * Aggregation through mingo, with the stages and accumulators whose results depend on BSON
 * semantics replaced: `$sort` (MongoDB's cross-type order), `$lookup` with localField/foreignField
 * (array fields match element-wise, no phantom matches), and `$sum`/`$avg`/`$min`/`$max`
 * (Long/Decimal128 arithmetic). Input documents are deep-copied, since mingo stages may mutate.
 */
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import { $push } from 'mingo/operators/accumulator';
import { $lookup as mingoLookup } from 'mingo/operators/pipeline';
import { Lazy } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { compareValues, keyString } from './compare';
import { baseOperators } from './match';
import { addNumeric, isNumeric, numKind, toNumber } from './numeric';
import { deepClone, pathValues, type Doc } from './paths';
import { sortDocs } from './project';
import { Decimal128 } from 'bson';

type Iter = { transform(fn: (xs: Doc[]) => unknown): unknown };

function sortStage(coll: Iter, spec: Doc): unknown {
  return coll.transform((xs) => Lazy(sortDocs(xs, spec)));
}

function lookupStage(coll: Iter & { map(fn: (d: Doc) => Doc): unknown }, expr: Doc, options: Options): unknown {
  const { from, localField, foreignField, as, pipeline, let: letVars } = expr as Record<string, never>;
  if (typeof localField !== 'string' || typeof foreignField !== 'string' || pipeline || letVars) {
    return (mingoLookup as unknown as (c: unknown, e: Doc, o: Options) => unknown)(coll, expr, options);
  }
  const foreign = options.collectionResolver?.(from) ?? [];
  const byKey = new Map<string, Doc[]>();
  for (const f of foreign) {
    const keys = new Set(pathValues(f, foreignField).map(keyString));
    for (const k of keys) {
      const list = byKey.get(k) ?? [];
      list.push(f);
      byKey.set(k, list);
    }
  }
  return coll.map((doc) => {
    const matched = new Set<Doc>();
    for (const k of new Set(pathValues(doc, localField).map(keyString))) for (const f of byKey.get(k) ?? []) matched.add(f);
    const out = { ...doc };
    setPath(out, as as string, [...matched].map(deepClone));
    return out;
  });
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Doc;
  }
  cur[parts[parts.length - 1]] = value;
}

const values = (coll: Doc[], expr: unknown, options: Options) =>
  ($push as (c: Doc[], e: unknown, o: Options) => unknown[])(coll, expr, options);

function sum(xs: unknown[]): unknown {
  let total: unknown = 0;
  for (const x of xs) if (isNumeric(x)) total = addNumeric(total, x);
  return total;
}

const accumulators = {
  $sum: (coll: Doc[], expr: unknown, options: Options) => (typeof expr === 'number' ? coll.length * expr : sum(values(coll, expr, options))),
  $avg: (coll: Doc[], expr: unknown, options: Options) => {
    const nums = values(coll, expr, options).filter(isNumeric);
    if (!nums.length) return null;
    const total = sum(nums);
    if (numKind(total) === 'decimal') return Decimal128.fromString(String(toNumber(total) / nums.length));
    return toNumber(total) / nums.length;
  },
  $min: (coll: Doc[], expr: unknown, options: Options) => extreme(values(coll, expr, options), -1),
  $max: (coll: Doc[], expr: unknown, options: Options) => extreme(values(coll, expr, options), 1),
};

function extreme(xs: unknown[], dir: number): unknown {
  let best: unknown = null;
  for (const x of xs) {
    if (x === null || x === undefined) continue;
    if (best === null || compareValues(x, best) * dir > 0) best = x;
  }
  return best;
}

const aggregationContext = Context.init({
  ...baseOperators,
  pipeline: { ...baseOperators.pipeline, $sort: sortStage, $lookup: lookupStage },
  accumulator: { ...baseOperators.accumulator, ...accumulators },
} as never);

/** Resolves a collection name (for $lookup and friends) to a private copy of its documents. */
export type Resolver = (name: string) => Doc[];

/** Runs a pipeline over private copies of `docs`. */
export function runPipeline(docs: Iterable<Doc>, pipeline: Doc[], resolve: Resolver): Doc[] {
  const agg = new Aggregator(pipeline, { context: aggregationContext, collectionResolver: resolve, useStrictMode: true });
  const input: Doc[] = [];
  for (const d of docs) input.push(deepClone(d));
  return agg.run(input) as Doc[];
}
