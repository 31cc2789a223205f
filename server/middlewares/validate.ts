import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../errors';

type Part = 'body' | 'query' | 'params';

/**
 * Validates one part of the request against a zod schema (use `.strict()` objects, so unknown or
 * privileged fields like `role` or `agencyId` are refused). The first problem becomes a 400
 * `"field: message"`; the parsed value replaces the raw one for the handler.
 */
export function validate<T extends z.ZodType>(schema: T, part: Part = 'body'): RequestHandler {
  return (req, _res, next) => {
    const raw = part === 'body' ? (req.body ?? {}) : req[part];
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue.path.length ? issue.path.join('.') : part;
      next(new ValidationError(`${field}: ${issue.message}`, { field }));
      return;
    }
    if (part === 'query') {
      // Express 5 exposes req.query as a getter; keep the parsed copy beside it.
      Object.defineProperty(req, 'query', { value: result.data, writable: true, configurable: true });
    } else {
      (req as unknown as Record<Part, unknown>)[part] = result.data;
    }
    next();
  };
}
