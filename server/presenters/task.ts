import type { TaskDoc } from '../models/Task';

/** A task on someone's list: ids and dates only, the page links to the subject. */
export function presentTask(t: TaskDoc) {
  return {
    id: t.id as string,
    kind: t.kind,
    subject: { type: t.subject?.type ?? null, id: t.subject?.id ? String(t.subject.id) : null, personId: t.subject?.personId ? String(t.subject.personId) : null },
    assignedToMe: Boolean(t.assigneeUserId),
    assigneeRole: t.assigneeRole ?? null,
    dueAt: t.dueAt ? t.dueAt.toISOString() : null,
    status: t.status,
    createdAt: (t as unknown as { createdAt: Date }).createdAt.toISOString(),
  };
}
