import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { tellSharingFactsChanges } from './sharingChanges';

/** An agency system that pushes records with an API key. Only a hash of the key is stored. */
const apiClientSchema = new Schema(
  {
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true, index: true },
    name: { type: String, required: true, maxlength: 200 },
    /** Public key id, the part before the dot in `ccw_<keyId>.<secret>`. */
    keyId: { type: String, required: true, unique: true },
    /** SHA-256 of the secret part (the secret is 256 random bits, so a fast hash is sound). */
    keyHash: { type: String, required: true },
    scopes: { type: [String], default: [] },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);

// Which keys are valid is an access fact: API-key checks are cached against its version.
tellSharingFactsChanges(apiClientSchema);

export type ApiClientAttrs = InferSchemaType<typeof apiClientSchema>;
export type ApiClientDoc = HydratedDocument<ApiClientAttrs>;
export const ApiClient = model('ApiClient', apiClientSchema);
