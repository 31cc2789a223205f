/**
 * What an IG lead may read of the audit log, and the chain check behind GET /api/audit/verify.
 *
 * Scope: an IG lead sees an event when its actor belongs to their agency (everything their own
 * staff and systems did), or when its subject person is known to their agency (anyone's access to
 * people their agency holds records about, so they can answer "who looked at our client?"). Other
 * agencies' activity about people the agency holds nothing on is never shown: it would reveal
 * that the person is known elsewhere, and what happened to them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { trusted, Types } from 'mongoose';
import { AuditEvent, type AuditEventAttrs } from '../models/AuditEvent';
import { Person } from '../models/Person';
import type { UserDoc } from '../models/User';
import { CheckpointFileError, PUBLIC_KEY_FILE, readCheckpoints, verifyChain, type VerifyResult } from '../audit';

/** The filters an IG lead may apply (already validated). */
export interface AuditFilters {
  /** Exact action code, e.g. `person.read`. */
  action?: string;
  outcome?: string;
  /** Acting user. */
  userId?: string;
  /** Subject person. */
  personId?: string;
  /** Inclusive time range on `at`. */
  from?: Date;
  to?: Date;
  /** Keyset cursor: only events with a lower seq (the previous page's `nextBefore`). */
  before?: number;
  /** Page size. */
  limit: number;
}

/** One page of events, newest first, and the cursor for the next page (null at the end). */
export interface AuditPage {
  events: AuditEventAttrs[];
  nextBefore: number | null;
}

/** The scope filter for an IG lead: own agency's actors, or subjects their agency knows. */
export async function auditScope(user: UserDoc): Promise<Record<string, unknown>> {
  const known = await Person.find({ agencyIds: user.agencyId }, { _id: 1 }).lean();
  return {
    $or: [{ 'actor.agencyId': user.agencyId }, { 'subject.personId': trusted({ $in: known.map((p) => p._id) }) }],
  };
}

/** One page of the events the user may see, matching the filters. */
export async function browseAudit(user: UserDoc, f: AuditFilters): Promise<AuditPage> {
  const filter: Record<string, unknown> = { ...(await auditScope(user)) };
  if (f.action) filter.action = f.action;
  if (f.outcome) filter.outcome = f.outcome;
  if (f.userId) filter['actor.userId'] = new Types.ObjectId(f.userId);
  if (f.personId) filter['subject.personId'] = new Types.ObjectId(f.personId);
  if (f.before !== undefined) filter.seq = trusted({ $lt: f.before });
  if (f.from || f.to) filter.at = trusted({ ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lte: f.to } : {}) });
  // One extra row tells whether another page exists without a count.
  const rows = (await AuditEvent.find(filter).sort({ seq: -1 }).limit(f.limit + 1).lean()) as unknown as AuditEventAttrs[];
  const events = rows.slice(0, f.limit);
  return { events, nextBefore: rows.length > f.limit ? events[events.length - 1].seq : null };
}

/**
 * Verifies the chain and, when `dir` holds signed checkpoints, checks them too (so a truncated or
 * re-hashed tail shows). Same verdicts as `npm run audit:verify`.
 */
export async function verifyAuditLog(dir: string): Promise<VerifyResult> {
  let checkpoints;
  try {
    checkpoints = await readCheckpoints(dir);
  } catch (err) {
    if (!(err instanceof CheckpointFileError)) throw err;
    return { ...(await verifyChain()), ok: false, firstBroken: { seq: 0, problem: 'checkpoint_mismatch', detail: err.message } };
  }
  if (checkpoints.length === 0) return verifyChain();
  let publicKeyPem: string;
  try {
    publicKeyPem = await fs.readFile(path.join(dir, PUBLIC_KEY_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { ...(await verifyChain()), ok: false, firstBroken: { seq: 0, problem: 'checkpoint_mismatch', detail: 'checkpoints present but the public key is missing' } };
  }
  return verifyChain({ checkpoints, publicKeyPem });
}
