import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { DATA_CATEGORY_IDS, PURPOSE_IDS } from './vocab';
import { tellSharingFactsChanges } from './sharingChanges';

export const AGREEMENT_STATUSES = ['draft', 'active', 'suspended', 'ended'] as const;

/**
 * A data-sharing agreement between agencies. Only an active agreement within its dates counts,
 * and only for its purposes and data categories.
 */
const agreementSchema = new Schema(
  {
    title: { type: String, required: true, maxlength: 200 },
    parties: { type: [{ type: Schema.Types.ObjectId, ref: 'Agency' }], required: true, index: true },
    purposes: { type: [{ type: String, enum: PURPOSE_IDS }], required: true },
    categories: { type: [{ type: String, enum: DATA_CATEGORY_IDS }], required: true },
    lawfulBasis: {
      /** UK GDPR Article 6 condition, e.g. "6(1)(e) public task". */
      article6: { type: String, required: true, maxlength: 200 },
      /** Article 9 condition for special category data, e.g. "9(2)(h) health or social care". */
      article9: { type: String, default: null, maxlength: 200 },
    },
    validFrom: { type: Date, required: true },
    validTo: { type: Date, default: null },
    status: { type: String, enum: AGREEMENT_STATUSES, default: 'draft' },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true, strict: 'throw' },
);

export type AgreementAttrs = InferSchemaType<typeof agreementSchema>;
export type AgreementDoc = HydratedDocument<AgreementAttrs>;
tellSharingFactsChanges(agreementSchema);
export const SharingAgreement = model('SharingAgreement', agreementSchema);
