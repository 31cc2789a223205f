/**
 * `npm run start:server`: the API and Socket.io alone, for production (run several behind a load
 * balancer; workers run separately with `npm run start:workers`).
 */
import { loadConfigOrExit } from '../config/env';
import { createLogger, category } from './logger';
import { connectStore } from './store/connection';
import { startHttp, onShutdown } from './boot';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  if (!config.mongodbUri) {
    process.stderr.write('Set MONGODB_URI: separate server processes must share one database (use `npm start` for a one-process trial, or `npm run store` for a shared embedded store).\n');
    process.exit(78);
  }
  const log = category(logger, 'boot');
  const store = await connectStore({ mongodbUri: config.mongodbUri, db: config.mongodbDb, logger });
  const http = await startHttp(config, logger);
  log.info({ port: http.port, store: store.kind }, 'server listening');
  onShutdown(log, async () => {
    await http.close();
    await store.stop();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
