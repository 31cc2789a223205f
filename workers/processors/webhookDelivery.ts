/** `deliverWebhook` / `deliverEmail` {deliveryId}: one attempt each, retried by BullMQ with backoff. */
import type { Job } from 'bullmq';
import type { Processor } from '../context';
import type { Duty } from '../../server/duty/options';
import { deliverEmail, deliverWebhook, type DeliveryJobData } from '../../server/notify/deliver';

export function webhookDeliveryProcessor(duty: Duty): Processor {
  return (job: Job<DeliveryJobData>) => deliverWebhook(job, duty);
}

export function emailDeliveryProcessor(duty: Duty): Processor {
  return (job: Job<DeliveryJobData>) => deliverEmail(job, duty);
}
