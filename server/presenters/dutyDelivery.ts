/** One row of the delivery log: what was sent to whom (a user or a webhook endpoint), when, and whether it arrived. */
import type { AlertDeliveryDoc } from '../models/AlertDelivery';
import type { Names } from './dutyAlert';

export function presentDelivery(d: AlertDeliveryDoc, names: Names) {
  const ts = d as unknown as { createdAt: Date; updatedAt: Date };
  return {
    id: d.id as string,
    alertId: String(d.alertId),
    channel: d.channel,
    recipient: { id: d.recipient, name: names.get(d.recipient) ?? (d.channel === 'webhook' ? 'Webhook endpoint' : 'Unknown user') },
    reason: d.reason.split(':')[0],
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError ?? null,
    sentAt: d.sentAt ? d.sentAt.toISOString() : null,
    deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
    createdAt: ts.createdAt.toISOString(),
    updatedAt: ts.updatedAt.toISOString(),
  };
}
