/**
 * A fresh second-factor check for sensitive steps (break-glass, bulk exports): the user types a
 * current TOTP code (or a recovery code), even though they are signed in. Users without a second
 * factor are refused and told to set one up.
 */
import type { AppContext } from '../context';
import type { UserDoc } from '../models/User';
import { ForbiddenError, AuthenticationError } from '../errors';
import { completeMfa } from '../commands/mfa';

/** Throws unless `code` is a valid, unused second-factor code for the user. */
export async function requireStepUp(ctx: AppContext, user: UserDoc, code: string | undefined): Promise<void> {
  if (!user.mfa.enabled) {
    throw new ForbiddenError('mfa_required', 'This step needs two-step verification. Set it up under Account security first.');
  }
  if (!code || !(await completeMfa(ctx, user.id as string, code))) {
    throw new AuthenticationError('step_up_failed', 'Enter the current code from your authenticator app to continue.');
  }
}
