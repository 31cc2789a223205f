/**
 * Agency API keys: `ccw_<keyId>.<secret>`. The key is shown once at creation; only the SHA-256 of
 * the secret is stored. Sent as `Authorization: ApiKey <key>`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Strategy } from 'passport-strategy';
import type { Request } from 'express';
import type { Types } from 'mongoose';
import { ApiClient, type ApiClientAttrs } from '../models/ApiClient';
import { sha256 } from './secrets';
import { versionedCache } from '../commands/sharingVersion';

const KEY_FORMAT = /^ccw_([a-f0-9]{16})\.([A-Za-z0-9_-]{43})$/;

/** Creates a key for a client; returns the full key (show once) and what to store. */
export function newApiKey(): { key: string; keyId: string; keyHash: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `ccw_${keyId}.${secret}`, keyId, keyHash: sha256(secret) };
}

/** The principal an API key authenticates as. */
export interface ApiPrincipal {
  kind: 'api_client';
  id: string;
  agencyId: string;
  scopes: string[];
}

/** How stale an API client's `lastUsedAt` may be before a request refreshes it. */
export const LAST_USED_RESOLUTION_MS = 60_000;

type ActiveClient = Pick<ApiClientAttrs, 'agencyId' | 'keyHash' | 'scopes' | 'lastUsedAt'> & { _id: Types.ObjectId };

/**
 * Active clients by key id, as the store had them at the current access-facts version: every write
 * to an API client through the app (creating, revoking, editing) bumps that version before it
 * returns, so a revoked key is refused at once by every process (within CACHE_MAX_AGE_MS if
 * Redis could not be told). Every ingest request checks a key: this spares it a store read.
 */
const activeClients = versionedCache<ActiveClient | null>();

/** Finds the active client for a presented key, or null. */
export async function verifyApiKey(presented: string): Promise<ActiveClient | null> {
  const m = KEY_FORMAT.exec(presented);
  if (!m) return null;
  const keyId = m[1];
  const client = await activeClients(keyId, () => ApiClient.findOne({ keyId, revokedAt: null }, { agencyId: 1, keyHash: 1, scopes: 1, lastUsedAt: 1 }).lean<ActiveClient>());
  if (!client) return null;
  const a = Buffer.from(sha256(m[2]), 'hex');
  const b = Buffer.from(client.keyHash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return client;
}

/** Passport strategy `api-key`: authenticates a request by its Authorization header, no session. */
export class ApiKeyStrategy extends Strategy {
  name = 'api-key';

  override authenticate(req: Request): void {
    const header = req.get('authorization') ?? '';
    if (!header.startsWith('ApiKey ')) return this.fail('missing api key', 401);
    verifyApiKey(header.slice(7).trim())
      .then(async (client) => {
        if (!client) return this.fail('invalid api key', 401);
        // "Last used" to the minute: a busy feed does not write on every request.
        const now = new Date();
        if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
          // Past the access-facts hook (a time stamp changes no one's access), and noted on the
          // cached client so this process does not write it again within the minute.
          await ApiClient.collection.updateOne({ _id: client._id }, { $set: { lastUsedAt: now } });
          client.lastUsedAt = now;
        }
        const principal: ApiPrincipal = {
          kind: 'api_client',
          id: String(client._id),
          agencyId: String(client.agencyId),
          scopes: [...client.scopes],
        };
        this.success(principal);
      })
      .catch((err: unknown) => this.error(err as Error));
  }
}
