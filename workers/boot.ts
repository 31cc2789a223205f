/**
 * Starting the worker side for a process, shared by `npm run start:workers` and `npm start`.
 */
import type { AppConfig } from '../config/env';
import { category, type Logger } from '../server/logger';
import { closeRedis, openRedis } from '../server/redis';
import { REGISTRY, SCHEDULES } from './registry';
import { startWorkers, type RunningWorkers } from './runtime';
import { redisEmitter } from '../server/realtime/emitter';
import { requestRekey } from '../server/linkage/rekey';
import { openQueue, QUEUE_NAMES } from './queues';

/**
 * Starts every registered worker and the repeating schedules, and queues the re-key of stored
 * encounters for the current blocking keys (once per blocking version: a no-op on most starts).
 */
export async function startWorkerProcess(config: AppConfig, logger: Logger): Promise<RunningWorkers & { stop(): Promise<void> }> {
  const log = category(logger, 'redis');
  const redis = openRedis(config.redisUrl, {}, log);
  const connection = openRedis(config.redisUrl, { maxRetriesPerRequest: null }, log);
  const running = await startWorkers({
    registry: REGISTRY,
    schedules: SCHEDULES,
    connection,
    ctx: { redis, logger, redisPrefix: config.redisPrefix, auditDir: config.auditDir, realtime: redisEmitter(redis, config.redisPrefix) },
  });
  const maintenance = openQueue(QUEUE_NAMES.maintenance, connection, config.redisPrefix);
  try {
    await requestRekey(() => maintenance);
  } catch (err) {
    // The workers run on; the next start queues it again.
    category(logger, 'linkage').error({ error: (err as Error).name }, 're-key of stored encounters not queued');
  } finally {
    await maintenance.close();
  }
  return {
    ...running,
    async stop() {
      await running.close();
      await closeRedis(connection);
      await closeRedis(redis);
    },
  };
}
