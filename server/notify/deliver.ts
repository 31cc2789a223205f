/**
 * One attempt at an email or webhook delivery, run by a BullMQ job whose id is the ledger row's.
 * The row records every attempt (count, last error code, when sent or delivered); it turns
 * `failed` only after the last retry, so the delivery log shows "retrying" honestly meanwhile.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { AlertDelivery, type AlertDeliveryDoc } from '../models/AlertDelivery';
import { User } from '../models/User';
import { WebhookEndpoint } from '../models/WebhookEndpoint';
import { decryptField } from '../auth/secrets';
import type { Duty } from '../duty/options';
import { emailMessage, webhookBody, type AlertNotice } from './message';
import { DeliveryError, postWebhook, sendEmail } from './send';

/** A delivery job's data. */
export interface DeliveryJobData {
  deliveryId: string;
  notice: { alertId: string; severity: string; reason: string; level: number | null; deadline: string | null };
  userIds?: string[];
}

const noticeOf = (d: DeliveryJobData['notice']): AlertNotice => ({ ...d, deadline: d.deadline ? new Date(d.deadline) : null });

type Outcome = 'sent' | 'delivered';

async function attempt(job: Job<DeliveryJobData>, run: (row: AlertDeliveryDoc) => Promise<Outcome>): Promise<{ status: string }> {
  const row = await AlertDelivery.findById(job.data.deliveryId);
  if (!row) return { status: 'missing' };
  if (row.status === 'sent' || row.status === 'delivered') return { status: row.status };
  const now = new Date();
  try {
    const outcome = await run(row);
    await AlertDelivery.updateOne(
      { _id: row._id },
      { $set: { status: outcome, lastError: null, sentAt: now, ...(outcome === 'delivered' ? { deliveredAt: new Date() } : {}) }, $inc: { attempts: 1 } },
    );
    return { status: outcome };
  } catch (err) {
    const code = err instanceof DeliveryError ? err.code : 'error';
    const permanent = err instanceof DeliveryError && err.permanent;
    const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await AlertDelivery.updateOne({ _id: row._id }, { $set: { status: last ? 'failed' : 'pending', lastError: code }, $inc: { attempts: 1 } });
    if (permanent) throw new UnrecoverableError(code);
    throw new Error(`delivery failed: ${code}`);
  }
}

/** Sends one alert email; "sent" once the SMTP server accepted it. */
export function deliverEmail(job: Job<DeliveryJobData>, duty: Duty): Promise<{ status: string }> {
  return attempt(job, async (row) => {
    const settings = duty.settings;
    if (!settings.smtpUrl) throw new DeliveryError('email_off', true);
    const user = await User.findById(row.recipient).select('email disabled');
    if (!user || user.disabled) throw new DeliveryError('no_recipient', true);
    const { subject, text } = emailMessage(settings, noticeOf(job.data.notice));
    await sendEmail(settings.smtpUrl, { from: settings.mailFrom, to: user.email, subject, text }, duty.email.timeoutMs);
    return 'sent';
  });
}

/** POSTs one signed webhook; "delivered" once the receiver answered 2xx. */
export function deliverWebhook(job: Job<DeliveryJobData>, duty: Duty): Promise<{ status: string }> {
  return attempt(job, async (row) => {
    const endpoint = await WebhookEndpoint.findById(row.recipient);
    if (!endpoint || !endpoint.active) throw new DeliveryError('endpoint_removed', true);
    const settings = duty.settings;
    let secret: string;
    try {
      secret = decryptField(settings.fieldSecret, endpoint.secretEnc);
    } catch {
      throw new DeliveryError('secret_unreadable', true);
    }
    const body = webhookBody(settings, noticeOf(job.data.notice), job.data.userIds ?? [], row.id as string);
    await postWebhook(endpoint.url, secret, row.id as string, body, duty.webhook.timeoutMs);
    return 'delivered';
  });
}
