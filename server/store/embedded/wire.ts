/**
 * MongoDB wire protocol framing: OP_MSG (2013) for commands, legacy OP_QUERY (2004) for the
 * driver's first handshake, answered with OP_REPLY (1). Parsing throws `WireError` on malformed
 * input; the server then closes that one connection.
 */
import { deserialize, serialize, type Document } from 'bson';

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

/** Encodes a reply in the format of the request (OP_MSG, or OP_REPLY for OP_QUERY). */
export function encodeReply(request: Command, doc: Document): Buffer {
  const bson = serialize(doc, { checkKeys: false, ignoreUndefined: false });
  // One buffer for header, fixed part and body: no intermediate buffers, one copy of the body.
  const legacy = request.opCode === OP_QUERY;
  const prefix = legacy ? 16 + 20 : 16 + 5;
  const out = Buffer.allocUnsafe(prefix + bson.length);
  out.writeInt32LE(prefix + bson.length, 0);
  out.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  out.writeInt32LE(request.requestId, 8);
  if (legacy) {
    out.writeInt32LE(OP_REPLY, 12);
    out.writeInt32LE(0, 16); // responseFlags
    out.writeInt32LE(0, 20); // cursorId (int64, low half)
    out.writeInt32LE(0, 24); // cursorId (high half)
    out.writeInt32LE(0, 28); // startingFrom
    out.writeInt32LE(1, 32); // numberReturned
  } else {
    out.writeInt32LE(OP_MSG, 12);
    out.writeUInt32LE(0, 16); // flagBits
    out[20] = 0; // section kind 0: body
  }
  out.set(bson, prefix);
  return out;
}
