/**
 * An agency's map from its own risk codes to the common taxonomy, kept by its agency admin, so
 * records sent with local codes arrive in the shared language. Only the caller's agency is ever
 * read or changed.
 */
import { Router } from 'express';
import { z } from 'zod';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { NotFoundError } from '../../errors';
import { AgencyCodeMap } from '../../models/AgencyCodeMap';
import { RISK_CATEGORY_IDS, RISK_LEVEL_IDS } from '../../models/vocab';
import { auditWrite, userActor } from '../../commands/auditTrail';

const CodeParams = z.object({ code: z.string().trim().min(1).max(50).regex(/^[A-Za-z0-9._:/-]+$/, 'may contain letters, digits and . _ : / - only') }).strict();
const MappingInput = z
  .object({ category: z.enum(RISK_CATEGORY_IDS), level: z.enum(RISK_LEVEL_IDS), label: z.string().trim().max(200).optional() })
  .strict();

function present(m: { localCode: string; category: string; level: string; label?: string | null }) {
  return { localCode: m.localCode, category: m.category, level: m.level, label: m.label ?? null };
}

/** The /api/code-map router. */
export function codeMapRouter(): Router {
  const router = Router();
  router.use(authenticate());

  // Anyone in the agency may read the map (recording screens show it); only admins change it.
  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const rows = await AgencyCodeMap.find({ agencyId: user.agencyId }).sort({ localCode: 1 });
    res.json({ mappings: rows.map(present) });
  });

  router.put('/:code', requireRole('agency_admin'), validate(CodeParams, 'params'), validate(MappingInput), async (req, res) => {
    const user = currentUser(req);
    const { code } = req.params as { code: string };
    const body = req.body as z.infer<typeof MappingInput>;
    const row = await AgencyCodeMap.findOneAndUpdate(
      { agencyId: user.agencyId, localCode: code },
      { $set: { category: body.category, level: body.level, label: body.label ?? null } },
      { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true },
    );
    await auditWrite(req, userActor(user), 'code_map.update', { type: 'code_map', id: row._id }, { reason: `${body.category}/${body.level}` });
    res.json({ mapping: present(row) });
  });

  router.delete('/:code', requireRole('agency_admin'), validate(CodeParams, 'params'), async (req, res) => {
    const user = currentUser(req);
    const { code } = req.params as { code: string };
    const row = await AgencyCodeMap.findOneAndDelete({ agencyId: user.agencyId, localCode: code });
    if (!row) throw new NotFoundError('No such local code.');
    await auditWrite(req, userActor(user), 'code_map.delete', { type: 'code_map', id: row._id });
    res.status(204).end();
  });

  return router;
}
