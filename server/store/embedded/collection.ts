/**
 * One collection: documents keyed by their canonical `_id`, secondary hash indexes, and the
 * write primitives (insert/replace/delete) that keep both consistent. Stored documents are
 * never mutated: an update builds a new copy and swaps it in, so open cursors keep a stable view.
 */
import { ObjectId } from 'bson';
import { isDocument, keyString } from './compare';
import { forgetDoc } from './docbytes';
import { badValue, indexKeySpecsConflict, indexNotFound, indexOptionsConflict, invalidOptions, StoreError } from './errors';
import { defaultIndexName, Index, type IndexSpec } from './indexes';
import { compileFilter } from './match';
import type { Doc } from './paths';

/** Receives every change, in order, so the journal can record it. */
export type ChangeSink = (change: { op: 'put'; doc: Doc } | { op: 'del'; id: unknown }) => void;

const NO = Symbol('no equality');

/** The value a filter entry pins a field to, if it is a plain equality usable with a hash index. */
function eqValue(v: unknown): unknown {
  if (v === undefined || v instanceof RegExp || Array.isArray(v)) return NO;
  if (isDocument(v)) {
    const keys = Object.keys(v);
    if (!keys.some((k) => k.startsWith('$'))) return v;
    if (keys.length === 1 && keys[0] === '$eq') return eqValue(v.$eq);
    return NO;
  }
  return v;
}

/**
 * The values of a `{ $in: [...] }` entry when every one is a plain scalar usable with a hash index
 * (no documents, arrays or regular expressions, whose matching rules differ), else NO.
 */
function inValues(v: unknown): unknown[] | typeof NO {
  if (!isDocument(v)) return NO;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== '$in' || !Array.isArray(v.$in)) return NO;
  const list = v.$in as unknown[];
  return list.every((x) => x !== undefined && !isDocument(x) && !Array.isArray(x) && !(x instanceof RegExp)) ? list : NO;
}

/** A filter's own entry for a field (not something inherited, such as `constructor`). */
function ownField(filter: Doc, field: string): unknown {
  return Object.prototype.hasOwnProperty.call(filter, field) ? filter[field] : undefined;
}

