/**
 * Second-factor enrolment and verification. TOTP secrets are stored encrypted; a code's time step
 * is recorded so the same code cannot be used twice; recovery codes are single-use.
 */
import { trusted } from 'mongoose';
import type { AppContext } from '../context';
import { User, type UserDoc } from '../models/User';
import { decryptField, encryptField, sha256 } from '../auth/secrets';
import { enrolmentFor, matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode } from '../auth/totp';

/** Accepts a TOTP step only if it is newer than the last one used (atomic guard). */
async function consumeStep(userId: unknown, step: number): Promise<boolean> {
  const res = await User.updateOne({ _id: userId, 'mfa.lastStep': trusted({ $lt: step }) }, { $set: { 'mfa.lastStep': step } });
  return res.modifiedCount === 1;
}

/** Verifies a TOTP or recovery code for a user who passed the password step; returns the user or null. */
export async function completeMfa(ctx: AppContext, userId: string, code: string): Promise<UserDoc | null> {
  const user = await User.findById(userId);
  if (!user || user.disabled || !user.mfa.enabled || !user.mfa.secretEnc) return null;
  const secret = decryptField(ctx.config.sessionSecret, user.mfa.secretEnc);
  const step = matchTotp(secret, code);
  if (step !== null) return (await consumeStep(user._id, step)) ? user : null;
  const hash = sha256(normaliseRecoveryCode(code));
  const res = await User.updateOne({ _id: user._id, 'mfa.recoveryHashes': hash }, { $pull: { 'mfa.recoveryHashes': hash } });
  return res.modifiedCount === 1 ? user : null;
}

/** Starts (or restarts) enrolment: a new pending secret and its QR code. */
export async function startEnrolment(ctx: AppContext, user: UserDoc) {
  const secret = newTotpSecret();
  await User.updateOne({ _id: user._id }, { $set: { 'mfa.pendingSecretEnc': encryptField(ctx.config.sessionSecret, secret) } });
  const { otpauthUrl, qrDataUrl } = await enrolmentFor(user.email, secret);
  return { otpauthUrl, qrDataUrl, secret };
}

/** Confirms enrolment with a first code; returns fresh recovery codes (shown once) or null. */
export async function activateEnrolment(ctx: AppContext, user: UserDoc, code: string) {
  const fresh = await User.findById(user._id);
  if (!fresh?.mfa.pendingSecretEnc) return null;
  const secret = decryptField(ctx.config.sessionSecret, fresh.mfa.pendingSecretEnc);
  const step = matchTotp(secret, code);
  if (step === null) return null;
  const { codes, hashes } = newRecoveryCodes();
  const updated = await User.findOneAndUpdate(
    { _id: user._id, 'mfa.pendingSecretEnc': fresh.mfa.pendingSecretEnc },
    {
      $set: {
        'mfa.enabled': true,
        'mfa.secretEnc': fresh.mfa.pendingSecretEnc,
        'mfa.pendingSecretEnc': null,
        'mfa.recoveryHashes': hashes,
        'mfa.lastStep': step,
      },
    },
    { returnDocument: 'after' },
  );
  if (!updated) return null;
  return { recoveryCodes: codes, user: updated };
}
