/**
 * Update operators, applied to a private copy of a stored document. Written here rather than
 * taken from mingo because MongoDB's numeric promotion ($inc on Long/Decimal128), $setOnInsert,
 * positional paths and its error codes all matter to mongoose.
 */
import { Timestamp } from 'bson';
import { compareValues, isDocument, valuesEqual } from './compare';
import { badValue, conflictingUpdate, failedToParse, immutableField, pathNotViable, typeMismatch } from './errors';
import { compileFilter } from './match';
import { addNumeric, isNumeric, mulNumeric, zeroLike } from './numeric';
import { deepClone, getPath, hasPath, type Doc } from './paths';
import { sortDocs } from './project';

/** Context an update needs beyond the document. */
export interface UpdateContext {
  /** The update inserts a new document (upsert): $setOnInsert applies. */
  inserting: boolean;
  arrayFilters?: Doc[];
  /** The query filter, for resolving the positional `$` operator. */
  filter?: Doc;
}

const isIdx = (p: string) => /^\d+$/.test(p);

/** True when the update document uses operators rather than being a replacement. */
export function isOperatorUpdate(u: unknown): boolean {
  return isDocument(u) && Object.keys(u).some((k) => k.startsWith('$'));
}

/** Expands `$`, `$[]` and `$[id]` into concrete paths present in the document. */
function expandPath(doc: Doc, path: string, ctx: UpdateContext): string[] {
  if (!path.includes('$')) return [path];
  const parts = path.split('.');
  const results: string[] = [];
  const go = (v: unknown, i: number, prefix: string[]) => {
    if (i === parts.length) { results.push(prefix.join('.')); return; }
    const part = parts[i];
    if (part === '$[]' || /^\$\[\w+\]$/.test(part)) {
      if (!Array.isArray(v)) throw badValue(`The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`);
      const id = part.slice(2, -1);
      const filter = id ? ctx.arrayFilters?.find((f) => Object.keys(f).some((k) => k === id || k.startsWith(`${id}.`))) : undefined;
      if (id && !filter) throw failedToParse(`No array filter found for identifier '${id}' in path '${path}'`);
      const test = filter ? compileFilter(filter) : null;
      v.forEach((e, idx) => {
        if (!test || test({ [id]: e })) go(e, i + 1, [...prefix, String(idx)]);
      });
      return;
    }
    if (part === '$') {
      const idx = positionalIndex(v, prefix.join('.'), ctx.filter);
      if (idx < 0) throw badValue('The positional operator did not find the match needed from the query.');
      go((v as unknown[])[idx], i + 1, [...prefix, String(idx)]);
      return;
    }
    go(getPath(v, part), i + 1, [...prefix, part]);
  };
  go(doc, 0, []);
  return results;
}

function positionalIndex(arr: unknown, arrayPath: string, filter: Doc | undefined): number {
  if (!Array.isArray(arr) || !filter) return -1;
  const sub: Doc = {};
  for (const [k, v] of Object.entries(filter)) {
    if (k === arrayPath) sub.x = v;
    else if (k.startsWith(`${arrayPath}.`)) sub[`x.${k.slice(arrayPath.length + 1)}`] = v;
  }
  if (!Object.keys(sub).length) return -1;
  const elemMatch = isDocument(sub.x) && isDocument(sub.x.$elemMatch) ? compileFilter(sub.x.$elemMatch) : null;
  const test = compileFilter(sub);
  return arr.findIndex((e) => (elemMatch ? isDocument(e) && elemMatch(e) : test({ x: e })));
}

/** Walks to the parent of `path`, creating documents on the way when `create`. */
function parentOf(doc: Doc, path: string, create: boolean): { parent: Doc | unknown[]; key: string } | null {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    let next: unknown;
    if (Array.isArray(cur)) {
      if (!isIdx(part)) throw pathNotViable(`Cannot create field '${part}' in element {${parts[i - 1]}: [...]}`);
      next = cur[Number(part)];
      if (next === undefined || next === null) {
        if (!create) return null;
        next = {};
        while (cur.length < Number(part)) cur.push(null);
        cur[Number(part)] = next;
      }
    } else if (isDocument(cur)) {
      next = cur[part];
      if (next === undefined || (next === null && create)) {
        if (!create) return null;
        next = {};
        cur[part] = next;
      }
    } else {
      throw pathNotViable(`Cannot create field '${part}' in element {${parts[i - 1] ?? ''}: ${String(cur)}}`);
    }
    cur = next;
  }
  if (!Array.isArray(cur) && !isDocument(cur)) {
    if (!create) return null;
    throw pathNotViable(`Cannot create field '${parts[parts.length - 1]}' in element {${parts[parts.length - 2]}: ${JSON.stringify(cur)}}`);
  }
  return { parent: cur, key: parts[parts.length - 1] };
}

