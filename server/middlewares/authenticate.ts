import type { Request, RequestHandler } from 'express';
import { AuthenticationError, ForbiddenError } from '../errors';
import { requiresMfa, type UserDoc } from '../models/User';
import type { Role } from '../models/roles';
import type { PassportInstance as Passport } from '../auth/passport';
import type { ApiPrincipal } from '../auth/apiKeys';

/** The signed-in user of a session request. Only call after `authenticate`. */
export function currentUser(req: Request): UserDoc {
  return req.user as UserDoc;
}

/** True once the user has the second factor their roles demand. */
export function mfaSatisfied(user: UserDoc): boolean {
  return !requiresMfa(user) || user.mfa.enabled;
}

/**
 * Requires a signed-in user. Users whose roles need a second factor and who have none yet may
 * only reach the enrolment endpoints (`allowMfaEnrolment`).
 */
export function authenticate(options: { allowMfaEnrolment?: boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    const user = req.user as UserDoc | undefined;
    if (!user || !req.isAuthenticated()) return next(new AuthenticationError());
    if (!options.allowMfaEnrolment && !mfaSatisfied(user)) {
      return next(new ForbiddenError('mfa_enrollment_required', 'Set up two-step verification to continue.'));
    }
    next();
  };
}

/** Requires one of the roles (use after authenticate). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const user = req.user as UserDoc;
    if (!roles.some((r) => user.roles.includes(r))) return next(new ForbiddenError());
    next();
  };
}

/** Authenticates an agency system by API key (no session), requiring a scope. */
export function authenticateApiClient(passport: Passport, scope: string): RequestHandler {
  return (req, res, next) => {
    passport.authenticate('api-key', { session: false }, (err: unknown, principal: ApiPrincipal | false) => {
      if (err) return next(err);
      if (!principal) return next(new AuthenticationError('invalid_api_key', 'A valid API key is required.'));
      if (!principal.scopes.includes(scope)) return next(new ForbiddenError('missing_scope', `This key lacks the "${scope}" scope.`));
      res.locals.apiClient = principal;
      next();
    })(req, res, next);
  };
}
