/** Collection, index and database management commands. */
import type { Document } from 'bson';
import { isDocument } from '../compare';
import { badValue, invalidOptions, namespaceExists, namespaceNotFound } from '../errors';
import type { IndexSpec } from '../indexes';
import { compileFilter } from '../match';
import { collName, requireColl, target, type Handler } from './context';

const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };

const create: Handler = (body, ctx) => {
  const name = collName(body);
  if (ctx.engine.collection(ctx.db, name)) throw namespaceExists(`Collection ${ctx.db}.${name} already exists.`);
  const { create: _c, $db: _d, lsid: _l, $clusterTime: _t, ...opts } = body;
  ctx.engine.ensure(ctx.db, name, opts);
  return { ok: 1 };
};

const drop: Handler = (body, ctx) => {
  const name = collName(body);
  const coll = target(body, ctx);
  const nIndexesWas = coll ? coll.indexes.length + 1 : 0;
  ctx.engine.drop(ctx.db, name);
  return { ns: `${ctx.db}.${name}`, nIndexesWas, ok: 1 };
};

const dropDatabase: Handler = (_body, ctx) => {
  ctx.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: Handler = (body, ctx) => {
  const colls = ctx.engine.dbs.get(ctx.db) ?? new Map();
  const entries = [...colls.values()].map((c) => ({
    name: c.name, type: 'collection', options: c.options, info: { readOnly: false }, idIndex: ID_INDEX,
  }));
  const test = compileFilter(body.filter);
  const batch = entries.filter(test).map((e) => (body.nameOnly ? { name: e.name, type: e.type } : e));
  return { cursor: { id: 0n, ns: `${ctx.db}.$cmd.listCollections`, firstBatch: batch }, ok: 1 };
};

const listDatabases: Handler = (body, ctx) => {
  const dbs = [...ctx.engine.dbs.entries()].map(([name, colls]) => {
    const docs = [...colls.values()].reduce((n, c) => n + c.docs.size, 0);
    return { name, sizeOnDisk: docs * 100, empty: docs === 0 };
  });
  const batch = body.nameOnly ? dbs.map((d) => ({ name: d.name })) : dbs;
  return { databases: batch, totalSize: dbs.reduce((n, d) => n + d.sizeOnDisk, 0), ok: 1 };
};

const listIndexes: Handler = (body, ctx) => {
  const coll = requireColl(body, ctx);
  return { cursor: { id: 0n, ns: `${ctx.db}.${coll.name}`, firstBatch: coll.listIndexes() }, ok: 1 };
};

const createIndexes: Handler = (body, ctx) => {
  const name = collName(body);
  const existed = Boolean(ctx.engine.collection(ctx.db, name));
  const coll = ctx.engine.ensure(ctx.db, name);
  const before = coll.indexes.length + 1;
  const specs = body.indexes as IndexSpec[];
  if (!Array.isArray(specs) || !specs.length) throw badValue('Must specify at least one index to create');
  let created = 0;
  for (const spec of specs) if (ctx.engine.createIndex(coll, spec)) created++;
  const reply: Document = { createdCollectionAutomatically: !existed, numIndexesBefore: before, numIndexesAfter: coll.indexes.length + 1 };
  if (!created) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

const dropIndexes: Handler = (body, ctx) => {
  const coll = requireColl(body, ctx);
  const nIndexesWas = coll.indexes.length + 1;
  const which = body.index;
  const list = Array.isArray(which) ? which : [which];
  for (const w of list) {
    if (w === '_id_' || (isDocument(w) && Object.keys(w).length === 1 && w._id !== undefined)) throw invalidOptions('cannot drop _id index');
    ctx.engine.dropIndex(coll, w);
  }
  return { nIndexesWas, ok: 1 };
};

const renameCollection: Handler = (body, ctx) => {
  const [fromDb, ...fromRest] = String(body.renameCollection).split('.');
  const [toDb, ...toRest] = String(body.to).split('.');
  const coll = ctx.engine.collection(fromDb, fromRest.join('.'));
  if (!coll) throw namespaceNotFound('source namespace does not exist');
  const to = toRest.join('.');
  if (ctx.engine.collection(toDb, to)) {
    if (!body.dropTarget) throw namespaceExists('target namespace exists');
    ctx.engine.drop(toDb, to);
  }
  ctx.engine.rename(coll, toDb, to);
  return { ok: 1 };
};

const collStats: Handler = (body, ctx) => {
  const coll = target(body, ctx);
  const count = coll?.docs.size ?? 0;
  return { ns: `${ctx.db}.${collName(body)}`, count, size: count * 100, storageSize: count * 100, nindexes: coll ? coll.indexes.length + 1 : 0, ok: 1 };
};

const dbStats: Handler = (_body, ctx) => {
  const colls = ctx.engine.dbs.get(ctx.db) ?? new Map();
  const objects = [...colls.values()].reduce((n, c) => n + c.docs.size, 0);
  return { db: ctx.db, collections: colls.size, objects, dataSize: objects * 100, ok: 1 };
};

export const adminCommands: Record<string, Handler> = {
  create, drop, dropDatabase, listCollections, listDatabases, listIndexes, createIndexes, dropIndexes,
  renameCollection, collStats, dbStats,
};
