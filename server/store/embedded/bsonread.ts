/**
 * A fast decoder for the BSON of incoming commands. It gives exactly what
 * `bson.deserialize(buf, {promoteLongs: false, useBigInt64: false})` gives, for documents made of
 * the common types (ASCII strings, numbers, booleans, null, dates, ObjectIds, int64, UUIDs and
 * other binaries, documents and arrays). For anything else — another type, a non-ASCII string,
 * a DBRef-like or `__proto__` key, or malformed input — it returns `undefined` and the caller
 * decodes with `bson` (which also produces the error for malformed input).
 *
 * bson's general decoder costs more than running a whole indexed lookup, mostly in per-call
 * option handling and generic code; commands are small and regular, so this pays on every request.
 */
import { Binary, Long, ObjectId, UUID } from 'bson';
import type { Doc } from './paths';

/** Thrown inside the decoder to give up; never escapes `decodeCommand`. */
const GIVE_UP = Symbol('give up');

/** Decodes the document at `start` (its length prefix included), or returns undefined to fall back. */
export function decodeCommand(buf: Buffer, start: number, end: number): Doc | undefined {
  try {
    const size = buf.readInt32LE(start);
    if (start + size !== end) return undefined;
    return readDocument(buf, start, end) as Doc;
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

function fail(): never {
  throw GIVE_UP;
}

function int32(buf: Buffer, at: number): number {
  return buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24);
}

/** ASCII text of `buf[from, to)`; gives up on any byte >= 0x80. */
function ascii(buf: Buffer, from: number, to: number): string {
  const n = to - from;
  if (n <= 16) {
    let s = '';
    for (let i = from; i < to; i++) {
      const c = buf[i];
      if (c >= 0x80) fail();
      s += String.fromCharCode(c);
    }
    return s;
  }
  for (let i = from; i < to; i++) if (buf[i] >= 0x80) fail();
  return buf.toString('latin1', from, to);
}

/** Recently seen keys by a hash of their bytes: a hit skips building and internalising the string. */
const KEY_SLOTS = 1024;
const keyCache: (string | undefined)[] = new Array(KEY_SLOTS).fill(undefined);

function keyAt(buf: Buffer, from: number, to: number): string {
  let h = to - from;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
  const slot = h & (KEY_SLOTS - 1);
  const hit = keyCache[slot];
  if (hit !== undefined && hit.length === to - from) {
    let same = true;
    for (let i = 0; i < hit.length; i++) if (hit.charCodeAt(i) !== buf[from + i]) { same = false; break; }
    if (same) return hit;
  }
  const key = ascii(buf, from, to);
  keyCache[slot] = key;
  return key;
}

/** Position of the NUL ending the key that starts at `at` (within `end`). */
function keyEnd(buf: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end && buf[i] !== 0) i++;
  if (i >= end) fail();
  return i;
}

/** A document or array whose length prefix is at `start`; `end` is the limit of its parent. */
function readDocument(buf: Buffer, start: number, end: number, isArray = false): Doc | unknown[] {
  const size = int32(buf, start);
  if (size < 5 || start + size > end) fail();
  const last = start + size - 1;
  if (buf[last] !== 0) fail();
  const out: Doc | unknown[] = isArray ? [] : {};
  let at = start + 4;
  while (at < last) {
    const type = buf[at++];
    const nul = keyEnd(buf, at, last);
    let key = '';
    if (!isArray) {
      key = keyAt(buf, at, nul);
      // bson defines `__proto__` as an own property and turns {$ref, $id} into DBRef objects.
      if (key === '__proto__' || key === '$ref') fail();
    }
    at = nul + 1;
    let value: unknown;
    switch (type) {
      case 0x01: // double
        if (at + 8 > last) fail();
        value = buf.readDoubleLE(at);
        at += 8;
        break;
      case 0x02: { // string
        if (at + 4 > last) fail();
        const len = int32(buf, at);
        at += 4;
        if (len <= 0 || len > last - at || buf[at + len - 1] !== 0) fail();
        value = ascii(buf, at, at + len - 1);
        at += len;
        break;
      }
      case 0x03: // document
      case 0x04: { // array
        if (at + 4 > last) fail();
        const len = int32(buf, at);
        value = readDocument(buf, at, last, type === 0x04);
        at += len;
        break;
      }
      case 0x05: { // binary
        if (at + 5 > last) fail();
        const len = int32(buf, at);
        const subType = buf[at + 4];
        at += 5;
        // Subtype 2 nests a second length; leave it (and its checks) to bson.
        if (len < 0 || len > last - at || subType === 2) fail();
        const bytes = buf.subarray(at, at + len);
        value = subType === 4 && len === 16 ? new UUID(bytes) : new Binary(bytes, subType);
        at += len;
        break;
      }
      case 0x07: // ObjectId
        if (at + 12 > last) fail();
        value = new ObjectId(buf.subarray(at, at + 12));
        at += 12;
        break;
      case 0x08: // boolean
        if (at + 1 > last || buf[at] > 1) fail();
        value = buf[at] === 1;
        at += 1;
        break;
      case 0x09: // UTC datetime
        if (at + 8 > last) fail();
        value = new Date(new Long(int32(buf, at), int32(buf, at + 4)).toNumber());
        at += 8;
        break;
      case 0x0a: // null
        value = null;
        break;
      case 0x10: // int32
        if (at + 4 > last) fail();
        value = int32(buf, at);
        at += 4;
        break;
      case 0x12: // int64, kept as Long (promoteLongs: false)
        if (at + 8 > last) fail();
        value = new Long(int32(buf, at), int32(buf, at + 4));
        at += 8;
        break;
      default:
        fail();
    }
    if (isArray) (out as unknown[]).push(value);
    else (out as Doc)[key] = value;
  }
  if (at !== last) fail();
  return out;
}
