/**
 * `npm run start:workers`: the BullMQ worker process. SIGTERM lets in-flight jobs finish (or, past
 * the grace period, returns them to the queue) before exiting.
 */
import { loadConfigOrExit } from '../config/env';
import { createLogger, category } from '../server/logger';
import { connectStore } from '../server/store/connection';
import { onShutdown } from '../server/boot';
import { startWorkerProcess } from './boot';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  if (!config.mongodbUri) {
    process.stderr.write('Set MONGODB_URI: separate workers processes must share one database (use `npm start` for a one-process trial, or `npm run store` for a shared embedded store).\n');
    process.exit(78);
  }
  const store = await connectStore({ mongodbUri: config.mongodbUri, db: config.mongodbDb, logger });
  const workers = await startWorkerProcess(config, logger);
  onShutdown(category(logger, 'boot'), async () => {
    await workers.stop();
    await store.stop();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Workers failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
