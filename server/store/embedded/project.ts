/**
 * Sorting and projection of find results. Simple inclusion/exclusion projections (what mongoose
 * sends for `select()`) are done here; operator projections ($slice, $elemMatch, `a.$`) go to mingo.
 */
import { Query } from 'mingo/query';
import { compareValues, isDocument } from './compare';
import { queryOptions } from './match';
import { pathValues, type Doc } from './paths';

/** Sort specification as sent by drivers: field -> 1 | -1 (other values such as $meta are ignored). */
export type SortSpec = Record<string, unknown>;

function sortKey(doc: Doc, path: string, dir: number): unknown {
  const values = pathValues(doc, path, false);
  if (values.length === 1) return values[0];
  let best = values[0];
  for (const v of values) {
    const c = compareValues(v, best);
    if (dir > 0 ? c < 0 : c > 0) best = v;
  }
  return best;
}

/** Sorts documents in MongoDB order (arrays sort by their min/max element); stable. */
export function sortDocs(docs: Doc[], spec: SortSpec | undefined): Doc[] {
  if (!spec) return docs;
  const fields = Object.entries(spec)
    .filter(([k, v]) => k !== '$natural' && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'))
    .map(([k, v]) => [k, Number(v) < 0 || v === 'desc' || v === 'descending' ? -1 : 1] as const);
  if (!fields.length) return docs;
  const keyed = docs.map((d, i) => ({ d, i, k: fields.map(([f, dir]) => sortKey(d, f, dir)) }));
  keyed.sort((a, b) => {
    for (let j = 0; j < fields.length; j++) {
      const c = compareValues(a.k[j], b.k[j]);
      if (c) return c * fields[j][1];
    }
    return a.i - b.i;
  });
  return keyed.map((x) => x.d);
}

type Tree = { [k: string]: Tree | true };

function buildTree(paths: string[]): Tree {
  const root: Tree = {};
  for (const p of paths) {
    const parts = p.split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = true;
      else {
        const next = node[part];
        if (next === true) return;
        node = (node[part] = next ?? {}) as Tree;
      }
    });
  }
  return root;
}

function include(v: unknown, tree: Tree): unknown {
  if (Array.isArray(v)) return v.filter((e) => isDocument(e) || Array.isArray(e)).map((e) => include(e, tree));
  if (!isDocument(v)) return undefined;
  const out: Doc = {};
  for (const k of Object.keys(v)) {
    const t = tree[k];
    if (t === true) out[k] = v[k];
    else if (t) {
      const sub = include(v[k], t);
      if (sub !== undefined) out[k] = sub;
    }
  }
  return out;
}

function exclude(v: unknown, tree: Tree): unknown {
  if (Array.isArray(v)) return v.map((e) => (isDocument(e) || Array.isArray(e) ? exclude(e, tree) : e));
  if (!isDocument(v)) return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) {
    const t = tree[k];
    if (t === true) continue;
    out[k] = t ? exclude(v[k], t) : v[k];
  }
  return out;
}

/** A compiled projection: returns a new document (or the same one when there is nothing to do). */
export type Projector = (doc: Doc) => Doc;

/** The projection of an empty or missing spec: the document itself. */
export const wholeDocument: Projector = (d) => d;

/** Compiles a find projection (`wholeDocument` when there is nothing to project). */
export function compileProjection(spec: unknown): Projector {
  if (!isDocument(spec) || Object.keys(spec).length === 0) return wholeDocument;
  const entries = Object.entries(spec);
  const simple = entries.every(([k, v]) => !k.includes('$') && (typeof v === 'number' || typeof v === 'boolean'));
  if (!simple) {
    const q = new Query({}, queryOptions);
    return (d) => (q.find([d], spec as never).next() as Doc) ?? {};
  }
  const idFlag = spec._id;
  const others = entries.filter(([k]) => k !== '_id');
  const inclusive = others.length > 0 ? others.some(([, v]) => Boolean(v)) : Boolean(idFlag ?? true) && idFlag !== undefined;
  if (inclusive) {
    const tree = buildTree(others.filter(([, v]) => Boolean(v)).map(([k]) => k));
    if (idFlag === undefined || Boolean(idFlag)) tree._id = true;
    return (d) => include(d, tree) as Doc;
  }
  const tree = buildTree(entries.filter(([, v]) => !v).map(([k]) => k));
  return (d) => exclude(d, tree) as Doc;
}
