/**
 * MongoDB wire protocol framing: OP_MSG (2013) for commands, legacy OP_QUERY (2004) for the
 * driver's first handshake, answered with OP_REPLY (1). Parsing throws `WireError` on malformed
 * input; the server then closes that one connection.
 */
import { deserialize, serialize, type Document, type Long } from 'bson';
import { decodeCommand } from './bsonread';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const OP_COMPRESSED = 2012;

const CHECKSUM_PRESENT = 1;
/** Flag bit: the sender expects no reply. */
export const MORE_TO_COME = 2;

export class WireError extends Error {}

/** Largest message the store accepts (MongoDB's default maxMessageSizeBytes). */
export const MAX_MESSAGE_BYTES = 48_000_000;
/** Largest single document. */
export const MAX_BSON_BYTES = 16 * 1024 * 1024;

/** Integers stay numbers, int64 stays Long so its type survives a round trip. */
const DESERIALIZE = { promoteLongs: false, useBigInt64: false } as const;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A parsed command: the body document plus any kind-1 document sequences merged in. */
export interface Command {
  requestId: number;
  opCode: number;
  moreToCome: boolean;
  body: Document;
}

export function readHeader(buf: Buffer): Header {
  return { length: buf.readInt32LE(0), requestId: buf.readInt32LE(4), responseTo: buf.readInt32LE(8), opCode: buf.readInt32LE(12) };
}

