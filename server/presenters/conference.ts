/**
 * A conference for one participant: everything about the meeting itself, and of the structured
 * items only those the viewer's agency may see under the sharing basis. Redacted ones become
 * markers ("2 items from Police withheld: <reason>") that do not say what they were or who wrote
 * them; denied ones are left out.
 */
import type { ConferenceDoc } from '../models/Conference';
import type { UserDoc } from '../models/User';
import type { ConferenceBasis } from '../conferences/basis';
import type { Names } from '../conferences/names';
import { isChair } from '../policies/conferences';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** What every view of a conference starts with: which one, and when. */
const when = (c: ConferenceDoc) => ({
  id: c.id as string,
  title: c.title,
  status: c.status,
  scheduledFor: c.scheduledFor.toISOString(),
  startedAt: iso(c.startedAt),
  closedAt: iso(c.closedAt),
});

/** A row of the conference list. */
export function presentConferenceSummary(c: ConferenceDoc, viewer: UserDoc, names: Names) {
  return {
    ...when(c),
    chairName: names.user(c.chairId),
    participantCount: c.participants.filter((p) => !p.removedAt).length,
    isChair: isChair(viewer, c),
  };
}

export interface WithheldItems {
  agencyName: string;
  count: number;
  reason: string;
}

/** The structured items the viewer's agency may see, and markers for the rest. */
export function visibleItems(c: ConferenceDoc, viewerAgencyId: string, basis: ConferenceBasis, names: Names) {
  const withheld = new Map<string, WithheldItems>();
  const visible = (agencyId: unknown) => {
    const outcome = basis.outcome(viewerAgencyId, String(agencyId));
    if (outcome.effect === 'allow') return true;
    // Denied items are left out entirely: the viewer may not learn they exist.
    if (outcome.effect === 'deny') return false;
    const reason = outcome.reason;
    const key = `${String(agencyId)}:${reason}`;
    const marker = withheld.get(key) ?? { agencyName: names.agency(agencyId), count: 0, reason };
    marker.count += 1;
    withheld.set(key, marker);
    return false;
  };
  const now = Date.now();
  const risks = c.risks
    .filter((r) => visible(r.agencyId))
    .map((r) => ({
      id: String(r._id),
      category: r.category,
      level: r.level,
      rationale: r.rationale,
      agencyName: names.agency(r.agencyId),
      authorName: names.user(r.authorId),
      createdAt: r.createdAt.toISOString(),
    }));
  const decisions = c.decisions
    .filter((d) => visible(d.agencyId))
    .map((d) => ({ id: String(d._id), text: d.text, agencyName: names.agency(d.agencyId), authorName: names.user(d.authorId), createdAt: d.createdAt.toISOString() }));
  const actions = c.actions
    .filter((a) => visible(a.agencyId))
    .map((a) => ({
      id: String(a._id),
      text: a.text,
      owner: { id: String(a.ownerUserId), name: names.user(a.ownerUserId), agencyName: names.agency(a.ownerAgencyId) },
      dueAt: a.dueAt.toISOString(),
      status: a.status,
      overdue: a.status === 'open' && a.dueAt.getTime() < now,
      agencyName: names.agency(a.agencyId),
      createdAt: a.createdAt.toISOString(),
    }));
  return { risks, decisions, actions, withheld: [...withheld.values()] };
}

/** Every name a conference page may show, for one lookup. */
export function namesNeeded(c: ConferenceDoc): { userIds: unknown[]; agencyIds: unknown[] } {
  const userIds: unknown[] = [c.chairId, ...c.participants.map((p) => p.userId)];
  const agencyIds: unknown[] = [c.chairAgencyId, ...c.participants.map((p) => p.agencyId)];
  for (const item of [...c.risks, ...c.decisions]) {
    userIds.push(item.authorId);
    agencyIds.push(item.agencyId);
  }
  for (const a of c.actions) userIds.push(a.authorId, a.ownerUserId), agencyIds.push(a.agencyId, a.ownerAgencyId);
  return { userIds, agencyIds };
}

/** The conference page for a participant. `personName` is null when they may not know who it is. */
export function presentConference(c: ConferenceDoc, viewer: UserDoc, basis: ConferenceBasis, names: Names, personName: string | null) {
  const viewerAgencyId = String(viewer.agencyId);
  const chairContent = basis.allows(viewerAgencyId, String(c.chairAgencyId));
  return {
    ...when(c),
    alertId: c.alertId ? String(c.alertId) : null,
    person: { id: String(c.personId), name: personName },
    chair: { id: String(c.chairId), name: names.user(c.chairId), agencyName: names.agency(c.chairAgencyId) },
    participants: c.participants
      .filter((p) => !p.removedAt)
      .map((p) => ({ userId: String(p.userId), name: names.user(p.userId), agencyId: String(p.agencyId), agencyName: names.agency(p.agencyId), role: p.role, attended: Boolean(p.attendedAt) })),
    agenda: chairContent ? c.agenda.map((a) => ({ id: String(a._id), text: a.text, done: a.done })) : [],
    ...visibleItems(c, viewerAgencyId, basis, names),
    outcome: c.outcome?.code ? { code: c.outcome.code, summary: chairContent ? (c.outcome.summary ?? null) : null } : null,
    you: { userId: viewer.id as string, agencyId: viewerAgencyId, isChair: isChair(viewer, c) },
  };
}
