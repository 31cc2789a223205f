/**
 * BSON-aware ordering and equality, following MongoDB's comparison order:
 * MinKey < null/missing < numbers < strings < objects < arrays < binary < ObjectId < booleans
 * < dates < timestamps < regular expressions < MaxKey. Numbers of all four BSON types compare
 * by value. `keyString` gives a canonical string used as the key of hash indexes.
 */
import { compareNumeric, isNumeric, numericKey } from './numeric';

type Bsonish = { _bsontype?: string };

/** Rank of a value's type in MongoDB's cross-type sort order. */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 2;
  switch (typeof v) {
    case 'number': case 'bigint': return 3;
    case 'string': return 4;
    case 'boolean': return 9;
    case 'object': break;
    default: return 4;
  }
  if (Array.isArray(v)) return 6;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  switch ((v as Bsonish)._bsontype) {
    case undefined: return v instanceof Uint8Array ? 7 : 5;
    case 'MinKey': return 1;
    case 'MaxKey': return 14;
    case 'Long': case 'Decimal128': case 'Int32': case 'Double': return 3;
    case 'BSONSymbol': return 4;
    case 'Binary': return 7;
    case 'ObjectId': return 8;
    case 'Timestamp': return 11;
    case 'BSONRegExp': return 12;
    default: return 5;
  }
}

const cmp = <T>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const b = v as { buffer: Uint8Array; sub_type?: number };
  return b.buffer;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return cmp(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return cmp(a[i], b[i]);
  return 0;
}

/** Total order over BSON values, as MongoDB sorts them (arrays compare element-wise). */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return cmp(ra, rb);
  switch (ra) {
    case 1: case 2: case 14: return 0;
    case 3: return typeof a === 'number' && typeof b === 'number' ? (Number.isNaN(a) || Number.isNaN(b) ? compareNumeric(a, b) : cmp(a, b)) : compareNumeric(a, b);
    case 4: return cmp(String(a), String(b));
    case 5: return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 6: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return cmp(x.length, y.length);
    }
    case 7: {
      const sa = (a as { sub_type?: number }).sub_type ?? 0;
      const sb = (b as { sub_type?: number }).sub_type ?? 0;
      const x = bytesOf(a);
      const y = bytesOf(b);
      if (x.length !== y.length) return cmp(x.length, y.length);
      return sa !== sb ? cmp(sa, sb) : compareBytes(x, y);
    }
    case 8: return cmp((a as { toHexString(): string }).toHexString(), (b as { toHexString(): string }).toHexString());
    case 9: return cmp(Number(a), Number(b));
    case 10: return cmp((a as Date).getTime(), (b as Date).getTime());
    case 11: return compareNumeric((a as { toBigInt?: () => bigint }).toBigInt?.() ?? 0n, (b as { toBigInt?: () => bigint }).toBigInt?.() ?? 0n);
    case 12: return cmp(regexText(a), regexText(b));
    default: return cmp(keyString(a), keyString(b));
  }
}

function regexText(v: unknown): string {
  if (v instanceof RegExp) return `${v.source}/${v.flags}`;
  const r = v as { pattern: string; options: string };
  return `${r.pattern}/${r.options}`;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = cmp(typeRank(a[ka[i]]), typeRank(b[kb[i]])) || cmp(ka[i], kb[i]) || compareValues(a[ka[i]], b[kb[i]]);
    if (c) return c;
  }
  return cmp(ka.length, kb.length);
}

/** MongoDB equality: numbers by value, documents field-by-field in order. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a === 'string' || typeof b === 'string') return false;
  return compareValues(a, b) === 0;
}

/**
 * A canonical string for a value: two values are equal in MongoDB terms exactly when their keys
 * are equal (numbers of different BSON types share a key). Used by hash indexes.
 */
export function keyString(v: unknown): string {
  if (v === undefined || v === null) return 'z';
  switch (typeof v) {
    case 'string': return `s${v}`;
    case 'number': case 'bigint': return numericKey(v);
    case 'boolean': return v ? 'b1' : 'b0';
    case 'object': break;
    default: return `?${String(v)}`;
  }
  if (Array.isArray(v)) return `[${v.map(keyString).join('\u0002')}]`;
  if (v instanceof Date) return `d${v.getTime()}`;
  if (v instanceof RegExp) return `r${v.source}/${v.flags}`;
  const t = (v as Bsonish)._bsontype;
  if (t === 'ObjectId') return `o${(v as { toHexString(): string }).toHexString()}`;
  if (isNumeric(v)) return numericKey(v);
  if (t === 'Binary') return `x${(v as { sub_type: number }).sub_type}:${Buffer.from(bytesOf(v)).toString('base64')}`;
  if (t === 'MinKey') return 'm-';
  if (t === 'MaxKey') return 'm+';
  if (t === 'Timestamp' || t === 'BSONSymbol' || t === 'Code' || t === 'BSONRegExp') return `${t}${String(v)}`;
  if (v instanceof Uint8Array) return `x0:${Buffer.from(v).toString('base64')}`;
  const obj = v as Record<string, unknown>;
  let out = '{';
  for (const k of Object.keys(obj)) out += `${JSON.stringify(k)}:${keyString(obj[k])}\u0003`;
  return `${out}}`;
}

/** A plain document (not an array, date, regex or BSON value object). */
export function isDocument(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && typeRank(v) === 5 && !(v instanceof Uint8Array);
}
