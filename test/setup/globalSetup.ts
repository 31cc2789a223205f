/**
 * One store per test run: real MongoDB when MONGODB_URI is set, else the store selection
 * (mongod on PATH, or the embedded store in memory). Test files read TEST_MONGODB_URI and each
 * uses its own database, so files never see each other's data.
 */
import { selectStore } from '../../server/store/select';

const quiet = { info() {}, warn() {}, error() {} };

export default async function globalSetup(): Promise<void> {
  const store = await selectStore({ mongodbUri: process.env.MONGODB_URI, memoryOnly: true, logger: quiet });
  process.env.TEST_MONGODB_URI = store.uri;
  (globalThis as unknown as { __testStore: typeof store }).__testStore = store;
}
