/**
 * The escalation queue's processors, built for one set of duty options (production: the real
 * clock, escalation.json and the environment; tests and the benchmark pass their own).
 */
import type { Job } from 'bullmq';
import type { Processor } from '../context';
import { resolveDuty, type DutyOptions } from '../../server/duty/options';
import { ROUTE_ALERT } from '../../server/duty/router';
import { ESCALATE_ALERT, RENOTIFY_ALERT, runEscalationStep, runReNotify } from '../../server/duty/escalation';
import { DELIVER_EMAIL, DELIVER_WEBHOOK } from '../../server/notify/dispatch';
import { routeAlertProcessor } from './routeAlert';
import { handoverSweepProcessor } from './handover';
import { closingHandoverProcessor } from './closingHandover';
import { CLOSING_HANDOVER } from '../../server/duty/closing';
import { emailDeliveryProcessor, webhookDeliveryProcessor } from './webhookDelivery';

/** Job name of the shift-end sweep. */
export const HANDOVER_SWEEP = 'handoverSweep';

/** Every job kind of the escalation queue, by name. */
export function escalationProcessors(options: DutyOptions = {}): Record<string, Processor> {
  const duty = resolveDuty(options);
  return {
    [ROUTE_ALERT]: routeAlertProcessor(duty),
    [ESCALATE_ALERT]: (job: Job<{ alertId: string; step: number }>, ctx) => runEscalationStep({ queue: ctx.queue, realtime: ctx.realtime, logger: ctx.logger, duty }, job),
    [RENOTIFY_ALERT]: (job: Job<{ alertId: string; n: number }>, ctx) => runReNotify({ queue: ctx.queue, realtime: ctx.realtime, logger: ctx.logger, duty }, job),
    [HANDOVER_SWEEP]: handoverSweepProcessor(duty),
    [CLOSING_HANDOVER]: closingHandoverProcessor(duty),
    [DELIVER_EMAIL]: emailDeliveryProcessor(duty),
    [DELIVER_WEBHOOK]: webhookDeliveryProcessor(duty),
  };
}
