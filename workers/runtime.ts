/**
 * Starts BullMQ workers for a registry and stops them gracefully: on close, each worker stops
 * taking jobs and waits for active ones to finish; past the grace period it force-closes, and
 * BullMQ's stalled-job check returns any still-active job to the queue for another worker.
 */
import { UnrecoverableError, Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq';
import type { QueueRegistration, WorkerContext } from './context';
import { bullPrefix, openQueue } from './queues';
import { category } from '../server/logger';
import { useSharingVersion } from '../server/commands/sharingVersion';
import { useAuditCoordination } from '../server/audit/coordination';

export interface RunningWorkers {
  workers: Worker[];
  /** Finish (or, after graceMs, release) active jobs and disconnect. */
  close(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  registry: QueueRegistration[];
  connection: ConnectionOptions;
  /** What processors get; `queue` is added here (queues on `connection`, closed with the workers). */
  ctx: Omit<WorkerContext, 'queue'>;
  schedules?: { queue: string; id: string; everyMs: number; name: string }[];
}

/** Starts one Worker per registered queue. */
export async function startWorkers(opts: StartOptions): Promise<RunningWorkers> {
  const log = category(opts.ctx.logger, 'workers');
  const prefix = bullPrefix(opts.ctx.redisPrefix);
  const queues = new Map<string, Queue>();
  const stopSharingVersion = useSharingVersion(opts.ctx.redis, opts.ctx.redisPrefix);
  const stopAuditCoordination = useAuditCoordination(opts.ctx.redis, opts.ctx.redisPrefix);
  const ctx: WorkerContext = {
    ...opts.ctx,
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = openQueue(name, opts.connection, opts.ctx.redisPrefix);
        queues.set(name, q);
      }
      return q;
    },
  };
  const workers = opts.registry.map((reg) => {
    const worker = new Worker(
      reg.queue,
      async (job: Job) => {
        const processor = reg.processors[job.name];
        if (!processor) throw new UnrecoverableError(`no processor for job "${job.name}" on queue "${reg.queue}"`);
        return processor(job, ctx);
      },
      { connection: opts.connection, prefix, concurrency: reg.concurrency, autorun: true },
    );
    worker.on('failed', (job, err) => {
      log.warn({ queue: reg.queue, jobName: job?.name, jobId: job?.id, attempts: job?.attemptsMade, error: err.name }, 'job failed');
    });
    worker.on('error', (err) => log.error({ queue: reg.queue, error: err.name }, 'worker error'));
    return worker;
  });
  for (const s of opts.schedules ?? []) {
    const queue = openQueue(s.queue, opts.connection, opts.ctx.redisPrefix);
    await queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.name });
    await queue.close();
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info({ queues: opts.registry.map((r) => r.queue) }, 'workers started');

  let closing: Promise<void> | undefined;
  return {
    workers,
    close(graceMs = 25_000) {
      closing ??= (async () => {
        log.info({ graceMs }, 'workers closing');
        const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
        const outcome = await Promise.race([Promise.all(workers.map((w) => w.close())).then(() => 'done' as const), timer]);
        if (outcome === 'timeout') {
          log.warn({}, 'grace period over: releasing active jobs');
          await Promise.all(workers.map((w) => w.close(true)));
        }
        await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
        stopSharingVersion();
        stopAuditCoordination();
        log.info({}, 'workers closed');
      })();
      return closing;
    },
  };
}
