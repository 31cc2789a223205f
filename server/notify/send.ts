/**
 * The two outbound channels, one attempt each: email over SMTP (nodemailer) and a signed webhook
 * POST. Errors come back as short codes for the delivery ledger, never message content.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './signature';

/** A failed attempt; `code` goes into AlertDelivery.lastError. */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    /** No retry can succeed (endpoint removed, address refused permanently). */
    readonly permanent = false,
  ) {
    super(code);
    this.name = 'DeliveryError';
  }
}

const transports = new Map<string, Transporter>();

/** One pooled transport per SMTP URL, for the life of the process. */
function transportFor(smtpUrl: string, timeoutMs: number): Transporter {
  let t = transports.get(smtpUrl);
  if (!t) {
    t = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
    transports.set(smtpUrl, t);
  }
  return t;
}

/** Sends one email; resolves with the SMTP server's message id once it accepted the message. */
export async function sendEmail(smtpUrl: string, mail: { from: string; to: string; subject: string; text: string }, timeoutMs: number): Promise<string> {
  try {
    const info = await transportFor(smtpUrl, timeoutMs).sendMail(mail);
    if ((info.rejected ?? []).length > 0) throw new DeliveryError('smtp_rejected', true);
    return info.messageId;
  } catch (err) {
    if (err instanceof DeliveryError) throw err;
    const e = err as { responseCode?: number; code?: string };
    if (e.responseCode) throw new DeliveryError(`smtp_${e.responseCode}`, e.responseCode >= 500);
    throw new DeliveryError(`smtp_${(e.code ?? 'error').toLowerCase()}`.slice(0, 40));
  }
}

/** Closes pooled SMTP transports (process shutdown, tests). */
export function closeTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** POSTs a signed body; resolves on any 2xx. */
export async function postWebhook(url: string, secret: string, deliveryId: string, body: string, timeoutMs: number, now = new Date()): Promise<number> {
  const timestamp = Math.floor(now.getTime() / 1000);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'crisis-care-workspace-webhook/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        [DELIVERY_HEADER]: deliveryId,
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new DeliveryError((err as Error).name === 'TimeoutError' ? 'timeout' : 'network_error');
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new DeliveryError(`http_${res.status}`);
  return res.status;
}