const ID_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes: Index[] = [];
  sink: ChangeSink = () => {};

  constructor(readonly db: string, readonly name: string, readonly options: Doc = {}) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Inserts a document (the caller passes a private copy); `_id` is added first if missing. */
  insert(input: Doc): Doc {
    let doc = input;
    if (input._id === undefined) doc = { _id: new ObjectId(), ...input };
    else if (Object.keys(input)[0] !== '_id') {
      const { _id, ...rest } = input;
      doc = { _id, ...rest };
    }
    if (Array.isArray(doc._id)) throw badValue('can\'t use an array for _id');
    const id = keyString(doc._id);
    if (this.docs.has(id)) throw this.duplicateId(doc);
    const keys = this.indexes.map((ix) => ix.keysFor(doc));
    this.indexes.forEach((ix, i) => ix.check(doc, keys[i]));
    this.docs.set(id, doc);
    this.indexes.forEach((ix, i) => ix.add(doc, keys[i]));
    this.sink({ op: 'put', doc });
    return doc;
  }

  /** Swaps a stored document for its updated copy (same `_id`), enforcing unique indexes. */
  replace(old: Doc, next: Doc): void {
    const id = keyString(old._id);
    const oldKeys = this.indexes.map((ix) => ix.keysFor(old));
    const newKeys = this.indexes.map((ix) => ix.keysFor(next));
    this.indexes.forEach((ix, i) => ix.check(next, newKeys[i], old));
    this.indexes.forEach((ix, i) => { ix.remove(old, oldKeys[i]); ix.add(next, newKeys[i]); });
    this.docs.set(id, next);
    forgetDoc(old);
    this.sink({ op: 'put', doc: next });
  }

  remove(doc: Doc): void {
    const id = keyString(doc._id);
    if (!this.docs.delete(id)) return;
    this.indexes.forEach((ix) => ix.remove(doc, ix.keysFor(doc)));
    forgetDoc(doc);
    this.sink({ op: 'del', id: doc._id });
  }

  /** Drops the cached encodings of all documents (the collection is being dropped). */
  forgetEncodings(): void {
    for (const d of this.docs.values()) forgetDoc(d);
  }

  /** Loads a document during journal replay: no checks, no journaling. */
  restore(doc: Doc): void {
    const id = keyString(doc._id);
    const old = this.docs.get(id);
    if (old) {
      this.indexes.forEach((ix) => ix.remove(old, ix.keysFor(old)));
      forgetDoc(old);
    }
    this.docs.set(id, doc);
    this.indexes.forEach((ix) => ix.add(doc, ix.keysFor(doc)));
  }

  /** Removes a document by `_id` during journal replay. */
  restoreDelete(idValue: unknown): void {
    const doc = this.docs.get(keyString(idValue));
    if (doc) {
      const id = keyString(doc._id);
      this.docs.delete(id);
      this.indexes.forEach((ix) => ix.remove(doc, ix.keysFor(doc)));
      forgetDoc(doc);
    }
  }

  private duplicateId(doc: Doc): StoreError {
    return new Index(ID_SPEC, this.ns).duplicate(doc);
  }

  /** Documents that may match: from the `_id` map or a hash index when the filter pins them. */
  private candidates(filter: Doc | undefined): Iterable<Doc> {
    if (!filter) return this.docs.values();
    const idEq = eqValue(ownField(filter, '_id'));
    if (idEq !== NO) {
      const d = this.docs.get(keyString(idEq));
      return d ? [d] : [];
    }
    const idIn = isDocument(filter._id) && Object.keys(filter._id).length === 1 ? filter._id.$in : undefined;
    if (Array.isArray(idIn) && idIn.every((v) => eqValue(v) !== NO)) {
      const seen = new Set<string>();
      const out: Doc[] = [];
      for (const v of idIn) {
        const k = keyString(v);
        const d = this.docs.get(k);
        if (d && !seen.has(k)) { seen.add(k); out.push(d); }
      }
      return out;
    }
    // A compound index whose first field alone is asked for by equality: used when no index
    // answers the whole filter.
    let byFirstField: ReadonlySet<Doc> | undefined;
    for (const ix of this.indexes) {
      if (!ix.complete) continue;
      let key: string;
      if (ix.fields.length === 1) {
        const entry = ownField(filter, ix.fields[0]);
        const v = eqValue(entry);
        if (v === NO) {
          // { field: { $in: [...] } }: the union of each value's entries (a document listed under
          // several of the values, as an array field's can be, once).
          const list = inValues(entry);
          if (list === NO) continue;
          const out = new Set<Doc>();
          for (const x of list) {
            const hit = ix.docs(keyString(x));
            if (hit instanceof Set) for (const d of hit) out.add(d);
            else if (hit !== undefined) out.add(hit as Doc);
          }
          return out;
        }
        key = keyString(v);
      } else {
        const values = ix.fields.map((f) => eqValue(ownField(filter, f)));
        if (values.some((v) => v === NO)) {
          if (values[0] !== NO) {
            const hit = ix.docsWithFirst(keyString(values[0]));
            if (byFirstField === undefined || hit.size < byFirstField.size) byFirstField = hit;
          }
          continue;
        }
        key = ix.lookupKey(values);
      }
      const hit = ix.docs(key);
      if (hit === undefined) return [];
      return hit instanceof Set ? [...hit] : [hit as Doc];
    }
    return byFirstField ? [...byFirstField] : this.docs.values();
  }

  /** Stored documents matching the filter, in natural order (callers must not mutate them). */
  match(filter: Doc | undefined, limit = 0): Doc[] {
    const test = compileFilter(filter);
    const out: Doc[] = [];
    for (const d of this.candidates(filter)) {
      if (test(d)) {
        out.push(d);
        if (limit && out.length >= limit) break;
      }
    }
    return out;
  }

  listIndexes(): IndexSpec[] {
    return [ID_SPEC, ...this.indexes.map((ix) => ix.spec)];
  }

  /** Creates an index; returns false when an identical one already exists. */
  createIndex(input: IndexSpec): boolean {
    if (!isDocument(input.key) || !Object.keys(input.key).length) throw badValue('Index key pattern must be a non-empty object');
    const spec: IndexSpec = { v: 2, ...input, name: input.name ?? defaultIndexName(input.key) };
    if (spec.name === '_id_' || (Object.keys(spec.key).length === 1 && spec.key._id !== undefined)) return false;
    const sameName = this.indexes.find((ix) => ix.name === spec.name);
    const sameKey = this.indexes.find((ix) => keyString(ix.spec.key) === keyString(spec.key));
    const opts = (s: IndexSpec) => keyString({ u: Boolean(s.unique), s: Boolean(s.sparse), p: s.partialFilterExpression ?? null, e: s.expireAfterSeconds ?? null });
    if (sameName) {
      if (keyString(sameName.spec.key) !== keyString(spec.key)) throw indexKeySpecsConflict(`An existing index has the same name as the requested index. Requested index: ${spec.name}`);
      if (opts(sameName.spec) !== opts(spec)) throw indexOptionsConflict(`An equivalent index already exists with the same name but different options. Requested index: ${spec.name}`);
      return false;
    }
    if (sameKey) {
      if (opts(sameKey.spec) === opts(spec)) {
        throw indexOptionsConflict(`Index already exists with a different name: ${sameKey.name}`);
      }
      if (!spec.partialFilterExpression && !sameKey.spec.partialFilterExpression) {
        throw indexOptionsConflict(`An equivalent index already exists with a different name and options. Requested index: ${spec.name}, existing index: ${sameKey.name}`);
      }
    }
    if (spec.partialFilterExpression !== undefined && !isDocument(spec.partialFilterExpression)) throw invalidOptions('partialFilterExpression must be an object');
    const ix = new Index(spec, this.ns);
    for (const doc of this.docs.values()) {
      const keys = ix.keysFor(doc);
      ix.check(doc, keys);
      ix.add(doc, keys);
    }
    this.indexes.push(ix);
    return true;
  }

  /** Drops an index by name or key pattern ('*' drops all but _id_). */
  dropIndex(which: unknown): void {
    if (which === '*') { this.indexes.length = 0; return; }
    const i = this.indexes.findIndex((ix) => (typeof which === 'string' ? ix.name === which : keyString(ix.spec.key) === keyString(which)));
    if (i < 0) throw indexNotFound(`index not found with name [${typeof which === 'string' ? which : JSON.stringify(which)}]`);
    this.indexes.splice(i, 1);
  }
}
