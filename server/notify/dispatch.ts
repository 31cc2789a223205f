/**
 * Tells people about an alert on every channel, once. Each (alert, recipient, channel, reason)
 * gets one row in the delivery ledger; whoever inserts the row sends, so a retried job or a
 * second worker never tells anyone twice. In-app hints go out at once; email and webhooks are
 * BullMQ jobs (job id = ledger row id) that retry with exponential backoff.
 */
import type { Queue } from 'bullmq';
import { Types } from 'mongoose';
import { AlertDelivery, type AlertDeliveryAttrs, type DeliveryChannel } from '../models/AlertDelivery';
import type { RealtimeControl } from '../context';
import type { Duty } from '../duty/options';
import { QUEUE_NAMES } from '../../workers/queues';
import type { AlertNotice } from './message';
import { category, type Logger } from '../logger';

/** What sending needs from the process it runs in. */
export interface NotifyDeps {
  queue(name: string): Queue;
  realtime?: Pick<RealtimeControl, 'emit'>;
  duty: Duty;
  /** Where the channel set-up is logged, once per process. */
  logger?: Logger;
}

let announced = false;

/** Logs once per process which channels are on (email is off without SMTP_URL). */
function announceChannels(deps: NotifyDeps): void {
  if (announced || !deps.logger) return;
  announced = true;
  const email = deps.duty.settings.smtpUrl ? 'on' : 'off';
  category(deps.logger, 'notify').info({ inApp: deps.realtime ? 'on' : 'off', email, webhook: 'on' }, email === 'off' ? 'email channel off: SMTP_URL is not set' : 'notification channels ready');
}

export interface NotifyProps extends AlertNotice {
  /** Users to tell in-app and by email. */
  userIds: string[];
  /** The agency whose webhook endpoints (pagers, SMS gateways) are told; null for none. */
  webhookAgencyId: string | null;
  /** Limit the channels (e.g. in-app only for a courtesy notice). Default: all. */
  channels?: DeliveryChannel[];
}

/** Job names on the escalation queue. */
export const DELIVER_EMAIL = 'deliverEmail';
export const DELIVER_WEBHOOK = 'deliverWebhook';

/** The socket event a user's browser turns into a notification. Payload: ids, severity, deadline. */
export const ALERT_ROUTED_EVENT = 'alert:routed';

/** A ledger row as a claim returns it: its id and status. */
export interface ClaimedRow {
  _id: Types.ObjectId;
  status: string;
}

/**
 * Inserts the ledger row (as `initial`); `claimed` false when someone already had (they send, not
 * us), with the row they wrote. A plain insert of a complete row (every field the schema
 * defaults), as every notification of every alert writes one.
 */
export async function claimDelivery(
  alertId: Types.ObjectId | string,
  recipient: string,
  channel: DeliveryChannel,
  reason: string,
  initial: Partial<Pick<AlertDeliveryAttrs, 'status' | 'sentAt' | 'attempts' | 'lastError'>> = { status: 'pending' },
): Promise<{ row: ClaimedRow; claimed: boolean }> {
  const now = new Date();
  const row = {
    _id: new Types.ObjectId(),
    alertId: new Types.ObjectId(String(alertId)),
    recipient,
    channel,
    reason,
    status: 'pending',
    attempts: 0,
    lastError: null,
    sentAt: null,
    deliveredAt: null,
    ...initial,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await AlertDelivery.collection.insertOne(row);
    return { row, claimed: true };
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const found = await AlertDelivery.findOne({ alertId: row.alertId, recipient, channel, reason }, { status: 1 }).lean();
    if (!found) throw err;
    return { row: found, claimed: false };
  }
}

/** Frozen facts for a delivery job: ids, severity and times only (Redis holds them in clear). */
function noticeData(n: AlertNotice) {
  return { alertId: n.alertId, severity: n.severity, reason: n.reason, level: n.level, deadline: n.deadline ? n.deadline.toISOString() : null };
}

/** Sends a notice; resolves with how many ledger rows this call created. */
export async function notifyAlert(deps: NotifyDeps, props: NotifyProps): Promise<number> {
  announceChannels(deps);
  const channels = new Set<DeliveryChannel>(props.channels ?? ['in_app', 'email', 'webhook']);
  const queue = deps.queue(QUEUE_NAMES.escalation);
  let created = 0;
  const emailOn = Boolean(deps.duty.settings.smtpUrl);
  for (const userId of [...new Set(props.userIds)]) {
    if (channels.has('in_app')) {
      // The hint is published the moment the row exists; publishing cannot fail afterwards, so the row says so already.
      const outcome = deps.realtime ? { status: 'sent' as const, sentAt: new Date(), attempts: 1 } : { status: 'failed' as const, attempts: 0, lastError: 'no_realtime' };
      const { claimed } = await claimDelivery(props.alertId, userId, 'in_app', props.reason, outcome);
      if (claimed) {
        created++;
        deps.realtime?.emit(`user:${userId}`, ALERT_ROUTED_EVENT, {
          id: props.alertId,
          severity: props.severity,
          reason: props.reason.split(':')[0],
          deadline: props.deadline ? props.deadline.toISOString() : null,
        });
      }
    }
    if (channels.has('email') && emailOn) {
      const { row, claimed } = await claimDelivery(props.alertId, userId, 'email', props.reason);
      if (claimed) created++;
      // Re-adding an unfinished row's job is harmless (same job id) and heals a crash between the two writes.
      if (row.status === 'pending') {
        await queue.add(DELIVER_EMAIL, { deliveryId: String(row._id), notice: noticeData(props) }, {
          jobId: `email-${String(row._id)}`,
          attempts: deps.duty.email.attempts,
          backoff: { type: 'exponential', delay: deps.duty.email.backoffMs },
        });
      }
    }
  }
  if (channels.has('webhook') && props.webhookAgencyId) {
    const endpoints = await deps.duty.webhooks.endpointsOf(props.webhookAgencyId);
    for (const endpoint of endpoints) {
      const { row, claimed } = await claimDelivery(props.alertId, String(endpoint._id), 'webhook', props.reason);
      if (claimed) created++;
      if (row.status === 'pending') {
        await queue.add(DELIVER_WEBHOOK, { deliveryId: String(row._id), notice: noticeData(props), userIds: props.userIds }, {
          jobId: `webhook-${String(row._id)}`,
          attempts: deps.duty.webhook.attempts,
          backoff: { type: 'exponential', delay: deps.duty.webhook.backoffMs },
        });
      }
    }
  }
  return created;
}
