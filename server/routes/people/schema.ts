import { z } from 'zod';
import { PURPOSES } from '../../sharing';
import { isoDate, objectId } from '../common';

const field = (max: number) => z.string().trim().min(1).max(max).optional();

/** GET /api/people/search — at least two identifying fields, so nobody can fish. */
export const SearchQuery = z
  .object({
    givenName: field(100),
    familyName: field(100),
    dateOfBirth: isoDate.optional(),
    nhsNumber: z.string().transform((s) => s.replace(/\s+/g, '')).pipe(z.string().regex(/^\d{10}$/, 'must be 10 digits')).optional(),
    postcode: field(10),
    purpose: z.enum(PURPOSES).optional(),
  })
  .strict()
  .refine((q) => ['givenName', 'familyName', 'dateOfBirth', 'nhsNumber', 'postcode'].filter((k) => q[k as keyof typeof q]).length >= 2, {
    message: 'give at least two of: given name, family name, date of birth, NHS number, postcode',
    path: ['query'],
  });

/** GET /api/people/:id — the purpose of the look (defaults by role). */
export const PersonQuery = z.object({ purpose: z.enum(PURPOSES).optional() }).strict();

export type SearchQueryType = z.infer<typeof SearchQuery>;

/** POST /api/people/:id/unlink — the record to take off the person into a person of its own. */
export const UnlinkInput = z.object({ encounterId: objectId }).strict();

/** POST /api/people/:id/merge — the person whose records move to this one (they are marked merged). */
export const MergeInput = z.object({ sourceId: objectId }).strict();

export type UnlinkInputType = z.infer<typeof UnlinkInput>;
export type MergeInputType = z.infer<typeof MergeInput>;
