/**
 * The BSON encoding of documents for replies, with a cache for stored documents.
 *
 * Stored documents are never mutated (a write builds a new object and swaps it in), so the
 * bytes of a stored document never go stale: a document read again (the common case of point
 * lookups) is copied into the reply instead of being serialised again. The bytes hang off the
 * document itself, under a non-enumerable symbol (no lookup table to search; invisible to
 * `Object.keys`, spreads, `Object.assign` and bson), and the collection drops them when it
 * replaces or removes the document. The cache is bounded by a byte budget and drops its oldest
 * entries first. Replies always get a copy of the bytes, never the cached buffer.
 */
import { serialize } from 'bson';
import type { Doc } from './paths';

/** How many bytes of encoded documents are kept at most (all stores of the process together). */
const BUDGET_BYTES = 32 * 1024 * 1024;
/** Documents larger than this are not cached (a few of them would flush everything else). */
const MAX_CACHED_BYTES = 64 * 1024;

const SERIALIZE = { checkKeys: false, ignoreUndefined: false } as const;

const BYTES = Symbol('bson bytes');
type Cached = Doc & { [BYTES]?: Uint8Array };

/** Documents that got bytes, oldest first; entries whose bytes were dropped are skipped. */
let order: Cached[] = [];
let head = 0;
let cachedBytes = 0;
let cachedCount = 0;

/** The BSON encoding of any document (not cached). */
export function encodeDoc(doc: Doc): Uint8Array {
  return serialize(doc, SERIALIZE);
}

/** The BSON encoding of a stored document (cached; callers must copy, not modify, it). */
export function storedDocBytes(doc: Doc): Uint8Array {
  const hit = (doc as Cached)[BYTES];
  if (hit !== undefined) return hit;
  const fresh = serialize(doc, SERIALIZE);
  if (fresh.length > MAX_CACHED_BYTES) return fresh;
  // A private copy: `serialize` hands out slices of Node's shared 8 KiB pool, and a long-lived
  // slice would keep its whole pool alive.
  const bytes = new Uint8Array(fresh);
  Object.defineProperty(doc, BYTES, { value: bytes, writable: true, configurable: true, enumerable: false });
  order.push(doc);
  cachedBytes += bytes.length;
  cachedCount++;
  if (cachedBytes > BUDGET_BYTES) evict(BUDGET_BYTES / 2);
  else if (order.length - head > 2 * cachedCount + 1024) compact();
  return bytes;
}

/** The cached encoding of a stored document if there is one, else a fresh one (not cached). */
export function storedDocBytesIfCached(doc: Doc): Uint8Array {
  return (doc as Cached)[BYTES] ?? serialize(doc, SERIALIZE);
}

/** Forgets the bytes of a stored document that was replaced or removed. */
export function forgetDoc(doc: Doc): void {
  const hit = (doc as Cached)[BYTES];
  if (hit !== undefined) {
    (doc as Cached)[BYTES] = undefined;
    cachedBytes -= hit.length;
    cachedCount--;
  }
}

/** Drops the oldest entries until at most `target` bytes remain. */
function evict(target: number): void {
  while (cachedBytes > target && head < order.length) {
    const doc = order[head];
    order[head++] = undefined as unknown as Cached;
    forgetDoc(doc);
  }
  compact();
}

/** Removes the queue entries of documents whose bytes are gone (replaced, removed, evicted). */
function compact(): void {
  const live: Cached[] = [];
  for (let i = head; i < order.length; i++) if (order[i]?.[BYTES] !== undefined) live.push(order[i]);
  order = live;
  head = 0;
}

/** Cached entries and bytes (for tests and diagnostics). */
export function docBytesCacheSize(): { entries: number; bytes: number } {
  return { entries: cachedCount, bytes: cachedBytes };
}
