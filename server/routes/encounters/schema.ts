import { z } from 'zod';
import { DATA_CATEGORY_IDS, ENCOUNTER_KIND_IDS, RISK_CATEGORY_IDS, RISK_LEVEL_IDS } from '../../models/vocab';
import { isoDate, isoDateTime, text } from '../common';

/** NHS number: ten digits (spaces allowed) — the check digit is verified by the command. */
const nhsNumber = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{10}$/, 'must be 10 digits'))
  .optional();

const riskIndicator = z
  .object({
    category: z.enum(RISK_CATEGORY_IDS, { message: 'is not a risk category in the common taxonomy' }).optional(),
    level: z.enum(RISK_LEVEL_IDS, { message: `must be one of ${RISK_LEVEL_IDS.join(', ')}` }).optional(),
    localCode: z.string().trim().min(1).max(50).optional(),
    note: text(1000),
  })
  .strict()
  .refine((r) => Boolean(r.localCode) || (r.category !== undefined && r.level !== undefined), {
    message: 'needs either category and level, or the agency localCode',
  });

/** One encounter as an agency sends it (API key, a user, or one CSV row). */
export const EncounterInput = z
  .object({
    externalRef: z.string().trim().min(1, 'is required').max(100).regex(/^[A-Za-z0-9._:/-]+$/, 'may contain letters, digits and . _ : / - only'),
    occurredAt: isoDateTime,
    kind: z.enum(ENCOUNTER_KIND_IDS, { message: 'is not a known kind of encounter (e.g. crisis_contact, police_report, ae_attendance)' }),
    subject: z
      .object({
        givenName: text(100),
        familyName: text(100),
        dateOfBirth: isoDate.optional(),
        nhsNumber,
        postcode: text(10),
        address: text(300),
        phone: text(30),
      })
      .strict(),
    riskIndicators: z.array(riskIndicator).max(50).default([]),
    summary: text(4000),
    categories: z
      .array(z.enum(DATA_CATEGORY_IDS, { message: `must be data categories from: ${DATA_CATEGORY_IDS.join(', ')}` }))
      .min(1, 'needs at least one data category')
      .max(20),
    sensitive: z
      .object({ safeAddress: text(300), newPhone: text(30), domesticAbuseDisclosure: text(2000) })
      .strict()
      .default({}),
  })
  .strict()
  .refine((e) => e.occurredAt.getTime() <= Date.now() + 5 * 60_000, { message: 'cannot be in the future', path: ['occurredAt'] });

export type EncounterInputType = z.infer<typeof EncounterInput>;
