/** Re-queues alert notification rounds that have waited too long (see server/alerts/outbox.ts). */
import type { Processor } from '../context';
import { sweepOutbox } from '../../server/alerts/outbox';

export const alertOutboxSweep: Processor = async (_job, ctx) => ({ requeued: await sweepOutbox(ctx.queue) });
