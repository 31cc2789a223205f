import { z } from 'zod';

/** Scopes an API key may carry today. */
export const API_SCOPES = ['ingest'] as const;

/** POST /api/api-clients — a name for the sending system and its scopes. Nothing else. */
export const ApiClientCreate = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200),
    scopes: z
      .array(z.enum(API_SCOPES))
      .min(1, 'needs at least one scope')
      .refine((s) => new Set(s).size === s.length, 'lists a scope twice'),
  })
  .strict();

export type ApiClientCreateType = z.infer<typeof ApiClientCreate>;
