/**
 * Factories that create real documents (and their parents) in the test's database.
 */
import { randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import { Agency, type AgencyDoc } from '../../server/models/Agency';
import { User, type UserDoc } from '../../server/models/User';
import { ApiClient } from '../../server/models/ApiClient';
import type { AgencyKind, Role } from '../../server/models/roles';
import { hashPassword } from '../../server/auth/passwords';
import { encryptField } from '../../server/auth/secrets';
import { newApiKey } from '../../server/auth/apiKeys';

/** The password every factory user has unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

let cachedHash: Promise<string> | undefined;

/** An agency (police by default). */
export async function buildAgency(props: { kind?: AgencyKind; name?: string; code?: string } = {}): Promise<AgencyDoc> {
  return Agency.create({
    code: props.code ?? `A${unique().toUpperCase()}`.slice(0, 20),
    name: props.name ?? 'Test Agency',
    kind: props.kind ?? 'police',
  });
}

export interface BuiltUser {
  user: UserDoc;
  password: string;
  /** Base32 TOTP secret when the user has a second factor. */
  totpSecret?: string;
}

/**
 * A user with the given roles in the given (or a new) agency. `mfa: true` gives them an enrolled
 * TOTP second factor (as admins and IG leads must have).
 */
export async function buildUser(
  props: { roles?: Role[]; agency?: AgencyDoc; password?: string; mfa?: boolean; disabled?: boolean; email?: string } = {},
): Promise<BuiltUser> {
  const agency = props.agency ?? (await buildAgency());
  const password = props.password ?? TEST_PASSWORD;
  const passwordHash = props.password ? await hashPassword(password) : await (cachedHash ??= hashPassword(TEST_PASSWORD));
  const totpSecret = props.mfa ? authenticator.generateSecret(20) : undefined;
  const secret = process.env.TEST_SESSION_SECRET;
  if (props.mfa && !secret) throw new Error('start the test app before building MFA users');
  const user = await User.create({
    email: props.email ?? `user-${unique()}@example.test`,
    name: 'Test User',
    agencyId: agency._id,
    roles: props.roles ?? ['practitioner'],
    passwordHash,
    disabled: props.disabled ?? false,
    mfa: totpSecret ? { enabled: true, secretEnc: encryptField(secret as string, totpSecret), recoveryHashes: [], lastStep: 0 } : {},
  });
  return { user, password, totpSecret };
}

/** An API client for an agency; returns the plain key (shown once in the product). */
export async function buildApiClient(props: { agency?: AgencyDoc; scopes?: string[]; revoked?: boolean } = {}) {
  const agency = props.agency ?? (await buildAgency());
  const { key, keyId, keyHash } = newApiKey();
  const client = await ApiClient.create({
    agencyId: agency._id,
    name: 'Test system',
    keyId,
    keyHash,
    scopes: props.scopes ?? ['ingest'],
    revokedAt: props.revoked ? new Date() : null,
  });
  return { client, key, agency };
}
