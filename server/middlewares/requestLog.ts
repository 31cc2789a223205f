import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

/**
 * One line per request: method, route path (never the query string, which may carry search
 * terms about a person), status, duration, request id and the user's id.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const user = req.user as { id?: string } | undefined;
      logger.info(
        { requestId: req.id, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10, userId: user?.id },
        'request',
      );
    });
    next();
  };
}
