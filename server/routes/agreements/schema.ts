import { z } from 'zod';
import { AGREEMENT_STATUSES } from '../../models/SharingAgreement';
import { DATA_CATEGORY_IDS, PURPOSE_IDS } from '../../models/vocab';
import { isoDateTime, objectId } from '../common';

/** POST /api/agreements — drafted by an IG lead of one of the parties. */
export const AgreementInput = z
  .object({
    title: z.string().trim().min(3).max(200),
    parties: z.array(objectId).min(2, 'needs at least two agencies').max(30),
    purposes: z.array(z.enum(PURPOSE_IDS)).min(1, 'needs at least one purpose'),
    categories: z.array(z.enum(DATA_CATEGORY_IDS)).min(1, 'needs at least one data category'),
    lawfulBasis: z
      .object({ article6: z.string().trim().min(3).max(200), article9: z.string().trim().min(3).max(200).optional() })
      .strict(),
    validFrom: isoDateTime,
    validTo: isoDateTime.optional(),
  })
  .strict()
  .refine((a) => new Set(a.parties).size === a.parties.length, { message: 'lists an agency twice', path: ['parties'] })
  .refine((a) => !a.validTo || a.validTo > a.validFrom, { message: 'must be after validFrom', path: ['validTo'] });

/** POST /api/agreements/:id/status — the lifecycle. */
export const StatusInput = z.object({ status: z.enum(AGREEMENT_STATUSES) }).strict();

export type AgreementInputType = z.infer<typeof AgreementInput>;

/** Allowed status moves. */
export const AGREEMENT_TRANSITIONS: Record<string, readonly string[]> = {
  draft: ['active', 'ended'],
  active: ['suspended', 'ended'],
  suspended: ['active', 'ended'],
  ended: [],
};
