/**
 * A conference message for the staff of one agency: in full when the sharing basis lets that
 * agency see what the author's agency contributes, else a withheld stub (the sequence number,
 * whose agency, and why), so every client's sequence stays gap-free without leaking content.
 */
import type { ConferenceMessageDoc } from '../models/ConferenceMessage';
import type { ConferenceBasis } from '../conferences/basis';
import type { Names } from '../conferences/names';

export interface PresentedMessage {
  id: string;
  seq: number;
  conferenceId: string;
  kind: string;
  body: string | null;
  clientId: string | null;
  itemId: string | null;
  authorId: string | null;
  authorName: string | null;
  agencyId: string | null;
  agencyName: string | null;
  createdAt: string;
  editedAt: string | null;
  redacted: boolean;
  void: boolean;
  withheld: null | { reason: string };
}

/** The message as staff of `viewerAgencyId` may see it. */
export function presentMessage(m: ConferenceMessageDoc, viewerAgencyId: string, basis: ConferenceBasis, names: Names): PresentedMessage {
  const base: PresentedMessage = {
    id: m.id as string,
    seq: m.seq,
    conferenceId: String(m.conferenceId),
    kind: m.kind,
    body: null,
    clientId: null,
    itemId: null,
    authorId: null,
    authorName: null,
    agencyId: m.agencyId ? String(m.agencyId) : null,
    agencyName: m.agencyId ? names.agency(m.agencyId) : null,
    createdAt: (m.get('createdAt') as Date).toISOString(),
    editedAt: m.editedAt ? m.editedAt.toISOString() : null,
    redacted: m.redacted,
    void: m.void,
    withheld: null,
  };
  if (m.void) return base;
  const outcome = m.agencyId ? basis.outcome(viewerAgencyId, String(m.agencyId)) : null;
  if (outcome?.effect === 'redact') return { ...base, kind: 'withheld', withheld: { reason: outcome.reason } };
  // Denied: not even whose it was (DESIGN.md §5 rule 6); the stub only keeps the sequence whole.
  if (outcome?.effect === 'deny') return { ...base, kind: 'withheld', agencyId: null, agencyName: null, withheld: { reason: 'Not shared with your agency.' } };
  return {
    ...base,
    body: m.redacted ? null : (m.body ?? null),
    clientId: m.clientId ?? null,
    itemId: m.itemId ? String(m.itemId) : null,
    authorId: m.authorId ? String(m.authorId) : null,
    authorName: m.authorId ? names.user(m.authorId) : null,
  };
}
