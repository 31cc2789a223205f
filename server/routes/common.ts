import { z } from 'zod';

/** A MongoDB ObjectId as 24 hex characters; anything else (objects, operators) is a 400. */
export const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');

/** `:id` path parameter. */
export const IdParams = z.object({ id: objectId }).strict();

/** A calendar date YYYY-MM-DD that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'must be a real date');

/** An ISO 8601 date-time with an offset or Z. */
export const isoDateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** Optional free text: trimmed, empty becomes undefined. */
export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .transform((s) => s.trim())
    .transform((s) => (s === '' ? undefined : s))
    .optional();
}
