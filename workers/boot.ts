/**
 * Starting the worker side for a process, shared by `npm run start:workers` and `npm start`.
 */
import type { AppConfig } from '../config/env';
import { category, type Logger } from '../server/logger';
import { closeRedis, openRedis } from '../server/redis';
import { REGISTRY, SCHEDULES } from './registry';
import { startWorkers, type RunningWorkers } from './runtime';
import { redisEmitter } from '../server/realtime/emitter';

/** Starts every registered worker and the repeating schedules. */
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
  return {
    ...running,
    async stop() {
      await running.close();
      await closeRedis(connection);
      await closeRedis(redis);
    },
  };
}
