/** `handoverSweep` (every minute): alerts pass to the incoming on-call manager at shift end. */
import type { Processor } from '../context';
import type { Duty } from '../../server/duty/options';
import { sweepShiftEnds } from '../../server/duty/handover';

export function handoverSweepProcessor(duty: Duty): Processor {
  return (_job, ctx) => sweepShiftEnds({ queue: ctx.queue, realtime: ctx.realtime, logger: ctx.logger, duty });
}
