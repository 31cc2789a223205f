/**
 * The TCP side: accepts connections, frames messages, runs each command synchronously (so each
 * command is atomic), journals its changes, then replies. A malformed or oversized message
 * closes only the connection that sent it.
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
    const connectionId = this.nextConnectionId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let chunks: Buffer[] = [];
    let buffered = 0;
    const drop = (reason: string, fields: object = {}) => {
      this.parts.logger.warn({ category: 'store', connectionId, reason, ...fields }, 'closing connection after bad message');
      socket.destroy();
    };
    socket.on('data', (data) => {
      chunks.push(data);
      buffered += data.length;
      // When one read holds several pipelined messages, their replies leave in one write.
      let corked = false;
      while (buffered >= 4) {
        if (chunks[0].length < 4) chunks = [Buffer.concat(chunks)];
        const length = chunks[0].readInt32LE(0);
        if (length < 16 + 5 || length > MAX_MESSAGE_BYTES) {
          drop(length > MAX_MESSAGE_BYTES ? 'message too large' : 'invalid message length', { bytes: length });
          break;
        }
        // Wait for the whole message before joining chunks (joining on every read is quadratic).
        if (buffered < length) break;
        const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
        const message = buf.subarray(0, length);
        const rest = buf.subarray(length);
        chunks = rest.length ? [rest] : [];
        buffered = rest.length;
        if (!corked && buffered > 0) {
          corked = true;
          socket.cork();
        }
        if (!this.handle(socket, message, connectionId, drop)) break;
      }
      if (corked) socket.uncork();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Handles one message; returns false when the connection was closed. */
  private handle(socket: net.Socket, message: Buffer, connectionId: number, drop: (reason: string, f?: object) => void): boolean {
    let request;
    try {
      request = parseMessage(message);
    } catch (err) {
      drop(err instanceof WireError ? err.message : 'unparseable message', { bytes: message.length });
      return false;
    }
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
    try {
      this.parts.journal?.append(changes, this.parts.engine);
    } catch (err) {
      this.parts.logger.error({ category: 'store', connectionId, err: (err as Error).message }, 'journal write failed');
      if (!request.moreToCome) socket.write(encodeReply(request, { ok: 0, errmsg: 'journal write failed', code: 1, codeName: 'InternalError' }));
      return true;
    }
    if (request.moreToCome) return true;
    try {
      socket.write(encodeReply(request, reply));
    } catch (err) {
      this.parts.logger.error({ category: 'store', connectionId, command: commandName(request.body), err: (err as Error).message }, 'reply could not be encoded');
      socket.write(encodeReply(request, { ok: 0, errmsg: `reply could not be encoded: ${(err as Error).message}`, code: 10334, codeName: 'BSONObjectTooLarge' }));
    }
    return true;
  }
}
