import { z } from 'zod';
import { ROLES } from '../../models/roles';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwords';
import { objectId } from '../common';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address'));
const name = z.string().trim().min(1, 'is required').max(200);
const roles = z
  .array(z.enum(ROLES))
  .min(1, 'needs at least one role (disable the account instead)')
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'lists a role twice');
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/**
 * POST /api/users by an agency admin: the new user joins the admin's agency. The admin sets the
 * initial password and passes it on out of band. Anything else (`agencyId`, `passwordHash`, `mfa`,
 * `disabled`, `failedLogins`, ...) is refused by `.strict()`.
 */
export const UserCreate = z.object({ email, name, roles, password }).strict();

/** POST /api/users by a system admin: as above, naming the agency. */
export const SystemUserCreate = UserCreate.extend({ agencyId: objectId }).strict();

/** PATCH /api/users/:id — name, roles, disabled; at least one. */
export const UserPatch = z
  .object({ name: name.optional(), roles: roles.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'change at least one field', path: ['body'] });

/** GET /api/users — filters are plain strings; `q` matches a substring of name or email. */
export const UserListQuery = z
  .object({
    role: z.enum(ROLES).optional(),
    q: z.string().trim().min(1).max(100).optional(),
    /** System admins only: whose users (default: every agency). */
    agencyId: objectId.optional(),
    disabled: z.enum(['true', 'false']).optional(),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export type UserCreateType = z.infer<typeof SystemUserCreate> | z.infer<typeof UserCreate>;
export type UserPatchType = z.infer<typeof UserPatch>;
export type UserListQueryType = z.infer<typeof UserListQuery>;