function readDoc(buf: Buffer, offset: number, end: number): [Document, number] {
  if (offset + 5 > end) throw new WireError('truncated document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end || buf[offset + size - 1] !== 0) throw new WireError('invalid document length');
  const fast = decodeCommand(buf, offset, offset + size);
  if (fast) return [fast, offset + size];
  try {
    return [deserialize(buf.subarray(offset, offset + size), DESERIALIZE), offset + size];
  } catch (err) {
    throw new WireError(`invalid BSON: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new WireError('unterminated string');
  return [buf.toString('utf8', offset, zero), zero + 1];
}

/** Parses one complete message (header included). */
export function parseMessage(buf: Buffer): Command {
  const h = readHeader(buf);
  if (h.opCode === OP_MSG) {
    const flags = buf.readUInt32LE(16);
    const end = flags & CHECKSUM_PRESENT ? h.length - 4 : h.length;
    let offset = 20;
    let body: Document | null = null;
    let sequences: Record<string, Document[]> | null = null;
    while (offset < end) {
      const kind = buf[offset++];
      if (kind === 0) {
        [body, offset] = readDoc(buf, offset, end);
      } else if (kind === 1) {
        if (offset + 4 > end) throw new WireError('truncated section');
        const size = buf.readInt32LE(offset);
        const sectionEnd = offset + size;
        if (size < 5 || sectionEnd > end) throw new WireError('invalid section length');
        let id: string;
        [id, offset] = readCString(buf, offset + 4, sectionEnd);
        const docs: Document[] = [];
        while (offset < sectionEnd) {
          let d: Document;
          [d, offset] = readDoc(buf, offset, sectionEnd);
          docs.push(d);
        }
        (sequences ??= {})[id] = docs;
      } else throw new WireError(`unknown section kind ${kind}`);
    }
    if (!body) throw new WireError('OP_MSG without a body section');
    if (sequences) for (const id of Object.keys(sequences)) body[id] = sequences[id];
    return { requestId: h.requestId, opCode: h.opCode, moreToCome: Boolean(flags & MORE_TO_COME), body };
  }
  if (h.opCode === OP_QUERY) {
    let offset = 20;
    let ns: string;
    [ns, offset] = readCString(buf, offset, h.length);
    offset += 8;
    const [query] = readDoc(buf, offset, h.length);
    const body: Document = query.$query && typeof query.$query === 'object' ? { ...query.$query } : query;
    if (!body.$db) body.$db = ns.split('.')[0];
    return { requestId: h.requestId, opCode: h.opCode, moreToCome: false, body };
  }
  throw new WireError(`unsupported opCode ${h.opCode}`);
}

let nextRequestId = 1;

/**
 * A cursor reply, `{cursor: {firstBatch|nextBatch: [...], id, ns}, ok: 1}`, whose documents are
 * already encoded: `encodeReply` copies them into the message instead of serialising them again.
 */
export class CursorReply {
  constructor(
    readonly id: Long,
    readonly ns: string,
    readonly key: 'firstBatch' | 'nextBatch',
    /** The BSON of each document of the batch. */
    readonly docs: Uint8Array[],
  ) {}
}

/** Bytes an array element of `bytes` takes inside the batch array: type, decimal key, NUL, document. */
export function batchElementBytes(index: number, bytes: number): number {
  return 2 + decimalDigits(index) + bytes;
}

function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) { n = Math.floor(n / 10); digits++; }
  return digits;
}

/** Writes the message header and the fixed part of the reply; returns where the body starts. */
function writePrefix(out: Buffer, request: Command, total: number): number {
  out.writeInt32LE(total, 0);
  out.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  out.writeInt32LE(request.requestId, 8);
  if (request.opCode === OP_QUERY) {
    out.writeInt32LE(OP_REPLY, 12);
    out.writeInt32LE(0, 16); // responseFlags
    out.writeInt32LE(0, 20); // cursorId (int64, low half)
    out.writeInt32LE(0, 24); // cursorId (high half)
    out.writeInt32LE(0, 28); // startingFrom
    out.writeInt32LE(1, 32); // numberReturned
    return 36;
  }
  out.writeInt32LE(OP_MSG, 12);
  out.writeUInt32LE(0, 16); // flagBits
  out[20] = 0; // section kind 0: body
  return 21;
}

const BSON_DOCUMENT = 0x03;
const BSON_STRING = 0x02;
const BSON_INT64 = 0x12;

/**
 * The fixed bytes of a cursor reply around its documents, for `firstBatch` and `nextBatch`:
 * `{cursor: {<key>: [` with three length slots, and `], id: ` / `, ns: ` / `}, ok: 1}` pieces.
 */
function envelopeHead(key: string): Buffer {
  const keyBytes = Buffer.from(key, 'latin1');
  // int32 body | 0x03 'cursor' NUL | int32 cursor | 0x04 key NUL | int32 array
  const head = Buffer.alloc(4 + 1 + 7 + 4 + 1 + keyBytes.length + 1 + 4);
  let at = 4;
  head[at++] = 0x03;
  at += head.write('cursor\0', at, 'latin1');
  at += 4;
  head[at++] = 0x04;
  at += keyBytes.copy(head, at);
  head[at++] = 0;
  return head;
}
const HEADS = { firstBatch: envelopeHead('firstBatch'), nextBatch: envelopeHead('nextBatch') };
/** From the end of the batch array to the id's value: NUL, 0x12 'id' NUL. */
const ID_FIELD = Buffer.from([0x00, BSON_INT64, 0x69, 0x64, 0x00]);
/** The end: NUL (end of cursor), 0x10 'ok' NUL, int32 1, NUL (end of body). */
const OK_TAIL = Buffer.from([0x00, 0x10, 0x6f, 0x6b, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);

/** The UTF-8 bytes of the last namespace seen (replies to one collection repeat it). */
let lastNs = '';
let lastNsBytes = Buffer.alloc(0);

function nsBytes(ns: string): Buffer {
  if (ns !== lastNs) {
    lastNsBytes = Buffer.from(ns, 'utf8');
    lastNs = ns;
  }
  return lastNsBytes;
}

/** Writes a cursor reply as one buffer: header, envelope, and a copy of each encoded document. */
function encodeCursorReply(request: Command, reply: CursorReply): Buffer {
  const { docs } = reply;
  const head = HEADS[reply.key];
  let arrayBytes = 4 + 1;
  for (let i = 0; i < docs.length; i++) arrayBytes += batchElementBytes(i, docs[i].length);
  const ns = nsBytes(reply.ns);
  // cursor: {<key>: [..], id: <int64>, ns: <string>}
  const cursorBytes = 4 + (head.length - 20 + arrayBytes) + (1 + 3 + 8) + (1 + 3 + 4 + ns.length + 1) + 1;
  // {cursor: {...}, ok: 1}
  const bodyBytes = 4 + (1 + 7 + cursorBytes) + (1 + 3 + 4) + 1;
  if (bodyBytes > MAX_BSON_BYTES + 16 * 1024) throw new WireError(`reply of ${bodyBytes} bytes is too large`);
  const prefix = request.opCode === OP_QUERY ? 36 : 21;
  const out = Buffer.allocUnsafe(prefix + bodyBytes);
  let at = writePrefix(out, request, prefix + bodyBytes);
  out.set(head, at);
  out.writeInt32LE(bodyBytes, at);
  out.writeInt32LE(cursorBytes, at + 12);
  at += head.length;
  out.writeInt32LE(arrayBytes, at - 4);
  for (let i = 0; i < docs.length; i++) {
    out[at++] = BSON_DOCUMENT;
    if (i < 10) out[at++] = 0x30 + i;
    else at += out.write(String(i), at, 'latin1');
    out[at++] = 0;
    out.set(docs[i], at);
    at += docs[i].length;
  }
  out.set(ID_FIELD, at);
  at += ID_FIELD.length;
  at = out.writeInt32LE(reply.id.low, at);
  at = out.writeInt32LE(reply.id.high, at);
  out[at++] = BSON_STRING;
  out[at++] = 0x6e; // n
  out[at++] = 0x73; // s
  out[at++] = 0;
  at = out.writeInt32LE(ns.length + 1, at);
  out.set(ns, at);
  at += ns.length;
  out[at++] = 0;
  out.set(OK_TAIL, at);
  at += OK_TAIL.length;
  if (at !== out.length) throw new Error(`cursor reply length mismatch (${at} != ${out.length})`);
  return out;
}

/** Encodes a reply in the format of the request (OP_MSG, or OP_REPLY for OP_QUERY). */
export function encodeReply(request: Command, doc: Document | CursorReply): Buffer {
  if (doc instanceof CursorReply) return encodeCursorReply(request, doc);
  const bson = serialize(doc, { checkKeys: false, ignoreUndefined: false });
  // One buffer for header, fixed part and body: no intermediate buffers, one copy of the body.
  const prefix = request.opCode === OP_QUERY ? 36 : 21;
  const out = Buffer.allocUnsafe(prefix + bson.length);
  writePrefix(out, request, prefix + bson.length);
  out.set(bson, prefix);
  return out;
}
