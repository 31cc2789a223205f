/**
 * Password hashing with argon2id at OWASP ASVS 5.0 11.4.2 strength (m=19 MiB, t=2, p=1).
 * Unknown emails still cost one verification, so timing does not reveal which accounts exist.
 */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Longest password accepted (characters). */
export const MAX_PASSWORD_LENGTH = 128;
/** Shortest password accepted when setting one. */
export const MIN_PASSWORD_LENGTH = 12;

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/** Verifies a password; with no stored hash, burns the same time against a dummy and fails. */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword('not-a-real-password-for-timing-only');
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(stored, password);
  } catch {
    return false;
  }
}
