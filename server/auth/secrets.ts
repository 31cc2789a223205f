/**
 * Symmetric encryption for small secrets kept in the database (TOTP seeds), AES-256-GCM with a key
 * derived from the session secret, so a database dump alone does not yield second factors.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

let cached: { secret: string; key: Buffer } | undefined;

function keyFor(secret: string): Buffer {
  if (cached?.secret !== secret) cached = { secret, key: scryptSync(secret, 'ccw-field-key-v1', 32) };
  return cached.key;
}

/** Encrypts text; the result is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function encryptField(secret: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Decrypts what encryptField produced; throws if it was tampered with. */
export function decryptField(secret: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('unreadable sealed field');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/** SHA-256 hex of a high-entropy token (API keys, recovery codes). */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
