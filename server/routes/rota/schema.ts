import { z } from 'zod';
import { WEEKDAYS, domainConfig } from '../../../config/domain';
import { isoDateTime, objectId } from '../common';

/** The longest one-off period (an override or swap). */
export const MAX_SHIFT_DAYS = 31;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');

/** An escalation level id from escalation.json. */
export const levelId = z.string().refine((id) => domainConfig().escalation.levels.some((l) => l.id === id), {
  message: `must be one of: ${domainConfig().escalation.levels.map((l) => l.id).join(', ')}`,
});

/** `?shared=true` works on the shared, panel-wide rota (system admins). */
const shared = z.enum(['true', 'false']).transform((v) => v === 'true').optional();

export const LevelParams = z.object({ level: levelId }).strict();

/** `?shared=true` alone: the candidates list and deleting a pattern. */
export const SharedQuery = z.object({ shared }).strict();

export const RotaQuery = z
  .object({ shared, from: isoDateTime.optional(), days: z.coerce.number().int().min(1).max(31).default(14) })
  .strict();

export const PatternInput = z
  .object({
    shared: z.boolean().optional(),
    /**
     * The pattern's `updatedAt` as the editor last read it (null: there was none). When given, a
     * pattern changed or created by someone else since is refused with 409 `rota_changed`
     * rather than overwritten.
     */
    expectedUpdatedAt: isoDateTime.nullable().optional(),
    slots: z
      .array(
        z
          .object({
            days: z.array(z.enum(WEEKDAYS)).min(1, 'needs at least one day').max(7),
            start: hhmm,
            end: hhmm,
            userId: objectId,
          })
          .strict(),
      )
      .max(50),
  })
  .strict();
export type PatternInputType = z.infer<typeof PatternInput>;

const periodBase = { shared: z.boolean().optional(), level: levelId, from: isoDateTime, to: isoDateTime };
const orderly = (v: { from: Date; to: Date }) => v.to > v.from;
const bounded = (v: { from: Date; to: Date }) => v.to.getTime() - v.from.getTime() <= MAX_SHIFT_DAYS * 86_400_000;
const ORDER = { message: 'must be after from', path: ['to'] };
const BOUND = { message: `must be within ${MAX_SHIFT_DAYS} days of from`, path: ['to'] };

export const OverrideInput = z.object({ ...periodBase, userId: objectId }).strict().refine(orderly, ORDER).refine(bounded, BOUND);
export type OverrideInputType = z.infer<typeof OverrideInput>;

export const SwapInput = z
  .object({ ...periodBase, fromUserId: objectId, toUserId: objectId })
  .strict()
  .refine(orderly, ORDER)
  .refine(bounded, BOUND)
  .refine((v) => v.fromUserId !== v.toUserId, { message: 'must differ from fromUserId', path: ['toUserId'] });
export type SwapInputType = z.infer<typeof SwapInput>;
