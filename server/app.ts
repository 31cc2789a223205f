/**
 * The Express app factory (no listen): security headers, bounded JSON bodies, request ids and
 * logs, sessions in Redis, CSRF, passport, the API routers, the built client, one error handler.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { PassportInstance as Passport } from './auth/passport';
import type { AppContext } from './context';
import { requestId } from './middlewares/requestId';
import { requestLog } from './middlewares/requestLog';
import { apiNotFound, errorHandler } from './middlewares/errorHandler';
import { csrfProtection } from './middlewares/csrf';
import { sessionMiddleware, sessionTimeouts } from './auth/sessions';
import { createPassport } from './auth/passport';
import { healthRouter } from './routes/health';
import { authRouter } from './routes/auth/router';
import { meRouter } from './routes/me';
import { adminRouter } from './routes/admin/router';
import { ingestRouter } from './routes/ingest/router';
import { encountersRouter } from './routes/encounters/router';
import { peopleRouter } from './routes/people/router';
import { agreementsRouter } from './routes/agreements/router';
import { importsRouter } from './routes/imports/router';
import { decisionsRouter } from './routes/decisions/router';
import { breakGlassRouter } from './routes/breakGlass/router';
import { auditRouter } from './routes/audit/router';
import { agenciesRouter } from './routes/agencies/router';
import { usersRouter } from './routes/users/router';
import { apiClientsRouter } from './routes/apiClients/router';
import { alertsRouter } from './routes/alerts/router';
import { cancelEscalations } from './duty/escalation';
import { tasksRouter } from './routes/tasks/router';
import { codeMapRouter } from './routes/codeMap/router';
import { conferencesRouter } from './routes/conferences/router';
import { matchReviewsRouter } from './routes/matchReviews/router';
import { dutyRouter } from './routes/duty/router';
import { rotaRouter } from './routes/rota/router';
import { category } from './logger';

/** Largest JSON body accepted; bigger ones get 413 `payload_too_large`. */
export const JSON_LIMIT = '256kb';

export interface BuiltApp {
  app: express.Express;
  /** Session + passport middlewares, reused for the Socket.io handshake. */
  sessionHandlers: RequestHandler[];
  passport: Passport;
}

/** Where the built client lives, from source (server/) or compiled (dist/server/). */
export function clientDistDir(): string | null {
  for (const rel of ['../client/dist', '../../client/dist']) {
    const dir = path.resolve(__dirname, rel);
    if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return null;
}

/** Builds the app for a context. */
export function createApp(ctx: AppContext): BuiltApp {
  const app = express();
  const log = category(ctx.logger, 'http');
  const passport = createPassport(ctx);
  const sessionHandlers: RequestHandler[] = [sessionMiddleware(ctx), passport.session()];

  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(requestId());
  app.use(requestLog(log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: ctx.config.secureCookies ? [] : null,
        },
      },
      hsts: ctx.config.secureCookies,
    }),
  );
  app.use(healthRouter(ctx));

  const api = express.Router();
  api.use(express.json({ limit: JSON_LIMIT, strict: true }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use('/ingest', ingestRouter(passport, ctx));
  api.use(sessionHandlers[0], sessionTimeouts(ctx), sessionHandlers[1]);
  api.use(csrfProtection(ctx.config.allowedOrigins));
  api.use('/auth', authRouter(ctx, passport));
  api.use('/me', meRouter());
  api.use('/admin', adminRouter(ctx));
  api.use('/encounters', encountersRouter(ctx));
  api.use('/people', peopleRouter(ctx));
  api.use('/agreements', agreementsRouter());
  api.use('/imports', importsRouter(ctx));
  api.use('/decisions', decisionsRouter());
  api.use('/break-glass', breakGlassRouter());
  api.use('/audit', auditRouter(ctx));
  api.use('/agencies', agenciesRouter());
  api.use('/users', usersRouter(ctx));
  api.use('/api-clients', apiClientsRouter());
  api.use('/tasks', tasksRouter());
  api.use('/alerts', alertsRouter(ctx, { afterAcknowledge: (alert) => cancelEscalations((name) => ctx.queue(name), alert.id as string) }));
  api.use('/code-map', codeMapRouter());
  api.use('/conferences', conferencesRouter(ctx));
  api.use('/match-reviews', matchReviewsRouter(ctx));
  api.use('/duty', dutyRouter(ctx));
  api.use('/rota', rotaRouter());
  api.use(apiNotFound());
  app.use('/api', api);

  const dist = clientDistDir();
  if (dist) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(dist, 'index.html'));
    });
  }
  app.use(errorHandler(log));
  return { app, sessionHandlers, passport };
}
