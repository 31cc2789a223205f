/**
 * System administration: queue health, the failed-jobs list and retry. System admins only.
 * Job data holds ids only, so showing it leaks no personal data.
 */
import { Router } from 'express';
import type { AppContext } from '../../context';
import { authenticate, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { QUEUE_NAMES } from '../../../workers/queues';
import { heartbeatKey } from '../../../workers/processors/heartbeat';
import { FailedQuery, JobParams, QueueParams } from './schema';

/** The /api/admin router. */
export function adminRouter(ctx: AppContext): Router {
  const router = Router();
  const queue = (name: string) => ctx.queue(name);
  router.use(authenticate(), requireRole('system_admin'));

  router.get('/queues', async (_req, res) => {
    const list = await Promise.all(
      Object.values(QUEUE_NAMES).map(async (name) => ({
        name,
        counts: await queue(name).getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed'),
      })),
    );
    const beats = await ctx.redis.hgetall(heartbeatKey(ctx.config.redisPrefix));
    const workers = Object.entries(beats).map(([id, at]) => ({ id, lastSeenAt: new Date(Number(at)).toISOString() }));
    res.json({ queues: list, workers });
  });

  router.get('/queues/:queue/failed', validate(QueueParams, 'params'), validate(FailedQuery, 'query'), async (req, res) => {
    const { start, limit } = req.query as unknown as { start: number; limit: number };
    const q = queue((req.params as { queue: string }).queue);
    const [jobs, total] = await Promise.all([q.getFailed(start, start + limit - 1), q.getFailedCount()]);
    res.json({
      total,
      jobs: jobs.map((j) => ({
        id: j.id,
        name: j.name,
        data: j.data as unknown,
        attemptsMade: j.attemptsMade,
        failedReason: j.failedReason,
        failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      })),
    });
  });

  router.post('/queues/:queue/jobs/:jobId/retry', validate(JobParams, 'params'), async (req, res) => {
    const params = req.params as { queue: string; jobId: string };
    const job = await queue(params.queue).getJob(params.jobId);
    if (!job || !(await job.isFailed())) throw new NotFoundError('No failed job with that id.');
    await job.retry('failed');
    res.status(202).json({ id: job.id, status: 'queued' });
  });

  return router;
}
