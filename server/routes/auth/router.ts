/**
 * Sign-in, second factor, sign-out and the session probe. Every failure of a credential answers
 * the same 401 `invalid_credentials`, whether the account exists, is locked or is disabled.
 */
import { Router, type Request } from 'express';
import type { PassportInstance as Passport } from '../../auth/passport';
import type { AppContext } from '../../context';
import { validate } from '../../middlewares/validate';
import { authenticate, currentUser, mfaSatisfied } from '../../middlewares/authenticate';
import { csrfTokenFor } from '../../middlewares/csrf';
import { redisLimiter } from '../../middlewares/rateLimit';
import { AuthenticationError, ConflictError } from '../../errors';
import { checkCredentials } from '../../auth/passport';
import { trackSession, untrackSession, sessionCookieName } from '../../auth/sessions';
import { completeMfa, startEnrolment, activateEnrolment } from '../../commands/mfa';
import { Agency } from '../../models/Agency';
import { User, type UserDoc } from '../../models/User';
import { presentUser } from '../../presenters/user';
import { CodeSchema, LoginSchema, type CodeBody, type LoginBody } from './schema';
import { category } from '../../logger';
import { appendAudit } from '../../audit';
import { userActor } from '../../commands/auditTrail';

const MFA_PENDING_MS = 5 * 60_000;

async function sessionBody(req: Request) {
  const user = req.isAuthenticated() ? currentUser(req) : null;
  const agency = user ? await Agency.findById(user.agencyId) : null;
  return {
    user: user ? presentUser(user, agency) : null,
    csrfToken: csrfTokenFor(req),
    mfa: {
      pending: !user && Boolean(req.session.pendingMfaUserId),
      enrollmentRequired: user ? !mfaSatisfied(user) : false,
    },
  };
}

/** Regenerates the session (fixation defence) and signs the user in. */
async function signIn(ctx: AppContext, req: Request, user: UserDoc): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  const now = Date.now();
  req.session.createdAt = now;
  req.session.lastSeenAt = now;
  await trackSession(ctx, user.id, req.sessionID);
  await User.updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date(now) } });
  category(ctx.logger, 'auth').info({ userId: user.id, requestId: req.id }, 'signed in');
  await appendAudit({ actor: userActor(user), action: 'auth.login', subject: { type: 'user', id: user._id }, outcome: 'succeeded', requestId: req.id });
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

/** The /api/auth router. */
export function authRouter(ctx: AppContext, _passport: Passport): Router {
  const router = Router();
  const perIp = redisLimiter(ctx, 'login-ip', ctx.limits.loginsPerIp, ctx.limits.windowSeconds);
  const perEmail = redisLimiter(ctx, 'login-email', ctx.limits.loginsPerEmail, ctx.limits.windowSeconds);
  const perMfa = redisLimiter(ctx, 'mfa', ctx.limits.maxFailedLogins, ctx.limits.windowSeconds);

  router.get('/session', async (req, res) => {
    res.json(await sessionBody(req));
  });

  router.post('/login', validate(LoginSchema), async (req, res) => {
    const body = req.body as LoginBody;
    await perIp.consume(req.ip ?? 'unknown');
    await perEmail.consume(body.email.toLowerCase());
    const user = await checkCredentials(ctx, body.email, body.password);
    if (!user) {
      // Who tried is not recorded: the email may not be an account, and is personal data.
      await appendAudit({ actor: {}, action: 'auth.login', subject: { type: 'user' }, outcome: 'failed', reason: 'invalid_credentials', requestId: req.id });
      throw new AuthenticationError('invalid_credentials', 'Email or password is incorrect, or the account is locked.');
    }
    await perEmail.reset(body.email.toLowerCase());
    if (user.mfa.enabled) {
      await regenerate(req);
      req.session.pendingMfaUserId = user.id;
      req.session.pendingMfaAt = Date.now();
      res.json(await sessionBody(req));
      return;
    }
    await signIn(ctx, req, user);
    res.json(await sessionBody(req));
  });

  router.post('/mfa/verify', validate(CodeSchema), async (req, res) => {
    const { code } = req.body as CodeBody;
    const pendingId = req.session.pendingMfaUserId;
    const fresh = req.session.pendingMfaAt !== undefined && Date.now() - req.session.pendingMfaAt < MFA_PENDING_MS;
    if (!pendingId || !fresh) throw new AuthenticationError('unauthenticated', 'Sign in with your password first.');
    await perMfa.consume(pendingId);
    const user = await completeMfa(ctx, pendingId, code);
    if (!user) throw new AuthenticationError('invalid_code', 'That code is not valid. Try the current code from your app.');
    await perMfa.reset(pendingId);
    await signIn(ctx, req, user);
    res.json(await sessionBody(req));
  });

  router.post('/mfa/enroll', authenticate({ allowMfaEnrolment: true }), async (req, res) => {
    const user = currentUser(req);
    if (user.mfa.enabled) throw new ConflictError('mfa_already_enabled', 'Two-step verification is already set up.');
    res.json(await startEnrolment(ctx, user));
  });

  router.post('/mfa/activate', authenticate({ allowMfaEnrolment: true }), validate(CodeSchema), async (req, res) => {
    const user = currentUser(req);
    const { code } = req.body as CodeBody;
    await perMfa.consume(user.id);
    const result = await activateEnrolment(ctx, user, code);
    if (!result) throw new AuthenticationError('invalid_code', 'That code is not valid. Try the current code from your app.');
    const agency = await Agency.findById(result.user.agencyId);
    res.json({ recoveryCodes: result.recoveryCodes, user: presentUser(result.user, agency) });
  });

  router.post('/logout', async (req, res) => {
    const sid = req.sessionID;
    const user = req.isAuthenticated() ? currentUser(req) : null;
    if (user) {
      await untrackSession(ctx, user.id, sid);
      await appendAudit({ actor: userActor(user), action: 'auth.logout', subject: { type: 'user', id: user._id }, outcome: 'succeeded', requestId: req.id });
    }
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    ctx.realtime.disconnectSession(sid);
    res.clearCookie(sessionCookieName(ctx), { path: '/' });
    res.status(204).end();
  });

  return router;
}
