import { Router } from 'express';
import mongoose from 'mongoose';
import type { AppContext } from '../context';

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** Checks the store and Redis answer, each within a second. */
export async function readiness(ctx: AppContext): Promise<{ ready: boolean; store: string; redis: string }> {
  const [store, redis] = await Promise.all([
    (async () => {
      const db = mongoose.connection.db;
      if (mongoose.connection.readyState !== 1 || !db) return 'down';
      await withTimeout(db.admin().ping(), 1000);
      return 'up';
    })().catch(() => 'down'),
    withTimeout(ctx.redis.ping(), 1000).then((r) => (r === 'PONG' ? 'up' : 'down')).catch(() => 'down'),
  ]);
  return { ready: store === 'up' && redis === 'up', store, redis };
}

/** `/healthz`: the process is up. `/readyz`: the store and Redis both answer (503 otherwise). */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const r = await readiness(ctx);
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not_ready', checks: { store: r.store, redis: r.redis } });
  });
  return router;
}
