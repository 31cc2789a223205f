import { z } from 'zod';
import { AGENCY_KINDS } from '../../models/roles';

const code = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9_-]{2,20}$/, 'must be 2–20 letters, digits, _ or -'));
const name = z.string().trim().min(2).max(200);

/** POST /api/agencies — system admins only. */
export const AgencyInput = z
  .object({ code, name, kind: z.enum(AGENCY_KINDS), active: z.boolean().optional() })
  .strict();

/** PATCH /api/agencies/:id — any subset of the fields, at least one. */
export const AgencyPatch = z
  .object({ code: code.optional(), name: name.optional(), kind: z.enum(AGENCY_KINDS).optional(), active: z.boolean().optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'change at least one field', path: ['body'] });

/** GET /api/agencies — system admins may ask for inactive agencies too. */
export const AgencyListQuery = z.object({ includeInactive: z.enum(['true', 'false']).optional() }).strict();

export type AgencyInputType = z.infer<typeof AgencyInput>;
export type AgencyPatchType = z.infer<typeof AgencyPatch>;
