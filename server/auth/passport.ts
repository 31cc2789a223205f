/**
 * Passport wiring: the local (email + password) strategy with account lockout, the API-key
 * strategy, and session (de)serialisation that drops disabled users on their next request.
 */
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AppContext } from '../context';
import { User, type UserDoc } from '../models/User';
import { verifyPassword, MAX_PASSWORD_LENGTH } from './passwords';
import { ApiKeyStrategy } from './apiKeys';
import { category } from '../logger';

/** Checks a password and applies the lockout policy. Returns the user or null (never says why). */
export async function checkCredentials(ctx: AppContext, email: string, password: string): Promise<UserDoc | null> {
  const log = category(ctx.logger, 'auth');
  if (password.length > MAX_PASSWORD_LENGTH) return null;
  const user = await User.findOne({ email: email.trim().toLowerCase() });
  const ok = await verifyPassword(user?.passwordHash, password);
  if (!user) return null;
  const now = new Date();
  if (user.disabled || (user.lockedUntil && user.lockedUntil > now)) {
    log.info({ userId: user.id, outcome: user.disabled ? 'disabled' : 'locked' }, 'login refused');
    return null;
  }
  if (!ok) {
    const failed = user.failedLogins + 1;
    const lock = failed >= ctx.limits.maxFailedLogins;
    // State-guarded so concurrent failures count once each.
    await User.updateOne(
      { _id: user._id },
      lock
        ? { $set: { failedLogins: 0, lockedUntil: new Date(now.getTime() + ctx.limits.lockoutMs) } }
        : { $inc: { failedLogins: 1 } },
    );
    log.info({ userId: user.id, outcome: lock ? 'locked' : 'bad_password' }, 'login failed');
    return null;
  }
  await User.updateOne({ _id: user._id }, { $set: { failedLogins: 0, lockedUntil: null } });
  return user;
}

/** A Passport instance configured for this app. */
/** A configured Passport instance (its own strategies, not the global singleton). */
export type PassportInstance = InstanceType<typeof Passport>;

export function createPassport(ctx: AppContext): PassportInstance {
  const passport = new Passport();
  passport.use(
    'local',
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: false }, (email, password, done) => {
      checkCredentials(ctx, email, password)
        .then((user) => done(null, user ?? false))
        .catch((err: unknown) => done(err));
    }),
  );
  passport.use('api-key', new ApiKeyStrategy());
  passport.serializeUser((user, done) => done(null, String((user as UserDoc).id)));
  passport.deserializeUser((id: unknown, done) => {
    if (typeof id !== 'string' || !/^[a-f0-9]{24}$/.test(id)) return done(null, false);
    User.findById(id)
      .then((user) => done(null, user && !user.disabled ? user : false))
      .catch((err: unknown) => done(err));
  });
  return passport;
}
