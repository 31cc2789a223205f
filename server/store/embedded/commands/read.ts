/** find, getMore, killCursors, count, distinct and aggregate. */
import { Long, type Document } from 'bson';
import { runPipeline } from '../aggregate';
import { compareValues, isDocument, keyString } from '../compare';
import { badValue, illegalOperation } from '../errors';
import { deepClone, pathValues, type Doc } from '../paths';
import { compileProjection, sortDocs, wholeDocument } from '../project';
import type { CursorSource } from '../cursors';
import { CursorReply } from '../wire';
import { collName, num, target, type CommandContext, type Handler } from './context';

/** Cursor source of find results returned whole: their encoding can come from the cache. */
const STORED: CursorSource = { stored: true };

const cursorReply = (id: Long, ns: string, key: 'firstBatch' | 'nextBatch', batch: Uint8Array[]) => new CursorReply(id, ns, key, batch);

const find: Handler = (body, ctx) => {
  const coll = target(body, ctx);
  const ns = `${ctx.db}.${collName(body)}`;
  const skip = num(body.skip, 0);
  let limit = num(body.limit, 0);
  let singleBatch = Boolean(body.singleBatch);
  if (limit < 0) { limit = -limit; singleBatch = true; }
  const sort = isDocument(body.sort) && Object.keys(body.sort).length ? body.sort : undefined;
  let docs: Doc[] = [];
  if (coll) {
    docs = coll.match(body.filter as Doc | undefined, sort ? 0 : limit ? skip + limit : 0);
    docs = sortDocs(docs, sort);
    if (skip || limit) docs = docs.slice(skip, limit ? skip + limit : undefined);
  }
  const project = compileProjection(body.projection);
  const batchSize = body.batchSize === undefined ? undefined : num(body.batchSize, 101);
  const b = ctx.cursors.first(ns, docs, project === wholeDocument ? STORED : { stored: true, project }, limit && (batchSize === undefined || batchSize > limit) ? limit : batchSize, singleBatch);
  return cursorReply(b.id, ns, 'firstBatch', b.batch);
};

const getMore: Handler = (body, ctx) => {
  const id = body.getMore instanceof Long ? body.getMore : Long.fromNumber(num(body.getMore, 0));
  const b = ctx.cursors.getMore(id, body.batchSize === undefined ? undefined : num(body.batchSize, 0));
  return cursorReply(b.id, b.ns, 'nextBatch', b.batch);
};

const killCursors: Handler = (body, ctx) => {
  const ids = ((body.cursors ?? []) as unknown[]).map((v) => (v instanceof Long ? v : Long.fromNumber(num(v, 0))));
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: Handler = (body, ctx) => {
  const coll = target(body, ctx);
  let n = coll ? (isDocument(body.query) && Object.keys(body.query).length ? coll.match(body.query).length : coll.docs.size) : 0;
  n = Math.max(0, n - num(body.skip, 0));
  const limit = Math.abs(num(body.limit, 0));
  return { n: limit ? Math.min(n, limit) : n, ok: 1 };
};

const distinct: Handler = (body, ctx) => {
  const coll = target(body, ctx);
  if (typeof body.key !== 'string') throw badValue("distinct 'key' must be a string");
  const seen = new Map<string, unknown>();
  for (const doc of coll ? coll.match(body.query as Doc | undefined) : []) {
    for (const v of pathValues(doc, body.key, false)) {
      if (v === undefined) continue;
      const k = keyString(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()].sort(compareValues), ok: 1 };
};

/** Collection documents for a pipeline; a leading $match uses the indexes. */
function source(ctx: CommandContext, name: string, pipeline: Doc[]): { docs: Iterable<Doc>; rest: Doc[] } {
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) return { docs: [], rest: pipeline };
  const first = pipeline[0];
  if (first && isDocument(first.$match) && Object.keys(first).length === 1 && !JSON.stringify(Object.keys(first.$match)).includes('$expr')) {
    return { docs: coll.match(first.$match), rest: pipeline.slice(1) };
  }
  return { docs: coll.docs.values(), rest: pipeline };
}

/** Stages that would silently do the wrong thing here (writes to other collections, change streams). */
const UNSUPPORTED_STAGES = new Set(['$out', '$merge', '$changeStream']);

const aggregate: Handler = (body, ctx) => {
  const pipeline = body.pipeline as Doc[];
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  const unsupported = pipeline.map((st) => Object.keys(st ?? {})[0]).find((op) => UNSUPPORTED_STAGES.has(op));
  if (unsupported) throw illegalOperation(`${unsupported} is not supported by the embedded store; set MONGODB_URI to use real MongoDB`);
  const name = typeof body.aggregate === 'string' ? body.aggregate : '';
  const ns = `${ctx.db}.${name || '$cmd.aggregate'}`;
  const { docs, rest } = name ? source(ctx, name, pipeline) : { docs: [] as Doc[], rest: pipeline };
  const resolve = (n: string) => [...(ctx.engine.collection(ctx.db, n)?.docs.values() ?? [])].map(deepClone);
  const results = runPipeline(docs, rest, resolve);
  const cursor = isDocument(body.cursor) ? body.cursor : {};
  const b = ctx.cursors.first(ns, results, { stored: false }, cursor.batchSize === undefined ? undefined : num(cursor.batchSize, 101));
  return cursorReply(b.id, ns, 'firstBatch', b.batch);
};

export const readCommands: Record<string, Handler> = { find, getMore, killCursors, count, distinct, aggregate };
export type { Document };
