/** Re-queues alert notification rounds that have waited too long, and routing that never happened (see server/alerts/outbox.ts). */
import type { Processor } from '../context';
import { sweepOutbox, sweepUnrouted } from '../../server/alerts/outbox';

export const alertOutboxSweep: Processor = async (_job, ctx) => ({ requeued: await sweepOutbox(ctx.queue), routed: await sweepUnrouted(ctx.queue) });
