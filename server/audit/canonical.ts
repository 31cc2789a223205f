/**
 * Canonical JSON and the chain hash. The same bytes must come out of an event before it is stored
 * and after it is read back, so only a few value kinds are allowed and each has one spelling:
 * keys sorted, Dates as ISO strings, ObjectIds as lower-case hex, undefined members dropped.
 */
import { createHash } from 'node:crypto';

/** prevHash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Stored fields that are not part of an event's hashed content. */
const NOT_CONTENT = new Set(['_id', '__v', 'prevHash', 'hash']);

function isObjectId(v: object): v is { toHexString(): string } {
  return (v as { _bsontype?: unknown })._bsontype === 'ObjectId' && typeof (v as { toHexString?: unknown }).toHexString === 'function';
}

/** Canonical JSON of a value; throws on values with no single spelling (NaN, Buffers, Longs...). */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('canonicalJson: invalid Date');
    return JSON.stringify(value.toISOString());
  }
  if (isObjectId(value)) return JSON.stringify(value.toHexString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`canonicalJson: unsupported object ${proto?.constructor?.name ?? 'unknown'}`);
  }
  const obj = value as Record<string, unknown>;
  const members = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
  return `{${members.join(',')}}`;
}

/** The hashed content of a stored (raw) event: every field except `_id`, `__v`, `prevHash`, `hash`. */
export function auditContent(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!NOT_CONTENT.has(k)) out[k] = v;
  return out;
}

/** `sha256(prevHash + canonicalJson(content))`, hex. */
export function chainHash(prevHash: string, content: Record<string, unknown>): string {
  return createHash('sha256').update(prevHash + canonicalJson(content), 'utf8').digest('hex');
}

/** The hash a stored (raw) event should carry, recomputed from its own fields. */
export function expectedHash(raw: Record<string, unknown>): string {
  return chainHash(String(raw.prevHash), auditContent(raw));
}
