import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwords';

/** POST /api/auth/login. Strings only: `{"email": {"$gt": ""}}` is a 400, never a query. */
export const LoginSchema = z
  .object({
    email: z.string().trim().max(254).pipe(z.email('must be an email address')),
    password: z.string().min(1, 'is required').max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
  })
  .strict();

/** POST /api/auth/mfa/verify and /activate: a 6-digit TOTP code or a recovery code. */
export const CodeSchema = z
  .object({ code: z.string().trim().min(6, 'is required').max(40) })
  .strict();

export type LoginBody = z.infer<typeof LoginSchema>;
export type CodeBody = z.infer<typeof CodeSchema>;
