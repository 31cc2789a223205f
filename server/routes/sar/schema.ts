import { z } from 'zod';

/** POST /api/people/:id/sar — the step-up code (missing or wrong: 401 step_up_failed). */
export const SarInput = z.object({ code: z.string().trim().min(1).max(64).optional() }).strict();

/** `?format=html` for the printable page; JSON otherwise. */
export const SarQuery = z.object({ format: z.enum(['json', 'html']).default('json') }).strict();

export type SarInputType = z.infer<typeof SarInput>;
export type SarQueryType = z.infer<typeof SarQuery>;
