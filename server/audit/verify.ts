/**
 * Verifies the audit chain: streams events by seq and checks continuity, each link and each hash,
 * then the signed checkpoints kept outside the database, which catch what the chain alone cannot:
 * a truncated tail, or a tail edited and re-hashed consistently by someone without the signing key.
 */
import mongoose from 'mongoose';
import { AuditEvent } from '../models/AuditEvent';
import { GENESIS_HASH, expectedHash } from './canonical';
import { verifyCheckpointSignature, type Checkpoint } from './signing';

/** What broke. `gap`: a missing seq (deleted events); `duplicate`: a seq stored twice. */
export type ChainProblem = 'hash_mismatch' | 'prev_mismatch' | 'gap' | 'duplicate' | 'checkpoint_mismatch' | 'truncated';

/** The first broken link found. */
export interface ChainBreak {
  /** The first seq at which the chain cannot be trusted. */
  seq: number;
  problem: ChainProblem;
  /** Why, without any event content. */
  detail: string;
}

/** What verifyChain found. */
export interface VerifyResult {
  ok: boolean;
  /** Events read. */
  count: number;
  /** Highest seq read (0 for an empty log), and its stored hash. */
  lastSeq: number;
  lastHash: string;
  /** Checkpoints whose signature verified. */
  checkpoints: number;
  firstBroken?: ChainBreak;
}

/** What to verify against. */
export interface VerifyOptions {
  /** Signed checkpoints (readCheckpoints); each must verify and match the chain. */
  checkpoints?: readonly Checkpoint[];
  /** Public key(s), PEM, to check checkpoint signatures; required when there are checkpoints. */
  publicKeyPem?: string | readonly string[];
  /** Start from a trusted point (e.g. the last checkpoint) instead of genesis. */
  from?: { seq: number; hash: string };
  /** Cursor batch size. */
  batchSize?: number;
}

/**
 * Verifies the chain (optionally from a trusted point) and the checkpoints. Resolves with
 * `ok: false` and the earliest broken seq when anything is wrong; rejects only when the store
 * cannot be read or checkpoints come without a public key.
 */
export async function verifyChain(opts: VerifyOptions = {}): Promise<VerifyResult> {
  const checkpoints = opts.checkpoints ?? [];
  const keys = opts.publicKeyPem === undefined ? [] : ([] as string[]).concat(opts.publicKeyPem);
  if (checkpoints.length > 0 && keys.length === 0) throw new Error('verifyChain: checkpoints given without a public key');

  const breaks: ChainBreak[] = [];
  let verifiedCheckpoints = 0;
  const expectAt = new Map<number, string>();
  for (const cp of checkpoints) {
    const sig = verifyCheckpointSignature(cp, keys);
    if (!sig.ok) {
      breaks.push({ seq: cp.seq, problem: 'checkpoint_mismatch', detail: `checkpoint at seq ${cp.seq}: ${sig.detail}` });
      continue;
    }
    verifiedCheckpoints++;
    const prior = expectAt.get(cp.seq);
    if (prior !== undefined && prior !== cp.hash) {
      breaks.push({ seq: cp.seq, problem: 'checkpoint_mismatch', detail: `two signed checkpoints disagree at seq ${cp.seq}` });
    }
    expectAt.set(cp.seq, cp.hash);
  }

  const start = opts.from ?? { seq: 0, hash: GENESIS_HASH };
  let expectedSeq = start.seq + 1;
  let prevHash = start.hash;
  let count = 0;
  let lastSeq = start.seq;
  let lastHash = start.hash;
  let chainBreak: ChainBreak | undefined;
  const note = (b: ChainBreak) => {
    chainBreak ??= b;
  };
  let lastGoodCheckpoint = 0;
  let sawStart = false;

  const cursor = AuditEvent.find({ seq: mongoose.trusted({ $gte: start.seq }) })
    .sort({ seq: 1 })
    .lean()
    .cursor({ batchSize: opts.batchSize ?? 1000 });
  for await (const ev of cursor) {
    const raw = ev as unknown as Record<string, unknown>;
    const seq = raw.seq as number;
    const hash = String(raw.hash);
    if (opts.from && seq === start.seq) {
      sawStart = true;
      if (hash !== start.hash) note({ seq, problem: 'checkpoint_mismatch', detail: `event ${seq} no longer has the trusted hash` });
      continue;
    }
    count++;
    const isInt = Number.isSafeInteger(seq);
    const at = isInt ? seq : lastSeq + 1; // a non-integer seq also fails its hash below
    if (isInt && seq < expectedSeq) {
      note({ seq, problem: 'duplicate', detail: `seq ${seq} is stored more than once` });
    } else if (isInt && seq > expectedSeq) {
      note({ seq: expectedSeq, problem: 'gap', detail: `seq ${expectedSeq}${seq - 1 > expectedSeq ? `..${seq - 1}` : ''} missing (next stored is ${seq})` });
    }
    if (expectedHash(raw) !== hash) {
      note({ seq: at, problem: 'hash_mismatch', detail: `event ${at}: stored hash does not match its content` });
    } else if (raw.prevHash !== prevHash) {
      note({ seq: at, problem: 'prev_mismatch', detail: `event ${at}: prevHash does not match the hash of event ${lastSeq}` });
    }
    const attested = expectAt.get(seq);
    if (attested !== undefined) {
      if (attested === hash) lastGoodCheckpoint = seq;
      else note({ seq, problem: 'checkpoint_mismatch', detail: `event ${seq} differs from its signed checkpoint (rewritten after seq ${lastGoodCheckpoint})` });
    }
    // Resynchronise on what is stored so the scan reaches the end and counts everything.
    if (isInt) expectedSeq = Math.max(expectedSeq, seq + 1);
    prevHash = hash;
    lastSeq = Math.max(lastSeq, at);
    lastHash = hash;
  }
  if (chainBreak) breaks.push(chainBreak);

  if (opts.from && start.seq > 0 && !sawStart) {
    breaks.push({ seq: start.seq, problem: count === 0 ? 'truncated' : 'gap', detail: `trusted event ${start.seq} is gone` });
  }
  const maxAttested = Math.max(0, ...expectAt.keys());
  if (maxAttested > lastSeq) {
    breaks.push({ seq: lastSeq + 1, problem: 'truncated', detail: `chain ends at seq ${lastSeq} but a signed checkpoint attests seq ${maxAttested}` });
  }

  breaks.sort((a, b) => a.seq - b.seq);
  const firstBroken = breaks[0];
  return { ok: !firstBroken, count, lastSeq, lastHash, checkpoints: verifiedCheckpoints, ...(firstBroken ? { firstBroken } : {}) };
}
