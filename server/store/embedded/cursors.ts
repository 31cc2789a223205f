/**
 * Server-side cursors: a snapshot array of results handed out in batches by getMore.
 * Stored documents are never mutated in place, so a snapshot stays consistent. Idle cursors
 * are reaped after ten minutes, as MongoDB does. Batches leave encoded (BSON), so the encoding
 * of stored documents can come from the cache (`docbytes.ts`).
 */
import { Long } from 'bson';
import { encodeDoc, storedDocBytes, storedDocBytesIfCached } from './docbytes';
import { cursorNotFound } from './errors';
import type { Doc } from './paths';
import { batchElementBytes, MAX_BSON_BYTES } from './wire';

const IDLE_MS = 10 * 60 * 1000;
const DEFAULT_FIRST_BATCH = 101;
/** Leave room for the reply envelope inside one 16 MiB document. */
const BATCH_BYTES = MAX_BSON_BYTES - 64 * 1024;

/**
 * Where a cursor's documents come from: stored documents (returned as they are, or through a
 * projection), or documents computed for this result (aggregation output).
 */
export type CursorSource = { stored: true; project?: (d: Doc) => Doc } | { stored: false };

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  encode: (d: Doc) => Uint8Array;
  lastUsed: number;
}

export interface Batch {
  id: Long;
  ns: string;
  /** The BSON of each document. */
  batch: Uint8Array[];
}

/**
 * Results of at most this many stored documents (point lookups and other small queries) put
 * their encodings in the cache; larger ones only use what is there, so a big scan costs no
 * more than encoding its documents once.
 */
const CACHED_RESULT_DOCS = 16;

function encoderFor(source: CursorSource, count: number): (d: Doc) => Uint8Array {
  if (!source.stored) return encodeDoc;
  const { project } = source;
  if (project) return (d) => encodeDoc(project(d));
  return count <= CACHED_RESULT_DOCS ? storedDocBytes : storedDocBytesIfCached;
}

export class Cursors {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = BigInt(Date.now() % 1_000_000) * 1000n + 1n;

  /** Takes up to `batchSize` documents (and at most ~16 MiB) from position `pos`. */
  private take(c: OpenCursor, batchSize: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    // A batch of one document needs no size accounting: the first document is always taken.
    if (c.pos < c.docs.length && (batchSize === 1 || c.pos === c.docs.length - 1)) {
      out.push(c.encode(c.docs[c.pos++]));
      return out;
    }
    let bytes = 0;
    while (c.pos < c.docs.length && (batchSize <= 0 || out.length < batchSize)) {
      const d = c.encode(c.docs[c.pos]);
      bytes += batchElementBytes(out.length, d.length);
      if (bytes > BATCH_BYTES && out.length > 0) break;
      out.push(d);
      c.pos++;
    }
    return out;
  }

  /** First batch of a result; registers a cursor when more remains. */
  first(ns: string, docs: Doc[], source: CursorSource, batchSize: number | undefined, singleBatch = false): Batch {
    const c: OpenCursor = { ns, docs, pos: 0, encode: encoderFor(source, docs.length), lastUsed: Date.now() };
    const batch = this.take(c, batchSize === undefined ? DEFAULT_FIRST_BATCH : batchSize);
    if (singleBatch || c.pos >= docs.length) return { id: Long.ZERO, ns, batch };
    const id = this.nextId++;
    this.open.set(id.toString(), c);
    this.reap();
    return { id: Long.fromBigInt(id), ns, batch };
  }

  getMore(id: Long, batchSize: number | undefined): Batch {
    const key = id.toString();
    const c = this.open.get(key);
    if (!c) throw cursorNotFound(`cursor id ${key} not found`);
    c.lastUsed = Date.now();
    const batch = this.take(c, batchSize ?? 0);
    if (c.pos >= c.docs.length) {
      this.open.delete(key);
      return { id: Long.ZERO, ns: c.ns, batch };
    }
    return { id, ns: c.ns, batch };
  }

  /** Kills cursors; returns which ids were found. */
  kill(ids: Long[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id.toString()) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  get size(): number {
    return this.open.size;
  }

  private reap(): void {
    const now = Date.now();
    for (const [k, c] of this.open) if (now - c.lastUsed > IDLE_MS) this.open.delete(k);
  }
}
