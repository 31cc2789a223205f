import type { ApiClientDoc } from '../models/ApiClient';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** An agency's API client for its admins: the public key id, never the hash or the secret. */
export function presentApiClient(c: ApiClientDoc) {
  return {
    id: c.id as string,
    name: c.name,
    /** The public part of the key (`ccw_<keyId>.…`), so admins can tell keys apart. */
    keyId: c.keyId,
    scopes: [...c.scopes],
    createdAt: iso((c as unknown as { createdAt?: Date }).createdAt),
    lastUsedAt: iso(c.lastUsedAt),
    revokedAt: iso(c.revokedAt),
    active: !c.revokedAt,
  };
}
