/**
 * Raises a task once (by its dedupe key) and tells the assignee's sockets, with an id hint only.
 */
import type { Types } from 'mongoose';
import { Task, type TaskDoc } from '../models/Task';
import type { RealtimeControl } from '../context';

export interface RaiseTaskProps {
  kind: TaskDoc['kind'];
  agencyId: Types.ObjectId;
  /** A named user, or null to give it to everyone with `assigneeRole` in the agency. */
  assigneeUserId: Types.ObjectId | null;
  assigneeRole: string | null;
  subject: { type: string; id?: Types.ObjectId | null; personId?: Types.ObjectId | null };
  /** One open task per key, e.g. `consent_expiring:<consentId>`. */
  dedupeKey: string;
  dueAt?: Date | null;
  /** Where to send the `task:created` hint; omitted in processes without sockets. */
  realtime?: Pick<RealtimeControl, 'emit'>;
}

/** Creates the task unless one with the same key exists; `created` says which. */
export async function raiseTask(props: RaiseTaskProps): Promise<{ task: TaskDoc; created: boolean }> {
  const existing = await Task.findOne({ dedupeKey: props.dedupeKey });
  if (existing) return { task: existing, created: false };
  let task: TaskDoc;
  try {
    task = await Task.create({
      kind: props.kind,
      agencyId: props.agencyId,
      assigneeUserId: props.assigneeUserId,
      assigneeRole: props.assigneeRole,
      subject: { type: props.subject.type, id: props.subject.id ?? null, personId: props.subject.personId ?? null },
      dedupeKey: props.dedupeKey,
      dueAt: props.dueAt ?? null,
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const raced = await Task.findOne({ dedupeKey: props.dedupeKey });
    if (!raced) throw err;
    return { task: raced, created: false };
  }
  const room = props.assigneeUserId ? `user:${String(props.assigneeUserId)}` : `agency:${String(props.agencyId)}:role:${props.assigneeRole}`;
  props.realtime?.emit(room, 'task:created', { id: task.id as string });
  return { task, created: true };
}
