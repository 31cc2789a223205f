import { z } from 'zod';
import { SEVERITIES } from '../../../config/domain';
import { ALERT_STATUSES } from '../../models/Alert';
import { CLOSE_OUTCOMES } from '../../alerts/lifecycle';
import { objectId } from '../common';

/** Inbox filters. `status=active` (the default) means every state but closed. */
export const AlertListQuery = z
  .object({
    status: z.enum([...ALERT_STATUSES, 'active']).default('active'),
    severity: z.enum(SEVERITIES).optional(),
    ruleId: z.string().regex(/^[a-z0-9_]{1,100}$/, 'must be a rule id').optional(),
    assigned: z.enum(['me']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();
export type AlertListQueryType = z.infer<typeof AlertListQuery>;

export const AssignInput = z.object({ userId: objectId }).strict();

export const NoteInput = z.object({ text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters') }).strict();

export const CloseInput = z
  .object({
    outcome: z.enum(CLOSE_OUTCOMES),
    note: z.string().trim().max(4000, 'must be at most 4000 characters').optional(),
  })
  .strict();

export const EmptyInput = z.object({}).strict();
