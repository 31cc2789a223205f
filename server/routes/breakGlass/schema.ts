import { z } from 'zod';
import { BREAK_GLASS_OUTCOMES } from '../../models/BreakGlass';
import { text } from '../common';

/** POST /api/people/:id/break-glass — a written reason and a fresh second-factor code. */
export const BreakGlassInput = z
  .object({
    reason: z.string().trim().min(20, 'must be at least 20 characters').max(2000),
    /** A current TOTP code (or a recovery code); checked by requireStepUp, so a missing one is a 401. */
    code: z.string().trim().max(64).optional(),
  })
  .strict();

export type BreakGlassInputType = z.infer<typeof BreakGlassInput>;

/** GET /api/break-glass — the IG lead's queue. */
export const BreakGlassQuery = z.object({ reviewed: z.enum(['true', 'false']).optional() }).strict();

/** POST /api/break-glass/:id/review. */
export const ReviewInput = z.object({ outcome: z.enum(BREAK_GLASS_OUTCOMES), note: text(2000) }).strict();

export type ReviewInputType = z.infer<typeof ReviewInput>;
