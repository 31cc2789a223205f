import { z } from 'zod';
import { objectId, text } from '../common';

/** `POST /api/duty/handover`: to a named duty manager, or to whoever is on call now at level 1. */
export const HandoverInput = z
  .object({
    toUserId: objectId.optional(),
    /** Only these alerts (default: all the caller holds). */
    alertIds: z.array(objectId).min(1).max(200).optional(),
    /** What the incoming manager should know. No personal data: link to the alert instead. */
    note: text(4000),
  })
  .strict();
export type HandoverInputType = z.infer<typeof HandoverInput>;

/** `PUT /api/duty/handover-note`: saved for the automatic handover at shift end. */
export const HandoverNoteInput = z.object({ note: z.string().trim().min(1, 'is required').max(4000, 'must be at most 4000 characters') }).strict();

/** `GET /api/duty/deliveries`. */
export const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

/** `POST /api/duty/webhooks`. */
export const WebhookInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    url: z
      .string()
      .url('must be a URL')
      .max(2000)
      .refine((u) => /^https?:\/\//.test(u), 'must be http or https'),
  })
  .strict();
