/**
 * Alerts as one viewer may see them. The list item never carries identity or agency names; the
 * detail carries what buildAlertView decided.
 */
import type { AlertDoc } from '../models/Alert';
import type { AlertView } from '../alerts/alertView';
import { domainConfig } from '../../config/domain';

function ruleName(ruleId: string): string {
  return domainConfig().alertRules.rules.find((r) => r.id === ruleId)?.name ?? ruleId;
}

/** One row of the inbox. */
export function presentAlertListItem(a: AlertDoc) {
  return {
    id: a.id as string,
    ruleId: a.ruleId,
    ruleName: ruleName(a.ruleId),
    severity: a.severity,
    status: a.status,
    sharingState: a.sharingState,
    mode: a.audience?.mode ?? null,
    summary: {
      agencyCount: a.summary?.agencyCount ?? 0,
      encounterCount: a.summary?.encounterCount ?? 0,
      firstAt: a.summary?.firstAt ?? null,
      lastAt: a.summary?.lastAt ?? null,
    },
    routedTo: { mode: a.routedTo?.mode ?? null, level: a.routedTo?.level ?? null },
    ackDeadline: a.ackDeadline ?? null,
    acknowledgedAt: a.acknowledgedAt ?? null,
    assignedTo: a.assignedTo ? String(a.assignedTo) : null,
    conferenceId: a.conferenceId ? String(a.conferenceId) : null,
    outcome: a.outcome?.code ?? null,
    raisedAt: (a as unknown as { createdAt: Date }).createdAt,
    updatedAt: (a as unknown as { updatedAt: Date }).updatedAt,
  };
}

/** The alert page. */
export function presentAlertDetail(view: AlertView) {
  const a = view.alert;
  const name = (id: unknown) => (id ? (view.userNames.get(String(id)) ?? null) : null);
  return {
    ...presentAlertListItem(a),
    description: domainConfig().alertRules.rules.find((r) => r.id === a.ruleId)?.description ?? null,
    person: view.person,
    evidence: view.evidence,
    withheld: view.withheld.map((w) => ({ agencyName: w.agencyName, count: w.count, code: w.code, reason: w.reason, remedy: w.remedy, text: w.text })),
    acknowledgedBy: a.acknowledgedBy ? { id: String(a.acknowledgedBy), name: name(a.acknowledgedBy) } : null,
    assignee: a.assignedTo ? { id: String(a.assignedTo), name: name(a.assignedTo) } : null,
    outcome: a.outcome?.code ? { code: a.outcome.code, note: a.outcome.note ?? null, closedAt: a.outcome.closedAt ?? null } : null,
    timeline: a.timeline.map((t) => ({
      id: String(t._id),
      at: t.at,
      kind: t.kind,
      actor: t.actorUserId ? { id: String(t.actorUserId), name: name(t.actorUserId) } : null,
      text: t.text ?? null,
      detail: t.detail ?? null,
    })),
  };
}
