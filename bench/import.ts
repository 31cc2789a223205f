/**
 * CSV import benchmark (`npm run bench:import`): a 10,000-row encounter file with 1% bad rows,
 * imported through the real queue and worker into the embedded store, twice (the second run
 * finds every row already stored). Linking is paused while it runs: this measures the import;
 * linking and alerting under load are measured by `npm run bench:alerts`. Ends with one key=value
 * summary line.
 */
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { startEmbeddedStore } from '../server/store/embedded';
import '../server/store/connection';
import { Agency } from '../server/models/Agency';
import { User } from '../server/models/User';
import { ImportJob } from '../server/models/ImportJob';
import { Encounter } from '../server/models/Encounter';
import { startWorkers } from '../workers/runtime';
import { REGISTRY } from '../workers/registry';
import { bullPrefix, QUEUE_NAMES } from '../workers/queues';
import { createLogger } from '../server/logger';
import { buildEncounterCsv } from '../test/helpers/csv';

const ROWS = 10_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function runImport(queue: Queue, agencyId: Types.ObjectId, userId: Types.ObjectId, text: string) {
  const imp = await ImportJob.create({ agencyId, createdBy: userId, filename: 'bench.csv', content: text });
  const started = performance.now();
  await queue.add('importEncounters', { importId: imp.id }, { jobId: `import-${imp.id}` });
  for (;;) {
    const j = await ImportJob.findById(imp._id).select('-content -problems');
    if (j && ['completed', 'failed'].includes(j.status)) return { ms: performance.now() - started, report: j };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const prefix = `bench_import_${process.pid}`;
  const store = await startEmbeddedStore();
  await mongoose.connect(`${store.uri}/bench_import`);
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const redis = new Redis(REDIS_URL);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const workers = await startWorkers({ registry: REGISTRY, connection, ctx: { redis, logger: createLogger('silent'), redisPrefix: prefix } });
  const queue = new Queue(QUEUE_NAMES.imports, { connection, prefix: bullPrefix(prefix) });
  const linkage = new Queue(QUEUE_NAMES.linkage, { connection, prefix: bullPrefix(prefix) });
  await linkage.pause();
  try {
    const agency = await Agency.create({ code: 'BENCH', name: 'Bench Agency', kind: 'police' });
    const user = await User.create({ email: 'bench@example.test', name: 'Bench', agencyId: agency._id, roles: ['practitioner'], passwordHash: 'x' });
    const { text, expectedBad, good } = buildEncounterCsv(ROWS, { badEvery: 100 });
    const first = await runImport(queue, agency._id, user._id, text);
    const second = await runImport(queue, agency._id, user._id, text);
    const stored = await Encounter.countDocuments({ agencyId: agency._id });
    const rate = (ms: number) => Math.round(ROWS / (ms / 1000));
    console.log(`first import:  ${ROWS} rows in ${(first.ms / 1000).toFixed(1)} s (${rate(first.ms)} rows/s), created ${first.report.created}, rejected ${first.report.rejected}`);
    console.log(`second import: ${ROWS} rows in ${(second.ms / 1000).toFixed(1)} s (${rate(second.ms)} rows/s), created ${second.report.created}, duplicates ${second.report.duplicates}`);
    const ok = first.report.created === good && first.report.rejected === expectedBad.length && second.report.created === 0 && stored === good;
    console.log(
      `rows=${ROWS} first_rows_per_s=${rate(first.ms)} second_rows_per_s=${rate(second.ms)} rejected=${first.report.rejected} stored=${stored} report_accurate=${ok}`,
    );
  } finally {
    await workers.close(5000);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await linkage.obliterate({ force: true }).catch(() => undefined);
    await linkage.close();
    connection.disconnect();
    redis.disconnect();
    await mongoose.disconnect();
    await store.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
