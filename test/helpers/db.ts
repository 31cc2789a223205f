import { randomBytes } from 'node:crypto';

/**
 * A connection string for a fresh database of this run's store. Every test file calls it once,
 * so files never share data. Never mocks anything: it is the store the whole run uses.
 */
export function testDbUri(label = 'test'): string {
  const base = process.env.TEST_MONGODB_URI;
  if (!base) throw new Error('TEST_MONGODB_URI is not set: run tests through jest (globalSetup starts the store)');
  const url = new URL(base);
  const safe = label.replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 30);
  url.pathname = `/t_${safe}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}
