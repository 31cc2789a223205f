/**
 * The TCP side: accepts connections, frames messages, runs each command synchronously (so each
 * command is atomic), journals its changes, then replies. The replies to messages that arrived
 * in one read leave in one write. A malformed or oversized message closes only the connection
 * that sent it (after the replies to the messages before it).
 */
import net from 'node:net';
import { runCommand, commandName, type CommandContext } from './commands';
import { Cursors } from './cursors';
import { Engine } from './engine';
import type { Journal } from './journal';
import type { StoreLogger } from './logger';
import { encodeReply, MAX_MESSAGE_BYTES, parseMessage, WireError } from './wire';

export interface ServerParts {
  engine: Engine;
  journal?: Journal;
  logger: StoreLogger;
}

/** One client connection and the bytes of a message not yet complete. */
interface Connection {
  readonly socket: net.Socket;
  readonly id: number;
  chunks: Buffer[];
  buffered: number;
}

export class StoreServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly cursors = new Cursors();
  private nextConnectionId = 1;

  constructor(private readonly parts: ServerParts) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn: Connection = { socket, id: this.nextConnectionId++, chunks: [], buffered: 0 };
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('data', (data) => this.receive(conn, data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private drop(conn: Connection, reason: string, fields: object = {}): void {
    this.parts.logger.warn({ category: 'store', connectionId: conn.id, reason, ...fields }, 'closing connection after bad message');
    // Replies to the messages before the bad one still go out.
    while (conn.socket.writableCorked) conn.socket.uncork();
    conn.socket.destroy();
  }

  /** Frames the messages of one read and runs them in order. */
  private receive(conn: Connection, data: Buffer): void {
    conn.chunks.push(data);
    conn.buffered += data.length;
    // When one read holds several pipelined messages, their replies leave in one write.
    let corked = false;
    while (conn.buffered >= 4) {
      if (conn.chunks[0].length < 4) conn.chunks = [Buffer.concat(conn.chunks)];
      const length = conn.chunks[0].readInt32LE(0);
      if (length < 16 + 5 || length > MAX_MESSAGE_BYTES) {
        this.drop(conn, length > MAX_MESSAGE_BYTES ? 'message too large' : 'invalid message length', { bytes: length });
        return;
      }
      // Wait for the whole message before joining chunks (joining on every read is quadratic).
      if (conn.buffered < length) break;
      const buf = conn.chunks.length === 1 ? conn.chunks[0] : Buffer.concat(conn.chunks, conn.buffered);
      const rest = buf.subarray(length);
      conn.chunks = rest.length ? [rest] : [];
      conn.buffered = rest.length;
      if (!corked && conn.buffered > 0) {
        corked = true;
        conn.socket.cork();
      }
      if (!this.handle(conn, buf.subarray(0, length))) return;
    }
    if (corked) conn.socket.uncork();
  }

  private reply(conn: Connection, bytes: Buffer): void {
    if (!conn.socket.destroyed) conn.socket.write(bytes);
  }

  /** Handles one message; returns false when the connection was closed. */
  private handle(conn: Connection, message: Buffer): boolean {
    let request;
    try {
      request = parseMessage(message);
    } catch (err) {
      this.drop(conn, err instanceof WireError ? err.message : 'unparseable message', { bytes: message.length });
      return false;
    }
    const connectionId = conn.id;
    const ctx: CommandContext = {
      engine: this.parts.engine,
      cursors: this.cursors,
      db: typeof request.body.$db === 'string' ? request.body.$db : 'admin',
      connectionId,
    };
    const { reply, internal } = runCommand(request.body, ctx);
    if (internal) {
      // The message is cut before any quoted or JSON part: it could echo document values.
      const err = internal.message.replace(/[{["'].*$/s, '…').slice(0, 120);
      this.parts.logger.error({ category: 'store', connectionId, command: commandName(request.body), err }, 'command failed');
    }
    const changes = this.parts.engine.drain();
    if (changes.length && this.parts.journal) {
      try {
        this.parts.journal.append(changes, this.parts.engine);
      } catch (err) {
        this.parts.logger.error({ category: 'store', connectionId, err: (err as Error).message }, 'journal write failed');
        if (!request.moreToCome) this.reply(conn, encodeReply(request, { ok: 0, errmsg: 'journal write failed', code: 1, codeName: 'InternalError' }));
        return true;
      }
    }
    if (request.moreToCome) return true;
    let bytes: Buffer;
    try {
      bytes = encodeReply(request, reply);
    } catch (err) {
      this.parts.logger.error({ category: 'store', connectionId, command: commandName(request.body), err: (err as Error).message }, 'reply could not be encoded');
      bytes = encodeReply(request, { ok: 0, errmsg: `reply could not be encoded: ${(err as Error).message}`, code: 10334, codeName: 'BSONObjectTooLarge' });
    }
    this.reply(conn, bytes);
    return true;
  }
}
