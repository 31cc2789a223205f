import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { ROLES, MFA_REQUIRED_ROLES, type Role } from './roles';

/** Second factor state. */
const mfaSchema = new Schema(
  {
    enabled: { type: Boolean, default: false },
    /** TOTP secret, encrypted at rest (auth/secrets.ts). */
    secretEnc: { type: String, default: null },
    /** Pending secret during enrolment, encrypted. */
    pendingSecretEnc: { type: String, default: null },
    /** SHA-256 hashes of unused recovery codes. */
    recoveryHashes: { type: [String], default: [] },
    /** Last accepted TOTP time step, so a code is never accepted twice. */
    lastStep: { type: Number, default: 0 },
  },
  { _id: false, strict: 'throw' },
);

/** A person who signs in. Password and TOTP secrets never leave the server (see presenters/user). */
const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, maxlength: 200 },
    agencyId: { type: Schema.Types.ObjectId, ref: 'Agency', required: true, index: true },
    roles: { type: [{ type: String, enum: ROLES }], default: [] },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    failedLogins: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
    lastLoginAt: { type: Date, default: null },
    mfa: { type: mfaSchema, required: true, default: () => ({}) },
  },
  { timestamps: true, strict: 'throw' },
);

export type UserAttrs = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<UserAttrs>;
export const User = model('User', userSchema);

/** True when one of the user's roles requires a second factor. */
export function requiresMfa(user: { roles: readonly string[] }): boolean {
  return user.roles.some((r) => (MFA_REQUIRED_ROLES as readonly string[]).includes(r));
}

/** True when the user holds the role. */
export function hasRole(user: { roles: readonly string[] }, role: Role): boolean {
  return user.roles.includes(role);
}
