/**
 * Numeric glue for the four BSON number types. Stored documents keep int32 and double as JS
 * numbers, int64 as bson `Long` and decimal as `Decimal128`; arithmetic follows MongoDB's type
 * promotion (int -> long -> double -> decimal) so `$inc` and `$sum` keep the wider type.
 */
import { Decimal128, Long } from 'bson';

export type NumKind = 'int' | 'long' | 'double' | 'decimal';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** True for any BSON number (JS number, Int32/Double wrappers, Long, Decimal128). */
export function isNumeric(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  const t = (v as { _bsontype?: string } | null)?._bsontype;
  return t === 'Long' || t === 'Decimal128' || t === 'Int32' || t === 'Double';
}

/** The BSON kind a value would be stored as. */
export function numKind(v: unknown): NumKind {
  if (typeof v === 'number') return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? 'int' : 'double';
  if (typeof v === 'bigint') return 'long';
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'Long': return 'long';
    case 'Decimal128': return 'decimal';
    case 'Int32': return 'int';
    default: return 'double';
  }
}

/** Best-effort conversion to a JS number (used for ordering and averages). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Long') return (v as Long).toNumber();
  if (t === 'Decimal128') return Number((v as Decimal128).toString());
  return Number((v as { valueOf(): number }).valueOf());
}

function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if ((v as { _bsontype?: string })._bsontype === 'Long') return (v as Long).toBigInt();
  const n = toNumber(v);
  return Number.isInteger(n) ? BigInt(n) : null;
}

/** Compares two numerics numerically, exactly for integers of any width; NaN sorts first. */
export function compareNumeric(a: unknown, b: unknown): number {
  const ka = numKind(a);
  const kb = numKind(b);
  if ((ka === 'long' || kb === 'long') && ka !== 'decimal' && kb !== 'decimal') {
    const x = toBigInt(a);
    const y = toBigInt(b);
    if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ka === 'decimal' || kb === 'decimal') {
    const x = parseDecimal(a);
    const y = parseDecimal(b);
    if (x && y) return compareDec(x, y);
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A finite decimal as mantissa * 10^exp, exactly. */
interface Dec { m: bigint; e: number }

function parseDecimal(v: unknown): Dec | null {
  const s = numKind(v) === 'decimal' ? (v as Decimal128).toString() : numKind(v) === 'long' ? (v as Long).toString() : String(toNumber(v));
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!match) return null;
  const [, sign, int, frac = '', exp = '0'] = match;
  const digits = `${int}${frac}` || '0';
  const m = BigInt(digits) * (sign === '-' ? -1n : 1n);
  return { m, e: Number(exp) - frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

function compareDec(a: Dec, b: Dec): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function decToString(d: Dec): string {
  return d.e === 0 ? d.m.toString() : `${d.m.toString()}E${d.e}`;
}

function rank(k: NumKind): number {
  return { int: 0, long: 1, double: 2, decimal: 3 }[k];
}

function fromKind(kind: NumKind, exactInt: bigint | null, approx: number): unknown {
  if (kind === 'int') {
    if (exactInt !== null && exactInt >= BigInt(INT32_MIN) && exactInt <= BigInt(INT32_MAX)) return Number(exactInt);
    return exactInt !== null ? Long.fromBigInt(exactInt) : approx;
  }
  if (kind === 'long') return exactInt !== null ? Long.fromBigInt(BigInt.asIntN(64, exactInt)) : approx;
  return approx;
}

function arith(a: unknown, b: unknown, op: 'add' | 'mul'): unknown {
  const kind = rank(numKind(a)) >= rank(numKind(b)) ? numKind(a) : numKind(b);
  if (kind === 'decimal') {
    const x = parseDecimal(a);
    const y = parseDecimal(b);
    if (!x || !y) return Decimal128.fromString('NaN');
    if (op === 'mul') return Decimal128.fromString(decToString({ m: x.m * y.m, e: x.e + y.e }));
    const [p, q, e] = align(x, y);
    return Decimal128.fromString(decToString({ m: p + q, e }));
  }
  if (kind === 'double') return op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
  const x = toBigInt(a);
  const y = toBigInt(b);
  if (x === null || y === null) return op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
  const r = op === 'add' ? x + y : x * y;
  return fromKind(kind, r, Number(r));
}

/** a + b with MongoDB's type promotion. */
export const addNumeric = (a: unknown, b: unknown): unknown => arith(a, b, 'add');
/** a * b with MongoDB's type promotion. */
export const mulNumeric = (a: unknown, b: unknown): unknown => arith(a, b, 'mul');

/** A zero of the same BSON kind (used by `$mul` on a missing field). */
export function zeroLike(v: unknown): unknown {
  switch (numKind(v)) {
    case 'long': return Long.fromInt(0);
    case 'decimal': return Decimal128.fromString('0');
    default: return 0;
  }
}

/** Canonical key fragment for a numeric: equal numbers of any type share it. */
export function numericKey(v: unknown): string {
  const k = numKind(v);
  if (k === 'long') {
    const big = (v as Long).toBigInt();
    return Number.isSafeInteger(Number(big)) ? `n${Number(big)}` : `n${big}`;
  }
  if (k === 'decimal') {
    const n = Number((v as Decimal128).toString());
    return `n${Object.is(n, -0) ? 0 : n}`;
  }
  const n = toNumber(v);
  return `n${Object.is(n, -0) ? 0 : n}`;
}
