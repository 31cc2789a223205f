/**
 * Dotted-path access with MongoDB's array semantics, and a deep copy that keeps BSON value
 * objects (they are immutable, so sharing them is safe).
 */
import { isDocument } from './compare';

export type Doc = Record<string, unknown>;

const isIndex = (p: string) => /^\d+$/.test(p);

/**
 * Every value a query on `path` looks at: walking into arrays of documents, and at the leaf
 * both an array and its elements (when `withArrays`; index keys use elements only). A missing
 * leaf contributes `undefined`, so `{a: null}` matches documents without `a`.
 */
export function pathValues(doc: unknown, path: string, withArrays = true): unknown[] {
  const out: unknown[] = [];
  walk(doc, path.split('.'), 0, out, withArrays);
  return out;
}

/** `pathValues` for a path already split at its dots (for matchers that run many times). */
export function pathPartsValues(doc: unknown, parts: string[], withArrays = true): unknown[] {
  const out: unknown[] = [];
  walk(doc, parts, 0, out, withArrays);
  return out;
}

function walk(v: unknown, parts: string[], i: number, out: unknown[], withArrays: boolean): void {
  if (i === parts.length) {
    if (Array.isArray(v)) {
      if (withArrays || v.length === 0) out.push(withArrays ? v : undefined);
      for (const e of v) out.push(e);
    } else out.push(v);
    return;
  }
  const part = parts[i];
  if (Array.isArray(v)) {
    if (isIndex(part) && Number(part) < v.length) walk(v[Number(part)], parts, i + 1, out, withArrays);
    let any = false;
    for (const e of v) {
      if (isDocument(e)) { any = true; walk(e, parts, i, out, withArrays); }
    }
    if (!any && !isIndex(part)) out.push(undefined);
    return;
  }
  if (isDocument(v)) {
    if (Object.prototype.hasOwnProperty.call(v, part)) walk(v[part], parts, i + 1, out, withArrays);
    else out.push(undefined);
    return;
  }
  out.push(undefined);
}

/** The value at a dotted path without array expansion (numeric parts index arrays). */
export function getPath(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(v)) v = isIndex(part) ? v[Number(part)] : undefined;
    else if (isDocument(v)) v = Object.prototype.hasOwnProperty.call(v, part) ? v[part] : undefined;
    else return undefined;
  }
  return v;
}

/** True when the path exists in the document (even with a null value). */
export function hasPath(doc: unknown, path: string): boolean {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(v)) {
      if (!isIndex(part) || Number(part) >= v.length) return false;
      v = v[Number(part)];
    } else if (isDocument(v)) {
      if (!Object.prototype.hasOwnProperty.call(v, part)) return false;
      v = v[part];
    } else return false;
  }
  return true;
}

/** Deep copy of documents and arrays; BSON values, dates and buffers are shared or copied cheaply. */
export function deepClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepClone) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isDocument(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = deepClone(v[k]);
    return out as T;
  }
  return v;
}