function setAt(doc: Doc, path: string, value: unknown): void {
  const loc = parentOf(doc, path, true)!;
  if (Array.isArray(loc.parent)) {
    if (!isIdx(loc.key)) throw pathNotViable(`Cannot create field '${loc.key}' in an array`);
    const i = Number(loc.key);
    while (loc.parent.length < i) loc.parent.push(null);
    loc.parent[i] = value;
  } else loc.parent[loc.key] = value;
}

function unsetAt(doc: Doc, path: string): void {
  const loc = parentOf(doc, path, false);
  if (!loc) return;
  if (Array.isArray(loc.parent)) {
    if (isIdx(loc.key) && Number(loc.key) < loc.parent.length) loc.parent[Number(loc.key)] = null;
  } else delete loc.parent[loc.key];
}

function arrayAt(doc: Doc, path: string, op: string): unknown[] | undefined {
  const cur = getPath(doc, path);
  if (cur === undefined) return undefined;
  if (!Array.isArray(cur)) throw badValue(`The field '${path}' must be an array but is of type ${typeof cur} in document`);
  return cur;
}

const pullMatcher = (cond: unknown): ((e: unknown) => boolean) => {
  if (isDocument(cond)) {
    const hasOps = Object.keys(cond).some((k) => k.startsWith('$'));
    if (hasOps) {
      const m = compileFilter({ x: cond });
      return (e) => m({ x: e });
    }
    const m = compileFilter(cond);
    return (e) => isDocument(e) && m(e);
  }
  return (e) => valuesEqual(e, cond);
};

type OpFn = (doc: Doc, path: string, arg: unknown, ctx: UpdateContext) => void;

