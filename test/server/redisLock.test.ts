/**
 * The Redis primitives under the link lock, the detection lock and the audit writers' turns:
 * scripts run by digest (sent in full only when Redis lacks them) and multi-key locks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisScript } from '../../server/redisScript';
import { lockToken, releaseLock, tryLock } from '../../server/redisLock';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

const prefix = uniquePrefix('redislock');
let redis: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await cleanupPrefix(prefix);
  await redis.quit();
});

describe('redisScript', () => {
  it('sends a script Redis has not seen in full once, then runs it by its digest', async () => {
    // A comment unique to this run: Redis cannot have this script yet.
    const lua = `-- ${randomBytes(8).toString('hex')}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`;
    const sha = createHash('sha1').update(lua).digest('hex');
    const run = redisScript(lua);
    // Which command each call sent: counted on the way to the real server.
    const sent: string[] = [];
    const counted = new Proxy(redis, {
      get(target, name, receiver) {
        const v = Reflect.get(target, name, receiver);
        if (name !== 'eval' && name !== 'evalsha') return v;
        return (...args: unknown[]) => {
          sent.push(name);
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    expect(await redis.script('EXISTS', sha)).toEqual([0]);
    expect(await run(counted, [`${prefix}:n`], ['2'])).toBe(2);
    expect(sent).toEqual(['evalsha', 'eval']);
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
    sent.length = 0;
    expect(await run(counted, [`${prefix}:n`], ['3'])).toBe(5);
    expect(sent).toEqual(['evalsha']);
  });

  it('passes on an error the script raises (only a missing script is retried in full)', async () => {
    const run = redisScript(`-- ${randomBytes(8).toString('hex')}\nreturn redis.error_reply('nope')`);
    await expect(run(redis, [`${prefix}:e`], [])).rejects.toThrow(/nope/);
    await expect(run(redis, [`${prefix}:e`], [])).rejects.toThrow(/nope/);
  });
});

describe('lockToken', () => {
  it('never repeats within a process', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, lockToken));
    expect(tokens.size).toBe(10_000);
  });
});

describe('tryLock / releaseLock', () => {
  const keys = (...names: string[]) => names.map((n) => `{${prefix}}:lock:${n}`);

  it('takes every key or none, and only the holder releases them', async () => {
    const a = await tryLock(redis, keys('a', 'b'), 5_000);
    expect(a).not.toBeNull();
    // Overlapping on b: refused, and c is not left taken.
    expect(await tryLock(redis, keys('c', 'b'), 5_000)).toBeNull();
    expect(await redis.exists(keys('c')[0])).toBe(0);
    // Another token cannot release a's keys.
    await releaseLock(redis, keys('a', 'b'), 'not-the-holder');
    expect(await tryLock(redis, keys('b'), 5_000)).toBeNull();
    await releaseLock(redis, keys('a', 'b'), a as string);
    const c = await tryLock(redis, keys('c', 'b'), 5_000);
    expect(c).not.toBeNull();
    await releaseLock(redis, keys('c', 'b'), c as string);
  });

  it('frees the keys of a holder that never released them when they expire', async () => {
    expect(await tryLock(redis, keys('x'), 50)).not.toBeNull();
    expect(await tryLock(redis, keys('x'), 50)).toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    expect(await tryLock(redis, keys('x'), 5_000)).not.toBeNull();
  });
});
