/**
 * The audit log for IG leads: browse and filter it (JSON or a FHIR R4 Bundle of AuditEvents) and
 * check the chain. Scoped by commands/auditBrowser.ts; every read is itself audited (`audit.read`).
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { AppContext } from '../../context';
import { authenticate, currentUser, requireRole } from '../../middlewares/authenticate';
import { validate } from '../../middlewares/validate';
import { appendAudit, toFhirAuditEvent } from '../../audit';
import { browseAudit, verifyAuditLog, type AuditPage } from '../../commands/auditBrowser';
import { userActor } from '../../commands/auditTrail';
import { presentAuditEvent } from '../../presenters/auditEvent';
import { AuditQuery, type AuditQueryType } from './schema';

/** Records that the caller read the log (which filters, never their values, and how much). */
async function auditRead(req: Request, q: AuditQueryType | null, reason: string): Promise<void> {
  await appendAudit({
    actor: userActor(currentUser(req)),
    action: 'audit.read',
    subject: { type: 'audit_log', personId: q?.personId },
    purpose: 'audit',
    outcome: 'allowed',
    reason,
    requestId: req.id,
  });
}

function readReason(q: AuditQueryType, page: AuditPage, format: string): string {
  const used = (['action', 'outcome', 'userId', 'personId', 'from', 'to', 'before'] as const).filter((k) => q[k] !== undefined);
  return `format=${format} filters=${used.join('+') || 'none'} results=${page.events.length}`;
}

/** The URL of this request with `before` moved to the next page. */
function pageUrl(ctx: AppContext, req: Request, before: number | null): string {
  const url = new URL(req.originalUrl, ctx.config.publicUrl);
  if (before === null) url.searchParams.delete('before');
  else url.searchParams.set('before', String(before));
  return url.toString();
}

/** The /api/audit router. */
export function auditRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(authenticate());

  router.get('/', requireRole('ig_lead'), validate(AuditQuery, 'query'), async (req, res) => {
    const q = req.query as unknown as AuditQueryType;
    const page = await browseAudit(currentUser(req), q);
    await auditRead(req, q, readReason(q, page, 'json'));
    res.json({ events: page.events.map(presentAuditEvent), nextBefore: page.nextBefore });
  });

  router.get('/fhir', requireRole('ig_lead'), validate(AuditQuery, 'query'), async (req, res) => {
    const q = req.query as unknown as AuditQueryType;
    const page = await browseAudit(currentUser(req), q);
    await auditRead(req, q, readReason(q, page, 'fhir'));
    const link = [{ relation: 'self', url: pageUrl(ctx, req, q.before ?? null) }];
    if (page.nextBefore !== null) link.push({ relation: 'next', url: pageUrl(ctx, req, page.nextBefore) });
    res.type('application/fhir+json').json({
      resourceType: 'Bundle',
      id: randomUUID(),
      type: 'searchset',
      timestamp: new Date().toISOString(),
      link,
      entry: page.events.map((ev) => ({ resource: toFhirAuditEvent(ev), search: { mode: 'match' } })),
    });
  });

  router.get('/verify', requireRole('ig_lead', 'system_admin'), async (req, res) => {
    const result = await verifyAuditLog(ctx.config.auditDir);
    await auditRead(req, null, `verify ok=${result.ok}`);
    res.json({
      ok: result.ok,
      count: result.count,
      lastSeq: result.lastSeq,
      lastHash: result.lastHash,
      checkpoints: result.checkpoints,
      firstBroken: result.firstBroken ?? null,
    });
  });

  return router;
}
