/**
 * User accounts, managed by agency admins for their own agency and by system admins for any.
 * Someone out of the admin's reach answers 404. Nobody changes their own roles or disables
 * themselves; agency admins cannot grant `system_admin` or touch a system admin's account.
 * Disabling a user ends their sessions and sockets at once.
 */
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { redisLimiter } from '../../middlewares/rateLimit';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { Agency } from '../../models/Agency';
import { User, hasRole, type UserDoc } from '../../models/User';
import { hashPassword } from '../../auth/passwords';
import { endAllSessions } from '../../auth/sessions';
import { canChangeRoles, canChangeUser, canGrantRoles, canManageUser, canSetDisabled, manageableUsersFilter } from '../../policies/users';
import { presentAdminUser } from '../../presenters/adminUser';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { IdParams } from '../common';
import { SystemUserCreate, UserCreate, UserListQuery, UserPatch, type UserCreateType, type UserListQueryType, type UserPatchType } from './schema';

const duplicateEmail = () => new ConflictError('duplicate_email', 'An account with that email address already exists.');

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Escapes a user's text for use inside a regular expression (no ReDoS, no wildcards). */
function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Only system admins may name the agency: for anyone else `agencyId` is an unknown field (400). */
function validateCreate(): RequestHandler {
  const forSystem = validate(SystemUserCreate);
  const forAgency = validate(UserCreate);
  return (req, res, next) => (hasRole(currentUser(req), 'system_admin') ? forSystem : forAgency)(req, res, next);
}

/** The /api/users router. */
export function usersRouter(ctx: AppContext): Router {
  const router = Router();
  const loginsPerEmail = redisLimiter(ctx, 'login-email', ctx.limits.loginsPerEmail, ctx.limits.windowSeconds);
  router.use(authenticate(), requireRole('agency_admin', 'system_admin'));

  /** Loads a user the admin may manage, or 404. */
  async function load(admin: UserDoc, id: string): Promise<UserDoc> {
    const target = await User.findOne({ _id: id, ...manageableUsersFilter(admin) });
    if (!target || !canManageUser(admin, target)) throw new NotFoundError('No such user.');
    return target;
  }

  router.get('/', validate(UserListQuery, 'query'), async (req, res) => {
    const admin = currentUser(req);
    const q = req.query as unknown as UserListQueryType;
    if (q.agencyId && !hasRole(admin, 'system_admin')) throw new ValidationError('agencyId: only system admins may choose an agency', { field: 'agencyId' });
    const filter: Record<string, unknown> = { ...manageableUsersFilter(admin) };
    if (q.agencyId) filter.agencyId = q.agencyId;
    if (q.role) filter.roles = q.role;
    if (q.disabled) filter.disabled = q.disabled === 'true';
    if (q.q) {
      const re = new RegExp(escapeRegex(q.q), 'i');
      filter.$or = [{ name: re }, { email: re }];
    }
    const [list, total] = await Promise.all([
      User.find(filter).sort({ email: 1 }).skip(q.offset).limit(q.limit),
      User.countDocuments(filter),
    ]);
    res.json({ users: list.map((u) => presentAdminUser(u)), total });
  });

  router.post('/', validateCreate(), async (req, res) => {
    const admin = currentUser(req);
    const body = req.body as UserCreateType;
    if (!canGrantRoles(admin, body.roles)) throw new ForbiddenError('role_not_grantable', 'Only a system admin can grant that role.');
    const agencyId = 'agencyId' in body ? body.agencyId : admin.agencyId;
    if ('agencyId' in body && !(await Agency.exists({ _id: body.agencyId }))) throw new ValidationError('agencyId: no such agency', { field: 'agencyId' });
    if (await User.exists({ email: body.email })) throw duplicateEmail();
    const user = await User.create({
      email: body.email,
      name: body.name,
      roles: body.roles,
      agencyId,
      passwordHash: await hashPassword(body.password),
    }).catch((err: unknown) => {
      throw isDuplicateKey(err) ? duplicateEmail() : err;
    });
    await auditWrite(req, userActor(admin), 'user.create', { type: 'user', id: user._id }, { reason: `roles=${body.roles.join('+')}` });
    res.status(201).json({ user: presentAdminUser(user) });
  });

  router.get('/:id', validate(IdParams, 'params'), async (req, res) => {
    const target = await load(currentUser(req), (req.params as { id: string }).id);
    res.json({ user: presentAdminUser(target) });
  });

  router.patch('/:id', validate(IdParams, 'params'), validate(UserPatch), async (req, res) => {
    const admin = currentUser(req);
    const patch = req.body as UserPatchType;
    const target = await load(admin, (req.params as { id: string }).id);
    if (!canChangeUser(admin, target)) throw new ForbiddenError('forbidden', 'Only a system admin can change a system admin.');
    const rolesChanged = patch.roles !== undefined && !sameSet(patch.roles, target.roles);
    const disabledChanged = patch.disabled !== undefined && patch.disabled !== target.disabled;
    if (rolesChanged && !canChangeRoles(admin, target)) throw new ForbiddenError('cannot_change_own_roles', 'You cannot change your own roles.');
    if (rolesChanged && !canGrantRoles(admin, patch.roles!)) throw new ForbiddenError('role_not_grantable', 'Only a system admin can grant that role.');
    if (disabledChanged && !canSetDisabled(admin, target)) throw new ForbiddenError('cannot_disable_self', 'You cannot disable your own account.');

    const set: Record<string, unknown> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (rolesChanged) set.roles = patch.roles;
    if (disabledChanged) set.disabled = patch.disabled;
    const changed = Object.keys(set).sort();
    let user = target;
    if (changed.length) {
      // Guarded on the version the checks above ran against: a concurrent change makes this a 409.
      const updated = await User.findOneAndUpdate({ _id: target._id, updatedAt: target.updatedAt }, { $set: set }, { returnDocument: 'after', runValidators: true });
      if (!updated) throw new ConflictError();
      user = updated;
      if (disabledChanged && user.disabled) await endAllSessions(ctx, user.id as string);
      // Live sockets stop hearing about a role the user no longer holds, at once.
      if (rolesChanged) ctx.realtime.moveRoleRooms(user.id as string, String(user.agencyId), target.roles, user.roles);
      await auditWrite(req, userActor(admin), 'user.update', { type: 'user', id: user._id }, { reason: `changed=${changed.join('+')}${disabledChanged ? (user.disabled ? ' disabled' : ' enabled') : ''}` });
    }
    res.json({ user: presentAdminUser(user) });
  });

  router.post('/:id/unlock', validate(IdParams, 'params'), async (req, res) => {
    const admin = currentUser(req);
    const target = await load(admin, (req.params as { id: string }).id);
    if (!canChangeUser(admin, target)) throw new ForbiddenError('forbidden', 'Only a system admin can change a system admin.');
    const updated = await User.findOneAndUpdate({ _id: target._id }, { $set: { failedLogins: 0, lockedUntil: null } }, { returnDocument: 'after' });
    if (!updated) throw new NotFoundError('No such user.');
    // The per-email sign-in throttle would otherwise keep refusing them for the rest of its window.
    await loginsPerEmail.reset(updated.email);
    await auditWrite(req, userActor(admin), 'user.unlock', { type: 'user', id: updated._id });
    res.json({ user: presentAdminUser(updated) });
  });

  return router;
}
