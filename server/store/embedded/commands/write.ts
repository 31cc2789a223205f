/** insert, update, delete and findAndModify. */
import { ObjectId, type Document } from 'bson';
import { runPipeline } from '../aggregate';
import type { Collection } from '../collection';
import { compareValues, isDocument, valuesEqual } from '../compare';
import { immutableField, toStoreError } from '../errors';
import { deepClone, type Doc } from '../paths';
import { compileProjection, sortDocs } from '../project';
import { applyOperators, isOperatorUpdate, upsertSeed, type UpdateContext } from '../update';
import { collName, num, type CommandContext, type Handler } from './context';

/** Write error entry for a failed item of a batch. */
function writeError(index: number, err: unknown): Document {
  const e = toStoreError(err);
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra };
}

function resolverFor(ctx: CommandContext) {
  return (name: string) => [...(ctx.engine.collection(ctx.db, name)?.docs.values() ?? [])].map(deepClone);
}

/** The document an update turns `doc` into (a new object; `doc` is untouched). */
function updated(doc: Doc, u: unknown, uctx: UpdateContext, ctx: CommandContext): Doc {
  if (Array.isArray(u)) {
    const [next] = runPipeline([doc], u as Doc[], resolverFor(ctx));
    if (!valuesEqual(next._id, doc._id)) throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
    return next;
  }
  if (isOperatorUpdate(u)) {
    const copy = deepClone(doc);
    applyOperators(copy, u as Doc, uctx);
    return copy;
  }
  const repl = (u ?? {}) as Doc;
  if (repl._id !== undefined && !valuesEqual(repl._id, doc._id)) {
    throw immutableField("After applying the update, the (immutable) field '_id' was found to have been altered");
  }
  const { _id: _ignored, ...rest } = deepClone(repl);
  return doc._id === undefined ? rest : { _id: doc._id, ...rest };
}

/** Builds and inserts the document of an upsert. */
function upsert(coll: Collection, filter: Doc, u: unknown, arrayFilters: Doc[] | undefined, ctx: CommandContext): Doc {
  const seed = upsertSeed(filter);
  let doc: Doc;
  if (Array.isArray(u) || isOperatorUpdate(u)) {
    doc = Array.isArray(u) ? runPipeline([seed], u as Doc[], resolverFor(ctx))[0] : seed;
    if (!Array.isArray(u)) applyOperators(doc, u as Doc, { inserting: true, arrayFilters, filter });
  } else {
    doc = updated(seed, u, { inserting: true }, ctx);
  }
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  else if (Object.keys(doc)[0] !== '_id') { const { _id, ...rest } = doc; doc = { _id, ...rest }; }
  return coll.insert(doc);
}

const insert: Handler = (body, ctx) => {
  const coll = ctx.engine.ensure(ctx.db, collName(body));
  const docs = (body.documents ?? []) as Doc[];
  const ordered = body.ordered !== false;
  const errors: Document[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      coll.insert(docs[i]);
      n++;
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return errors.length ? { n, writeErrors: errors, ok: 1 } : { n, ok: 1 };
};

const update: Handler = (body, ctx) => {
  const name = collName(body);
  const ordered = body.ordered !== false;
  const errors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  const specs = (body.updates ?? []) as Doc[];
  for (let i = 0; i < specs.length; i++) {
    const { q, u, upsert: doUpsert, multi, arrayFilters } = specs[i] as { q: Doc; u: unknown; upsert?: boolean; multi?: boolean; arrayFilters?: Doc[] };
    try {
      const coll = ctx.engine.collection(ctx.db, name) ?? (doUpsert ? ctx.engine.ensure(ctx.db, name) : undefined);
      const matched = coll ? coll.match(q, multi ? 0 : 1) : [];
      if (!matched.length && doUpsert && coll) {
        const doc = upsert(coll, q, u, arrayFilters, ctx);
        upserted.push({ index: i, _id: doc._id });
        n++;
        continue;
      }
      for (const doc of matched) {
        const next = updated(doc, u, { inserting: false, arrayFilters, filter: q }, ctx);
        n++;
        if (compareValues(doc, next) !== 0) {
          coll!.replace(doc, next);
          nModified++;
        }
      }
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  const reply: Document = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (errors.length) reply.writeErrors = errors;
  reply.ok = 1;
  return reply;
};

const del: Handler = (body, ctx) => {
  const coll = ctx.engine.collection(ctx.db, collName(body));
  const ordered = body.ordered !== false;
  const errors: Document[] = [];
  let n = 0;
  const specs = (body.deletes ?? []) as Doc[];
  for (let i = 0; i < specs.length; i++) {
    try {
      if (!coll) continue;
      const { q, limit } = specs[i] as { q: Doc; limit?: number };
      for (const doc of coll.match(q, num(limit, 0) === 1 ? 1 : 0)) {
        coll.remove(doc);
        n++;
      }
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return errors.length ? { n, writeErrors: errors, ok: 1 } : { n, ok: 1 };
};

const findAndModify: Handler = (body, ctx) => {
  const name = collName(body);
  const query = (body.query ?? {}) as Doc;
  const project = compileProjection(body.fields);
  const arrayFilters = body.arrayFilters as Doc[] | undefined;
  let coll = ctx.engine.collection(ctx.db, name);
  const matches = coll ? coll.match(query, body.sort ? 0 : 1) : [];
  const doc = sortDocs(matches, isDocument(body.sort) ? body.sort : undefined)[0];
  if (body.remove) {
    if (doc) coll!.remove(doc);
    return { lastErrorObject: { n: doc ? 1 : 0 }, value: doc ? project(doc) : null, ok: 1 };
  }
  if (!doc) {
    if (!body.upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    coll ??= ctx.engine.ensure(ctx.db, name);
    const inserted = upsert(coll, query, body.update, arrayFilters, ctx);
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id }, value: body.new ? project(inserted) : null, ok: 1 };
  }
  const next = updated(doc, body.update, { inserting: false, arrayFilters, filter: query }, ctx);
  if (compareValues(doc, next) !== 0) coll!.replace(doc, next);
  return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(body.new ? next : doc), ok: 1 };
};

export const writeCommands: Record<string, Handler> = { insert, update, delete: del, findAndModify, findandmodify: findAndModify };
