/**
 * The signed part of audit checkpoints: what is signed, by which key, and how it is checked.
 * Pure crypto (node:crypto Ed25519), no files and no database.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical';

/** One line of the checkpoint file. `sig` signs `{seq, hash, at}` (see checkpointMessage). */
export interface Checkpoint {
  seq: number;
  hash: string;
  /** ISO time of signing. */
  at: string;
  alg: 'Ed25519';
  /** First 16 hex of sha256(public key, SPKI DER): which key signed. */
  keyId: string;
  /** base64 Ed25519 signature. */
  sig: string;
}

/** The exact bytes signed for a checkpoint (domain-separated canonical JSON). */
export function checkpointMessage(cp: Pick<Checkpoint, 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`ccw-audit-checkpoint-v1\n${canonicalJson({ seq: cp.seq, hash: cp.hash, at: cp.at })}`, 'utf8');
}

/** Short id of a public key (PEM). */
export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Signs a tail with the private key (PEM). */
export function signCheckpoint(tail: { seq: number; hash: string }, privateKeyPem: string, at = new Date()): Checkpoint {
  const key = createPrivateKey(privateKeyPem);
  const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  const body = { seq: tail.seq, hash: tail.hash, at: at.toISOString() };
  const sig = sign(null, checkpointMessage(body), key).toString('base64');
  return { ...body, alg: 'Ed25519', keyId: keyIdOf(publicPem), sig };
}

/** Checks a checkpoint's signature against any of the given public keys (PEM). */
export function verifyCheckpointSignature(cp: Checkpoint, publicKeyPems: readonly string[]): { ok: true } | { ok: false; detail: string } {
  const key = publicKeyPems.find((pem) => keyIdOf(pem) === cp.keyId);
  if (!key) return { ok: false, detail: `signed by unknown key ${cp.keyId}` };
  let good = false;
  try {
    good = verify(null, checkpointMessage(cp), createPublicKey(key), Buffer.from(cp.sig, 'base64'));
  } catch {
    // a malformed signature is simply not valid
  }
  return good ? { ok: true } : { ok: false, detail: 'signature does not verify' };
}

