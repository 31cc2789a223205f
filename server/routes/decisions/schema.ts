import { z } from 'zod';
import { DECISION_BASES, DECISION_STATUSES } from '../../models/SharingDecision';
import { DATA_CATEGORY_IDS, PURPOSE_IDS, SENSITIVE_FIELD_IDS } from '../../models/vocab';
import { isoDateTime, objectId, text } from '../common';

/** Longest a decision to share without consent may run before it must be made again. */
export const MAX_DECISION_DAYS = 365;

const unique = <T>(list: T[]) => new Set(list).size === list.length;

/** POST /api/people/:id/decisions — a decision to share without consent. */
export const DecisionInput = z
  .object({
    basis: z.enum(DECISION_BASES),
    justification: z.string().trim().min(20, 'must be at least 20 characters').max(4000),
    scope: z
      .object({
        agencies: z.array(objectId).min(1, 'name at least one agency').max(30).refine(unique, 'lists an agency twice'),
        purposes: z.array(z.enum(PURPOSE_IDS)).min(1, 'needs at least one purpose').max(10),
        categories: z.array(z.enum(DATA_CATEGORY_IDS)).min(1, 'needs at least one data category').max(20),
        /** Sensitive fields to disclose explicitly; none unless listed. */
        sensitiveFields: z.array(z.enum(SENSITIVE_FIELD_IDS)).max(10).default([]),
      })
      .strict(),
    expiresAt: isoDateTime,
    reviewAt: isoDateTime,
    /** A duty manager's out-of-hours decision: takes effect at once, reviewed next working day. */
    emergency: z.boolean().default(false),
  })
  .strict()
  .superRefine((d, ctx) => {
    const now = Date.now();
    if (d.expiresAt.getTime() <= now) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be in the future' });
    else if (d.expiresAt.getTime() > now + MAX_DECISION_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: `must be within ${MAX_DECISION_DAYS} days` });
    }
    if (d.reviewAt.getTime() <= now) ctx.addIssue({ code: 'custom', path: ['reviewAt'], message: 'must be in the future' });
    else if (d.reviewAt.getTime() > d.expiresAt.getTime()) ctx.addIssue({ code: 'custom', path: ['reviewAt'], message: 'must not be after expiresAt' });
  });

export type DecisionInputType = z.infer<typeof DecisionInput>;

/** POST /api/decisions/:id/sign-off and /reject — the IG lead's note stays on the decision, never in the audit log. */
export const SignOffInput = z.object({ note: text(2000) }).strict();

/** POST /api/decisions/:id/reject — a reason is required. */
export const RejectInput = z.object({ note: z.string().trim().min(1, 'say why').max(2000) }).strict();

/** POST /api/decisions/:id/revoke — no body. */
export const RevokeInput = z.object({}).strict();

/** GET /api/decisions — the IG lead's queue. */
export const DecisionQuery = z.object({ status: z.enum(DECISION_STATUSES).optional() }).strict();
