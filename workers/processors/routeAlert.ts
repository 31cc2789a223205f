/**
 * `routeAlert` {alertId}: added by the alert pipeline when an alert is raised or its severity rises
 * (job id `route-<alertId>-<severity>`). See server/duty/router.ts.
 */
import type { Job } from 'bullmq';
import type { Processor } from '../context';
import type { Duty } from '../../server/duty/options';
import { routeAlert } from '../../server/duty/router';

export function routeAlertProcessor(duty: Duty): Processor {
  return (job: Job<{ alertId: string }>, ctx) => routeAlert({ queue: ctx.queue, realtime: ctx.realtime, logger: ctx.logger, duty }, job.data.alertId);
}
