import { UnrecoverableError } from 'bullmq';
import type { Processor } from '../context';
import { AuditChainBrokenError, loadOrCreateSigningKey, writeCheckpoint } from '../../server/audit';
import { category } from '../../server/logger';

/**
 * Signs the verified tail of the audit chain and appends it to the checkpoint file outside the
 * database (server/audit/checkpoints.ts), so a later truncation or re-hashed tail is detected.
 * Idempotent: a run with nothing new since the last checkpoint writes nothing. A broken chain is
 * never signed over: the job fails permanently and stays in the failed list for an admin.
 */
export const auditCheckpoint: Processor = async (_job, ctx) => {
  const log = category(ctx.logger, 'audit');
  if (!ctx.auditDir) return { skipped: 'no_audit_dir' };
  const { privateKeyPem, created } = await loadOrCreateSigningKey(ctx.auditDir);
  if (created) log.info({}, 'audit signing key created');
  try {
    const cp = await writeCheckpoint({ dir: ctx.auditDir, privateKeyPem });
    if (cp) log.info({ seq: cp.seq, keyId: cp.keyId }, 'audit checkpoint written');
    return cp ? { seq: cp.seq, hash: cp.hash } : { seq: null };
  } catch (err) {
    if (err instanceof AuditChainBrokenError) {
      log.error({ seq: err.firstBroken.seq, problem: err.firstBroken.problem }, 'audit chain broken: checkpoint refused');
      throw new UnrecoverableError(err.message);
    }
    throw err;
  }
};
