/** The tamper-evident audit log: append, verify, checkpoint, export as FHIR. */
export { appendAudit, appendAuditMany, readTail, AuditAppendError, type AuditInput } from './log';
export { verifyChain, type ChainBreak, type ChainProblem, type VerifyOptions, type VerifyResult } from './verify';
export {
  writeCheckpoint, readCheckpoints, loadOrCreateSigningKey, AuditChainBrokenError, CheckpointFileError,
  CHECKPOINT_FILE, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE,
} from './checkpoints';
export { signCheckpoint, verifyCheckpointSignature, checkpointMessage, keyIdOf, type Checkpoint } from './signing';
export { canonicalJson, chainHash, auditContent, expectedHash, GENESIS_HASH } from './canonical';
export { toFhirAuditEvent, type FhirAuditEvent } from './fhir';
export { AuditEvent, AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome, type AuditEventDoc } from '../models/AuditEvent';
