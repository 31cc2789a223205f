import type { AuditEventAttrs } from '../models/AuditEvent';

const id = (v: unknown): string | null => (v == null ? null : String(v));

/**
 * One audit event for an IG lead's browser or a subject access request. The log holds ids and
 * codes only, so every stored field is shown, including the chain links for independent checks.
 */
export function presentAuditEvent(ev: AuditEventAttrs) {
  return {
    seq: ev.seq,
    at: new Date(ev.at).toISOString(),
    actor: {
      userId: id(ev.actor?.userId),
      apiClientId: id(ev.actor?.apiClientId),
      agencyId: id(ev.actor?.agencyId),
      roles: [...(ev.actor?.roles ?? [])],
    },
    action: ev.action,
    subject: { type: ev.subject?.type ?? null, id: id(ev.subject?.id), personId: id(ev.subject?.personId) },
    purpose: ev.purpose ?? null,
    outcome: ev.outcome,
    reason: ev.reason ?? null,
    basis: ev.basis?.kind ? { kind: ev.basis.kind, ref: ev.basis.ref ?? null } : null,
    requestId: ev.requestId ?? null,
    prevHash: ev.prevHash,
    hash: ev.hash,
  };
}

/** See presentAuditEvent. */
export type PresentedAuditEvent = ReturnType<typeof presentAuditEvent>;