const OPS: Record<string, OpFn> = {
  $set: (doc, path, arg) => setAt(doc, path, deepClone(arg)),
  $setOnInsert: (doc, path, arg, ctx) => { if (ctx.inserting) setAt(doc, path, deepClone(arg)); },
  $unset: (doc, path) => unsetAt(doc, path),
  $inc: (doc, path, arg) => {
    if (!isNumeric(arg)) throw typeMismatch(`Cannot increment with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`);
    const cur = getPath(doc, path);
    if (cur !== undefined && !isNumeric(cur)) throw typeMismatch(`Cannot apply $inc to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${path}' of non-numeric type ${typeof cur}`);
    setAt(doc, path, cur === undefined ? arg : addNumeric(cur, arg));
  },
  $mul: (doc, path, arg) => {
    if (!isNumeric(arg)) throw typeMismatch(`Cannot multiply with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`);
    const cur = getPath(doc, path);
    if (cur !== undefined && !isNumeric(cur)) throw typeMismatch(`Cannot apply $mul to a value of non-numeric type. {_id: ${String(doc._id)}} has the field '${path}' of non-numeric type ${typeof cur}`);
    setAt(doc, path, cur === undefined ? zeroLike(arg) : mulNumeric(cur, arg));
  },
  $min: (doc, path, arg) => {
    const cur = getPath(doc, path);
    if (!hasPath(doc, path) || compareValues(arg, cur) < 0) setAt(doc, path, deepClone(arg));
  },
  $max: (doc, path, arg) => {
    const cur = getPath(doc, path);
    if (!hasPath(doc, path) || compareValues(arg, cur) > 0) setAt(doc, path, deepClone(arg));
  },
  $currentDate: (doc, path, arg) => {
    const ts = isDocument(arg) && arg.$type === 'timestamp';
    setAt(doc, path, ts ? Timestamp.fromNumber(Math.floor(Date.now() / 1000) * 2 ** 32) : new Date());
  },
  $rename: (doc, path, arg) => {
    if (typeof arg !== 'string') throw badValue(`The 'to' field for $rename must be a string: ${path}`);
    if (!hasPath(doc, path)) return;
    const v = getPath(doc, path);
    unsetAt(doc, path);
    setAt(doc, arg, v);
  },
  $push: (doc, path, arg) => {
    const cur = arrayAt(doc, path, '$push') ?? [];
    const each = isDocument(arg) && '$each' in arg;
    const items = each ? (arg.$each as unknown[]) : [arg];
    if (!Array.isArray(items)) throw badValue('The argument to $each in $push must be an array');
    const spec = each ? (arg as Doc) : {};
    let arr = [...cur];
    const pos = spec.$position === undefined ? arr.length : Number(spec.$position);
    const at = pos < 0 ? Math.max(0, arr.length + pos) : Math.min(pos, arr.length);
    arr.splice(at, 0, ...items.map(deepClone));
    if (spec.$sort !== undefined) {
      if (isDocument(spec.$sort)) arr = sortDocs(arr as Doc[], spec.$sort);
      else {
        const dir = Number(spec.$sort) < 0 ? -1 : 1;
        arr.sort((a, b) => compareValues(a, b) * dir);
      }
    }
    if (spec.$slice !== undefined) {
      const n = Number(spec.$slice);
      arr = n >= 0 ? arr.slice(0, n) : arr.slice(n);
    }
    setAt(doc, path, arr);
  },
  $addToSet: (doc, path, arg) => {
    const cur = arrayAt(doc, path, '$addToSet') ?? [];
    const items = isDocument(arg) && '$each' in arg ? (arg.$each as unknown[]) : [arg];
    const arr = [...cur];
    for (const item of items) if (!arr.some((e) => valuesEqual(e, item))) arr.push(deepClone(item));
    setAt(doc, path, arr);
  },
  $pull: (doc, path, arg) => {
    const cur = arrayAt(doc, path, '$pull');
    if (!cur) return;
    const m = pullMatcher(arg);
    setAt(doc, path, cur.filter((e) => !m(e)));
  },
  $pullAll: (doc, path, arg) => {
    const cur = arrayAt(doc, path, '$pullAll');
    if (!cur) return;
    if (!Array.isArray(arg)) throw badValue('$pullAll requires an array argument');
    setAt(doc, path, cur.filter((e) => !arg.some((a) => valuesEqual(e, a))));
  },
  $pop: (doc, path, arg) => {
    const cur = arrayAt(doc, path, '$pop');
    if (!cur || !cur.length) return;
    setAt(doc, path, Number(arg) < 0 ? cur.slice(1) : cur.slice(0, -1));
  },
};

/** Applies an operator update in place to `doc` (which must be a private copy). */
export function applyOperators(doc: Doc, update: Doc, ctx: UpdateContext): void {
  const seen: string[] = [];
  for (const [op, fields] of Object.entries(update)) {
    const fn = OPS[op];
    if (!fn) throw failedToParse(`Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (!isDocument(fields)) throw failedToParse(`Modifiers operate on fields but we found type ${typeof fields} instead.`);
    for (const [path, arg] of Object.entries(fields)) {
      if (op === '$setOnInsert' && !ctx.inserting) continue;
      for (const p of [path, ...(op === '$rename' ? [String(arg)] : [])]) {
        const clash = seen.find((s) => s === p || s.startsWith(`${p}.`) || p.startsWith(`${s}.`));
        if (clash) throw conflictingUpdate(`Updating the path '${p}' would create a conflict at '${clash}'`);
        seen.push(p);
      }
      if ((path === '_id' || path.startsWith('_id.')) && op !== '$setOnInsert' && !ctx.inserting) {
        const before = deepClone(doc._id);
        for (const concrete of expandPath(doc, path, ctx)) fn(doc, concrete, arg, ctx);
        if (!valuesEqual(before, doc._id)) throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
        continue;
      }
      for (const concrete of expandPath(doc, path, ctx)) fn(doc, concrete, arg, ctx);
    }
  }
}

/** The equality fields of a filter, as the starting document of an upsert. */
export function upsertSeed(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  const visit = (f: Doc | undefined) => {
    if (!isDocument(f)) return;
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) { v.forEach((x) => visit(x as Doc)); continue; }
      if (k.startsWith('$')) continue;
      if (isDocument(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setAt(seed, k, deepClone(v.$eq));
        continue;
      }
      if (v instanceof RegExp) continue;
      setAt(seed, k, deepClone(v));
    }
  };
  visit(filter);
  return seed;
}
