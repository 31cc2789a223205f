/**
 * Signed checkpoints: from time to time the verified tail (seq, hash, time) is signed with an
 * Ed25519 key and appended as one JSON line to a file OUTSIDE the database. Someone who can write
 * to the database but lacks the key can then neither truncate the log nor rewrite its tail and
 * re-hash it consistently without verifyChain noticing. Copy the file and the public key off-host
 * (or to WORM storage) to also defend against someone with the server's disk.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { signCheckpoint, verifyCheckpointSignature, type Checkpoint } from './signing';
import { verifyChain, type ChainBreak } from './verify';

export type { Checkpoint } from './signing';

/** File names inside the checkpoint / key folder. */
export const CHECKPOINT_FILE = 'audit-checkpoints.jsonl';
export const PRIVATE_KEY_FILE = 'audit-signing-key.pem';
export const PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

/** A checkpoint file line that is not a well-formed checkpoint (the file was damaged or edited). */
export class CheckpointFileError extends Error {
  constructor(readonly line: number, message: string) {
    super(`${CHECKPOINT_FILE} line ${line}: ${message}`);
  }
}

/** The chain did not verify, so no checkpoint was signed over it. */
export class AuditChainBrokenError extends Error {
  constructor(readonly firstBroken: ChainBreak) {
    super(`audit chain broken at seq ${firstBroken.seq}: ${firstBroken.problem}`);
  }
}

function parseLine(text: string, line: number): Checkpoint {
  let v: Partial<Checkpoint>;
  try {
    v = JSON.parse(text);
  } catch {
    throw new CheckpointFileError(line, 'not JSON');
  }
  const ok =
    v && Number.isSafeInteger(v.seq) && (v.seq as number) >= 1 && typeof v.hash === 'string' && /^[0-9a-f]{64}$/.test(v.hash) &&
    typeof v.at === 'string' && v.alg === 'Ed25519' && typeof v.keyId === 'string' && typeof v.sig === 'string';
  if (!ok) throw new CheckpointFileError(line, 'not a checkpoint');
  return { seq: v.seq!, hash: v.hash!, at: v.at!, alg: 'Ed25519', keyId: v.keyId!, sig: v.sig! };
}

/** All checkpoints in `<dir>/audit-checkpoints.jsonl`, in file order ([] when there is no file). */
export async function readCheckpoints(dir: string): Promise<Checkpoint[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, CHECKPOINT_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: Checkpoint[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() !== '') out.push(parseLine(l, i + 1));
  });
  return out;
}

/**
 * Verifies the chain since the last checkpoint this key signed (from genesis the first time) and,
 * when it holds and has grown, signs its tail and appends the checkpoint to
 * `<dir>/audit-checkpoints.jsonl`. Resolves with the new checkpoint, or null when there is nothing
 * new. Rejects with AuditChainBrokenError rather than sign over a broken chain.
 * Run it periodically (e.g. a repeatable job every few minutes) and at shutdown.
 */
export async function writeCheckpoint(opts: { dir: string; privateKeyPem: string }): Promise<Checkpoint | null> {
  const publicPem = createPublicKey(createPrivateKey(opts.privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
  const trusted = (await readCheckpoints(opts.dir))
    .filter((cp) => verifyCheckpointSignature(cp, [publicPem]).ok)
    .reduce<Checkpoint | undefined>((best, cp) => (!best || cp.seq > best.seq ? cp : best), undefined);
  const result = await verifyChain(trusted ? { from: { seq: trusted.seq, hash: trusted.hash } } : {});
  if (result.firstBroken) throw new AuditChainBrokenError(result.firstBroken);
  if (result.lastSeq === 0 || (trusted && result.lastSeq <= trusted.seq)) return null;
  const cp = signCheckpoint({ seq: result.lastSeq, hash: result.lastHash }, opts.privateKeyPem);
  await fs.mkdir(opts.dir, { recursive: true, mode: 0o700 });
  await fs.appendFile(path.join(opts.dir, CHECKPOINT_FILE), `${JSON.stringify(cp)}\n`, { mode: 0o644 });
  return cp;
}

/** Creates `file` with its full content atomically (temp file + link), or returns false if it exists. */
async function writeNew(file: string, content: string, mode: number): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, content, { flag: 'wx', mode });
  try {
    await fs.link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.unlink(tmp);
  }
}

/**
 * The signing key kept in `dir` (`audit-signing-key.pem`, mode 0600, and `.pub.pem`), created on
 * first use. For when no key is configured; safe when several processes start at once (the first
 * writer wins, the others read its key).
 */
export async function loadOrCreateSigningKey(dir: string): Promise<{ privateKeyPem: string; publicKeyPem: string; created: boolean }> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const privFile = path.join(dir, PRIVATE_KEY_FILE);
  const { privateKey } = generateKeyPairSync('ed25519');
  const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const created = await writeNew(privFile, fresh, 0o600);
  const privateKeyPem = created ? fresh : await fs.readFile(privFile, 'utf8');
  const publicKeyPem = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
  await writeNew(path.join(dir, PUBLIC_KEY_FILE), publicKeyPem, 0o644);
  return { privateKeyPem, publicKeyPem, created };
}
