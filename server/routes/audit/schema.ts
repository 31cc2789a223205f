import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../../models/AuditEvent';
import { isoDateTime, objectId } from '../common';

/** Most events one page returns. */
export const AUDIT_PAGE_MAX = 200;

/** A positive whole number sent as a query string (no coercion of arrays or objects). */
const positiveInt = z
  .string()
  .regex(/^[1-9]\d{0,14}$/, 'must be a positive whole number')
  .transform(Number);

/**
 * GET /api/audit and /api/audit/fhir — filters and keyset pagination (newest first; `before` is
 * the `nextBefore` of the previous page). Unknown keys and operator objects are refused.
 */
export const AuditQuery = z
  .object({
    action: z.string().max(64).regex(/^[a-z][a-z_]*(\.[a-z_]+)*$/, 'must be an action code').optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    userId: objectId.optional(),
    personId: objectId.optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    before: positiveInt.optional(),
    limit: positiveInt.refine((n) => n <= AUDIT_PAGE_MAX, `must be at most ${AUDIT_PAGE_MAX}`).default(50),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });

export type AuditQueryType = z.infer<typeof AuditQuery>;
