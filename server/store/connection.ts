/**
 * Connects mongoose to the selected store (real MongoDB, a spawned mongod, or the embedded store)
 * with the defensive query settings: filters are sanitised (no `$` operators from input) and an
 * unknown field in a query throws instead of silently matching everything.
 */
import mongoose from 'mongoose';
import { selectStore, type SelectedStore } from './select';
import type { Logger } from '../logger';

mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', 'throw');

export interface ConnectedStore {
  kind: SelectedStore['kind'];
  stop(): Promise<void>;
}

/** Adds a database name to a URI that names none. */
export function withDatabase(uri: string, db: string): string {
  const url = new URL(uri);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${db}`;
  return url.toString();
}

/** Selects the store, connects the default mongoose connection and builds indexes. */
export async function connectStore(opts: { mongodbUri?: string; db: string; dataDir?: string; memoryOnly?: boolean; logger: Logger }): Promise<ConnectedStore> {
  const store = await selectStore({ mongodbUri: opts.mongodbUri, dataDir: opts.dataDir, memoryOnly: opts.memoryOnly, logger: opts.logger });
  await mongoose.connect(withDatabase(store.uri, opts.db), { serverSelectionTimeoutMS: 10_000 });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  return {
    kind: store.kind,
    async stop() {
      await mongoose.disconnect();
      await store.stop();
    },
  };
}
