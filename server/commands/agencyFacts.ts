/**
 * An agency's code and kind, remembered for a few seconds per process. Detection (which rules an
 * agency's records count towards) and routing (whose business hours apply) read them for every
 * alert, and they change only when a system admin edits an agency; an edit takes effect in every
 * process within `AGENCY_FACTS_TTL_MS`.
 */
import type { Types } from 'mongoose';
import { trusted } from 'mongoose';
import { Agency } from '../models/Agency';
import type { AgencyKind } from '../../config/domain';

/** What detection and routing need of an agency. */
export interface AgencyFacts {
  code: string;
  kind: AgencyKind;
}

/** How long a process reuses what it read (ms). */
export const AGENCY_FACTS_TTL_MS = 5_000;

const entries = new Map<string, { loadedAt: number; facts: AgencyFacts }>();

/** Facts for each known agency among `ids` (unknown ids are left out, and asked for again next time); one query for those not remembered. */
export async function agencyFactsOf(ids: Iterable<Types.ObjectId | string>): Promise<Map<string, AgencyFacts>> {
  const now = Date.now();
  const out = new Map<string, AgencyFacts>();
  const missing: string[] = [];
  for (const id of new Set([...ids].map(String))) {
    const hit = entries.get(id);
    if (hit && now - hit.loadedAt <= AGENCY_FACTS_TTL_MS) out.set(id, hit.facts);
    else missing.push(id);
  }
  if (missing.length === 0) return out;
  const rows = await Agency.find({ _id: trusted({ $in: missing }) }, { code: 1, kind: 1 }).lean();
  for (const r of rows) {
    const facts = { code: r.code, kind: r.kind as AgencyKind };
    entries.set(String(r._id), { loadedAt: now, facts });
    out.set(String(r._id), facts);
  }
  return out;
}

/** Facts for one agency, or null when there is no such agency. */
export async function agencyFactsFor(id: Types.ObjectId | string): Promise<AgencyFacts | null> {
  return (await agencyFactsOf([id])).get(String(id)) ?? null;
}

/** Forgets what was read (after an agency is edited in this process, and between tests). */
export function forgetAgencyFacts(): void {
  entries.clear();
}
