import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

export const DELIVERY_CHANNELS = ['in_app', 'email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/**
 * The delivery ledger: one row per (alert, recipient, channel, reason). A notification is sent only
 * by whoever inserts its row, so a retried or re-swept job never tells anyone twice. `reason` is
 * `raised`, `escalation:<level>`, `handover`, `re_notify:<n>`…
 */
const alertDeliverySchema = new Schema(
  {
    alertId: { type: Schema.Types.ObjectId, ref: 'Alert', required: true },
    /** A user id, or for webhooks the endpoint id. */
    recipient: { type: String, required: true, maxlength: 100 },
    channel: { type: String, required: true, enum: DELIVERY_CHANNELS },
    reason: { type: String, required: true, maxlength: 50 },
    status: { type: String, enum: ['pending', 'sent', 'delivered', 'failed'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    /** A short error code from the last failed attempt (never message content). */
    lastError: { type: String, default: null, maxlength: 200 },
    sentAt: { type: Date, default: null },
    deliveredAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);
alertDeliverySchema.index({ alertId: 1, recipient: 1, channel: 1, reason: 1 }, { unique: true });
alertDeliverySchema.index({ status: 1, updatedAt: 1 });

export type AlertDeliveryAttrs = InferSchemaType<typeof alertDeliverySchema>;
export type AlertDeliveryDoc = HydratedDocument<AlertDeliveryAttrs>;
export const AlertDelivery = model('AlertDelivery', alertDeliverySchema);
