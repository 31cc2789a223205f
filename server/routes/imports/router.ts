/**
 * CSV uploads of encounters for the user's own agency: upload (202 + an id), then poll the
 * progress and the per-row report. Another agency's import ids answer 404.
 */
import express, { Router } from 'express';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { BadRequestError, NotFoundError } from '../../errors';
import { ImportJob } from '../../models/ImportJob';
import { presentImport } from '../../presenters/importJob';
import { QUEUE_NAMES } from '../../../workers/queues';
import { RECORDING_ROLES } from '../encounters/router';
import { IdParams } from '../common';
import { auditWrite, userActor } from '../../commands/auditTrail';
import { z } from 'zod';

/** Largest CSV accepted. */
export const CSV_LIMIT = '20mb';

const UploadQuery = z.object({ filename: z.string().trim().min(1).max(200).optional() }).strict();

/** The /api/imports router. */
export function importsRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(authenticate(), requireRole(...RECORDING_ROLES));

  router.post('/encounters', validate(UploadQuery, 'query'), express.text({ type: ['text/csv', 'text/plain'], limit: CSV_LIMIT }), async (req, res) => {
    if (typeof req.body !== 'string' || req.body.trim() === '') {
      throw new BadRequestError('empty_file', 'Send the CSV file as the request body with Content-Type text/csv.');
    }
    const user = currentUser(req);
    const { filename } = req.query as { filename?: string };
    const imp = await ImportJob.create({ agencyId: user.agencyId, createdBy: user._id, filename: filename ?? null, content: req.body });
    // The job id is the import id: a double submit of the same upload queues it once.
    await ctx.queue(QUEUE_NAMES.imports).add('importEncounters', { importId: imp.id }, { jobId: `import-${imp.id}` });
    await auditWrite(req, userActor(user), 'encounter.import', { type: 'import', id: imp._id });
    res.status(202).json({ import: presentImport(imp, false) });
  });

  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const list = await ImportJob.find({ agencyId: user.agencyId }).select('-content -problems').sort({ createdAt: -1 }).limit(50);
    res.json({ imports: list.map((j) => presentImport(j, false)) });
  });

  router.get('/:id', validate(IdParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const imp = await ImportJob.findOne({ _id: (req.params as { id: string }).id, agencyId: user.agencyId }).select('-content');
    if (!imp) throw new NotFoundError('No such import.');
    res.json({ import: presentImport(imp) });
  });

  return router;
}
