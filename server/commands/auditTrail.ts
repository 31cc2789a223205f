/**
 * What the workspace writes to the audit log for each kind of access. Every call is awaited
 * before the response is sent: if the log cannot be written, the request fails (fail closed).
 * Events hold ids and system codes only, never personal data.
 */
import type { Request } from 'express';
import { appendAudit, appendAuditMany, type AuditInput } from '../audit';
import type { UserDoc } from '../models/User';
import type { ApiPrincipal } from '../auth/apiKeys';
import type { SharingOutcome } from '../sharing';
import type { PersonView } from './personView';

type Actor = AuditInput['actor'];

/** The actor for a signed-in user. */
export function userActor(user: UserDoc): Actor {
  return { userId: user._id, agencyId: user.agencyId, roles: [...user.roles] };
}

/** The actor for an agency system. */
export function apiActor(client: ApiPrincipal): Actor {
  return { apiClientId: client.id, agencyId: client.agencyId };
}

function outcomeOf(o: SharingOutcome): AuditInput['outcome'] {
  return o.effect === 'allow' ? 'allowed' : o.effect === 'redact' ? 'redacted' : 'denied';
}

function basisOf(o: SharingOutcome): AuditInput['basis'] | undefined {
  if (o.effect !== 'allow') return undefined;
  const b = o.basis;
  if (b.kind === 'consent_and_agreement') return { kind: b.kind, ref: b.consentId };
  if (b.kind === 'decision') return { kind: b.kind, ref: b.decisionId };
  if (b.kind === 'break_glass') return { kind: b.kind, ref: b.grantId };
  return { kind: b.kind };
}

/** One event for the page and one per record decided on it (allowed, redacted or denied). */
export async function auditPersonView(req: Request, user: UserDoc, view: PersonView, action: 'person.read' | 'person.search_hit' = 'person.read'): Promise<void> {
  const actor = userActor(user);
  const personId = view.person._id;
  const events: AuditInput[] = [
    { actor, action, subject: { type: 'person', id: personId, personId }, purpose: view.ctx.purpose, outcome: view.hidden ? 'denied' : 'allowed', requestId: req.id },
  ];
  if (action === 'person.read') {
    for (const r of view.records) {
      events.push({
        actor,
        action: 'encounter.read',
        subject: { type: 'encounter', id: r.encounter._id, personId },
        purpose: view.ctx.purpose,
        outcome: outcomeOf(r.outcome),
        reason: r.outcome.code,
        basis: basisOf(r.outcome),
        requestId: req.id,
      });
    }
  }
  await appendAuditMany(events);
}

/** A search: which fields were used (never their values) and how many people came back. */
export async function auditSearch(req: Request, user: UserDoc, fields: string[], purpose: string, results: number): Promise<void> {
  await appendAudit({
    actor: userActor(user),
    action: 'person.search',
    subject: { type: 'person_search' },
    purpose,
    outcome: 'succeeded',
    reason: `fields=${fields.join('+')} results=${results}`,
    requestId: req.id,
  });
}

/** A refused or not-found access to something the caller named by id. */
export async function auditDenied(req: Request, actor: Actor, subject: AuditInput['subject'], reason: string): Promise<void> {
  await appendAudit({ actor, action: 'access.denied', subject, outcome: 'denied', reason, requestId: req.id });
}

/** A write that succeeded. */
export async function auditWrite(req: Request, actor: Actor, action: string, subject: AuditInput['subject'], extra: Partial<AuditInput> = {}): Promise<void> {
  await appendAudit({ actor, action, subject, outcome: 'succeeded', requestId: req.id, ...extra });
}
