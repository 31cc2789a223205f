import { z } from 'zod';
import { CONSENT_STATUSES } from '../../models/Consent';
import { DATA_CATEGORY_IDS, PURPOSE_IDS } from '../../models/vocab';
import { isoDateTime, objectId, text } from '../common';

/** POST /api/people/:id/consents — one new entry in the append-only history. */
export const ConsentInput = z
  .object({
    status: z.enum(CONSENT_STATUSES),
    scope: z
      .object({
        allPanel: z.boolean().default(false),
        agencies: z.array(objectId).max(50).default([]),
        purposes: z.array(z.enum(PURPOSE_IDS)).max(10).default([]),
        categories: z.array(z.enum(DATA_CATEGORY_IDS)).max(20).default([]),
      })
      .strict()
      .default({ allPanel: false, agencies: [], purposes: [], categories: [] }),
    evidence: text(1000),
    expiresAt: isoDateTime.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.status === 'given') {
      if (!c.scope.allPanel && c.scope.agencies.length === 0) ctx.addIssue({ code: 'custom', path: ['scope', 'agencies'], message: 'name the agencies, or choose all panel agencies' });
      if (c.scope.purposes.length === 0) ctx.addIssue({ code: 'custom', path: ['scope', 'purposes'], message: 'needs at least one purpose' });
      if (c.scope.categories.length === 0) ctx.addIssue({ code: 'custom', path: ['scope', 'categories'], message: 'needs at least one data category' });
    }
    if (['given', 'refused', 'withdrawn'].includes(c.status) && !c.evidence) {
      ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'say how the person gave this decision' });
    }
    if (c.expiresAt && c.expiresAt.getTime() <= Date.now()) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be in the future' });
  });

export type ConsentInputType = z.infer<typeof ConsentInput>;
