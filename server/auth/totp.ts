/**
 * TOTP second factor (RFC 6238, 30 s steps, ±1 step of drift) and single-use recovery codes.
 */
import { authenticator } from 'otplib';
import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';
import { sha256 } from './secrets';

authenticator.options = { window: 1, step: 30, digits: 6 };

/** A new base32 TOTP secret. */
export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/** The otpauth:// URL and a QR code (PNG data URL) for an authenticator app. */
export async function enrolmentFor(email: string, secret: string): Promise<{ otpauthUrl: string; qrDataUrl: string }> {
  const otpauthUrl = authenticator.keyuri(email, 'Crisis Care Workspace', secret);
  return { otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl) };
}

/**
 * Checks a TOTP code and returns the time step it matched, or null. The caller refuses a step at
 * or before the last one used, so a code cannot be replayed.
 */
export function matchTotp(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const step = Math.floor(now / 30_000);
  const delta = authenticator.checkDelta(code, secret);
  return delta === null ? null : step + delta;
}

/** Ten recovery codes like `abcd-efgh-ijkl`, and their hashes for storage. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const codes = Array.from({ length: 10 }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
  return { codes, hashes: codes.map((c) => sha256(c)) };
}

/** Normalises a typed recovery code (case, spaces) before hashing. */
export function normaliseRecoveryCode(input: string): string {
  return input.trim().toLowerCase().replace(/\s+/g, '');
}
