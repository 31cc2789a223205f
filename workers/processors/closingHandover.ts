/**
 * `closingHandover` {alertId, closesAt}: a delayed job added when routing finds an alert in hours
 * (job id `closing-<alertId>-<closing ms>`); at the agency's closing time it routes the alert to
 * the on-call duty manager if it is still open and unacknowledged. See server/duty/closing.ts.
 */
import type { Job } from 'bullmq';
import type { Processor } from '../context';
import type { Duty } from '../../server/duty/options';
import { runClosingHandover, type ClosingJobData } from '../../server/duty/closing';
import { routeAlert } from '../../server/duty/router';

export function closingHandoverProcessor(duty: Duty): Processor {
  return (job: Job<ClosingJobData>, ctx) => runClosingHandover({ queue: ctx.queue, realtime: ctx.realtime, logger: ctx.logger, duty }, job, routeAlert);
}
