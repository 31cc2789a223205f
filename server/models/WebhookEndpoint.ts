import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/**
 * Where an agency's pager or SMS gateway wants out-of-hours alert notifications. Each request is
 * signed with HMAC-SHA256 under `secretEnc` (encrypted at rest; shown to the admin once, at
 * creation). The body carries a link and the severity, never personal data.
 */
const webhookEndpointSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true, index: true },
    name: { type: String, required: true, maxlength: 100 },
    url: { type: String, required: true, maxlength: 2000 },
    secretEnc: { type: String, required: true },
    /** The first characters of the secret, so an admin can tell which one a receiver holds. */
    secretHint: { type: String, required: true, maxlength: 12 },
    active: { type: Boolean, default: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true, strict: 'throw' },
);

export type WebhookEndpointAttrs = InferSchemaType<typeof webhookEndpointSchema>;
export type WebhookEndpointDoc = HydratedDocument<WebhookEndpointAttrs>;
export const WebhookEndpoint = model('WebhookEndpoint', webhookEndpointSchema);
