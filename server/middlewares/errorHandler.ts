import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError, RateLimitError } from '../errors';
import type { Logger } from '../logger';

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
}

/** Body-parser failures get their own stable codes. */
function fromBodyParser(err: HttpishError): { status: number; code: string; message: string } | null {
  if (err.type === 'entity.parse.failed') return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' };
  if (err.type === 'entity.too.large') return { status: 413, code: 'payload_too_large', message: 'The request body is too large.' };
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return { status: 415, code: 'unsupported_encoding', message: 'Unsupported body encoding.' };
  }
  return null;
}

/** The single error handler: stable codes for known errors, a bare 500 with the request id otherwise. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const requestId = req.id;
    const parser = err && typeof err === 'object' ? fromBodyParser(err as HttpishError) : null;
    if (parser) {
      res.status(parser.status).json({ error: { code: parser.code, message: parser.message, requestId } });
      return;
    }
    if (err instanceof AppError) {
      if (err instanceof RateLimitError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      if (err.status >= 500) logger.error({ requestId, code: err.code }, 'request failed');
      res.status(err.status).json({ error: { code: err.code, message: err.message, requestId, ...(err.details ?? {}) } });
      return;
    }
    const name = err instanceof Error ? err.name : typeof err;
    // Only the error's class and stack frames: messages from drivers can quote the data they choked on.
    logger.error({ requestId, errorName: name, stack: err instanceof Error ? err.stack?.split('\n').slice(1, 6).join('\n') : undefined }, 'unhandled error');
    if (res.headersSent) return;
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong. Quote this request id if you report it.', requestId } });
  };
}

/** 404 for unknown API paths, in the same error shape. */
export function apiNotFound(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError('No such endpoint.'));
}
