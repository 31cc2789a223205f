/**
 * A hook on the models that decide who may see what: consents, decisions to share, agreements,
 * conferences (their participants and status) and API clients (which keys are valid). After every write through mongoose the
 * listener registered here runs, and the write is not finished (its promise does not resolve)
 * until the listener has. Caches of these facts use it to know that what they hold may be out of
 * date (server/commands/sharingVersion.ts).
 */
import type { Schema } from 'mongoose';

type Listener = () => Promise<void>;
let listener: Listener | null = null;

/** Sets the one listener (null to remove it). */
export function onSharingFactsChanged(next: Listener | null): void {
  listener = next;
}

async function changed(): Promise<void> {
  if (listener) await listener();
}

const QUERY_WRITES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/** Registers the post-write hooks on a schema (before its model is compiled). */
export function tellSharingFactsChanges(schema: Schema): void {
  schema.post('save', changed);
  schema.post('insertMany', changed);
  schema.post([...QUERY_WRITES], changed);
}
