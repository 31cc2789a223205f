/**
 * Command dispatch. Looks the command up by its first field, refuses transactions (this store
 * cannot roll back, so it never pretends to), and turns errors into `{ok: 0, errmsg, code}`.
 */
import type { Document } from 'bson';
import { MingoError } from 'mingo/util';
import { commandNotFound, notSupportedInTransaction, StoreError, toStoreError } from '../errors';
import { adminCommands } from './admin';
import type { CommandContext, Handler } from './context';
import { handshakeCommands } from './handshake';
import { readCommands } from './read';
import { writeCommands } from './write';

export type { CommandContext } from './context';

const TRANSACTIONS_REFUSED =
  'Transactions are not supported by the embedded store. Set MONGODB_URI to a MongoDB replica set to use transactions.';

const handlers: Record<string, Handler> = {
  ...handshakeCommands,
  ...adminCommands,
  ...readCommands,
  ...writeCommands,
  abortTransaction: () => ({ ok: 1 }),
  commitTransaction: () => { throw notSupportedInTransaction(TRANSACTIONS_REFUSED); },
};

/** The command's name (its first field). */
export function commandName(body: Document): string {
  for (const k in body) return k;
  return '';
}

/** An error reply. */
export function errorReply(err: StoreError): Document {
  return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
}

/** Runs one command; never throws. `internal` is set when the failure was a bug, not bad input. */
export function runCommand(body: Document, ctx: CommandContext): { reply: Document; internal?: Error } {
  const name = commandName(body);
  try {
    if (body.startTransaction || body.autocommit === false) throw notSupportedInTransaction(TRANSACTIONS_REFUSED);
    const handler = Object.prototype.hasOwnProperty.call(handlers, name) ? handlers[name] : undefined;
    if (!handler) throw commandNotFound(`no such command: '${name}'`);
    return { reply: handler(body, ctx) };
  } catch (err) {
    // mingo errors are bad queries (unknown operator, wrong argument), not faults of the store.
    const internal = err instanceof StoreError || err instanceof MingoError ? undefined : (err as Error);
    return { reply: errorReply(toStoreError(err)), internal };
  }
}
