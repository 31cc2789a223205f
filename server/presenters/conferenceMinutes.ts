/**
 * Minutes of a closed conference for one participant: attendees and agencies, the risk summary
 * (highest level per category among the entries the viewer's agency may see), decisions and
 * actions; items the viewer's agency may not see are counted in markers, never shown.
 */
import { domainConfig, riskLevelRank } from '../../config/domain';
import type { ConferenceDoc } from '../models/Conference';
import type { UserDoc } from '../models/User';
import type { ConferenceBasis } from '../conferences/basis';
import type { Names } from '../conferences/names';
import { riskSnapshot } from '../conferences/conferenceCloser';
import { visibleItems } from './conference';

/** Words for the outcomes a chair can close with. */
export const OUTCOME_LABELS: Record<string, string> = {
  plan_agreed: 'Multi-agency plan agreed',
  monitor: 'Monitor and review',
  escalated: 'Escalated',
  no_further_action: 'No further multi-agency action',
  adjourned: 'Adjourned',
};

const label = (list: readonly { id: string; label: string }[], id: string) => list.find((x) => x.id === id)?.label ?? id;

export function presentMinutes(c: ConferenceDoc, viewer: UserDoc, basis: ConferenceBasis, names: Names, personName: string | null, now = new Date()) {
  const t = domainConfig().taxonomy;
  const viewerAgencyId = String(viewer.agencyId);
  const items = visibleItems(c, viewerAgencyId, basis, names);
  const attendees = c.participants
    .filter((p) => p.attendedAt)
    .map((p) => ({ name: names.user(p.userId), agencyName: names.agency(p.agencyId), role: p.role }));
  const agencies = [...new Set([names.agency(c.chairAgencyId), ...attendees.map((a) => a.agencyName)])];
  const chairContent = basis.allows(viewerAgencyId, String(c.chairAgencyId));
  return {
    id: c.id as string,
    title: c.title,
    person: { id: String(c.personId), name: personName },
    scheduledFor: c.scheduledFor.toISOString(),
    startedAt: c.startedAt ? c.startedAt.toISOString() : null,
    closedAt: c.closedAt ? c.closedAt.toISOString() : null,
    chair: { name: names.user(c.chairId), agencyName: names.agency(c.chairAgencyId) },
    outcome: {
      code: c.outcome?.code ?? null,
      label: c.outcome?.code ? (OUTCOME_LABELS[c.outcome.code] ?? c.outcome.code) : null,
      summary: chairContent ? (c.outcome?.summary ?? null) : null,
    },
    attendees,
    agencies,
    agenda: chairContent ? c.agenda.map((a) => ({ text: a.text, done: a.done })) : [],
    riskSummary: riskSnapshot(items.risks).map((r) => ({
      category: r.category,
      categoryLabel: label(t.categories, r.category),
      level: r.level,
      levelLabel: label(t.levels, r.level),
      rank: riskLevelRank(t, r.level),
    })),
    risks: items.risks.map((r) => ({ ...r, categoryLabel: label(t.categories, r.category), levelLabel: label(t.levels, r.level) })),
    decisions: items.decisions,
    actions: items.actions,
    withheld: items.withheld,
    viewerAgencyName: names.agency(viewerAgencyId),
    generatedAt: now.toISOString(),
  };
}

export type Minutes = ReturnType<typeof presentMinutes>;
