/**
 * Webhook signatures: HMAC-SHA256 over `<timestamp>.<raw body>` with the endpoint's secret, sent as
 * `X-CCW-Signature: v1=<hex>` with `X-CCW-Timestamp: <unix seconds>`. Binding the timestamp lets a
 * receiver refuse replays older than a few minutes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ccw-signature';
export const TIMESTAMP_HEADER = 'x-ccw-timestamp';
export const DELIVERY_HEADER = 'x-ccw-delivery';

/** A new endpoint secret (shown once). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The signature header value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute and compare in constant time, and refuse timestamps more than
 * `toleranceSeconds` from its clock.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
