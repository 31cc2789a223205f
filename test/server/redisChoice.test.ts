import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureRedis, freePort, redisAnswers, INSTALL_REDIS_HINT } from '../../server/redis';
import { createLogger } from '../../server/logger';
import { TEST_REDIS_URL } from '../helpers/redis';

const quiet = createLogger('silent');

describe('finding a Redis for npm start', () => {
  it('uses the configured Redis when it answers', async () => {
    const choice = await ensureRedis(TEST_REDIS_URL, os.tmpdir(), quiet);
    expect(choice).toEqual({ url: TEST_REDIS_URL });
  });

  it('starts redis-server with its data under DATA_DIR when nothing answers', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccw-redis-'));
    const dead = `redis://127.0.0.1:${await freePort()}`;
    const choice = await ensureRedis(dead, dataDir, quiet);
    try {
      expect(choice.url).not.toBe(dead);
      expect(choice.child).toBeDefined();
      expect(await redisAnswers(choice.url)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'redis'))).toBe(true);
    } finally {
      const exited = new Promise((r) => choice.child!.once('exit', r));
      choice.child!.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops with install instructions when there is no Redis and no redis-server', async () => {
    const dead = `redis://127.0.0.1:${await freePort()}`;
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(ensureRedis(dead, os.tmpdir(), quiet)).rejects.toThrow(INSTALL_REDIS_HINT);
    } finally {
      process.env.PATH = saved;
    }
    expect(INSTALL_REDIS_HINT).toMatch(/apt-get install -y redis-server/);
  });
});
