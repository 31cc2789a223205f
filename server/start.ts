/**
 * `npm start`: the whole workspace in one process tree on one machine — store (real MongoDB,
 * mongod, or the embedded store journaled under DATA_DIR), Redis (started if none answers), the
 * API with Socket.io and the workers — seeded with demo data on first run.
 */
import fs from 'node:fs';
import { loadConfigOrExit } from '../config/env';
import { createLogger, category } from './logger';
import { connectStore } from './store/connection';
import { ensureRedis } from './redis';
import { startHttp, onShutdown } from './boot';
import { startWorkerProcess } from '../workers/boot';
import { seedDemo, DEMO_PASSWORD, DEMO_USERS } from './seed/demo';
import { clientDistDir } from './app';

async function main(): Promise<void> {
  const base = loadConfigOrExit();
  const logger = createLogger(base.logLevel);
  const log = category(logger, 'boot');
  fs.mkdirSync(base.dataDir, { recursive: true });
  const redis = await ensureRedis(base.redisUrl, base.dataDir, category(logger, 'redis'));
  const config = { ...base, redisUrl: redis.url };
  const store = await connectStore({ mongodbUri: config.mongodbUri, db: config.mongodbDb, dataDir: config.dataDir, logger });
  const seeded = config.seedDemo ? await seedDemo() : false;
  const http = await startHttp(config, logger);
  const workers = await startWorkerProcess(config, logger);
  if (!clientDistDir()) log.warn({}, 'client not built: run npm run build:client');

  const url = config.publicUrl.includes(`:${config.port}`) || config.port === 0 ? config.publicUrl.replace(`:${config.port}`, `:${http.port}`) : config.publicUrl;
  const lines = [
    '',
    `  Crisis Care Workspace is running at ${url}`,
    `  Store: ${store.kind}${store.kind === 'embedded' ? ` (data in ${config.dataDir})` : ''}`,
  ];
  if (config.seedDemo) {
    lines.push(`  Demo logins${seeded ? ' (just created)' : ''} — password for all: ${DEMO_PASSWORD}`);
    for (const u of DEMO_USERS) lines.push(`    ${u.email.padEnd(28)} ${u.roles.join(', ')}`);
    lines.push('  (IG lead and admin roles set up two-step verification at first sign-in.)');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  onShutdown(log, async () => {
    await workers.stop();
    await http.close();
    await store.stop();
    redis.child?.kill('SIGTERM');
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Crisis Care Workspace failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
