/** Re-queues link jobs for records left pending too long (see server/linkage/linkSweep.ts). */
import type { Processor } from '../context';
import { sweepPendingLinks } from '../../server/linkage/linkSweep';

export const linkSweep: Processor = async (_job, ctx) => ({ requeued: await sweepPendingLinks(ctx.queue) });
