import { randomBytes } from 'node:crypto';
import { closeRedis } from '../../server/redis';
import { Redis } from 'ioredis';

/** The Redis the tests use (the machine's, or REDIS_URL). */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix unique to this test file and run, so parallel runs never collide. */
export function uniquePrefix(label: string): string {
  return `t_${label.replace(/[^a-zA-Z0-9]/g, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix (including BullMQ's hash-tagged `{prefix}:bull` keys). */
export async function cleanupPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    await closeRedis(redis);
  }
}
