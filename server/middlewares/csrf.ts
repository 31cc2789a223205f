import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from '../errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's CSRF token, created on first use. */
export function csrfTokenFor(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Synchronizer-token CSRF protection for cookie-authenticated writes: a non-GET request must carry
 * `X-CSRF-Token` equal to its session's token, and a browser-sent Origin must be one we serve.
 * API-key requests carry no cookie and are exempt.
 */
export function csrfProtection(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    if (req.get('authorization')?.startsWith('ApiKey ')) return next();
    const origin = req.get('origin');
    if (origin && !allowedOrigins.includes(origin)) return next(new ForbiddenError('bad_origin', 'Requests from that origin are not accepted.'));
    const sent = req.get('x-csrf-token');
    const expected = req.session?.csrfToken;
    if (!sent || !expected || !same(sent, expected)) {
      return next(new ForbiddenError('csrf_failed', 'Your page is out of date. Reload and try again.'));
    }
    next();
  };
}
