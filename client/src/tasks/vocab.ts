/** Words for tasks: what each kind asks of the user, and who it is for. */
import type { Task, TaskKind } from '../api/tasks';
import { humanise } from '../people/vocab';

export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  seek_consent: 'Seek consent to share',
  consent_expiring: 'Consent expiring — renew it',
  review_break_glass: 'Review emergency (break-glass) access',
  review_decision: 'Review an out-of-hours decision to share',
  sign_off_decision: 'Sign off a decision to share without consent',
  conference_action: 'Carry out an action agreed at a case conference',
  conference_action_overdue: 'A case conference action is overdue',
};

/** One line on what to do, shown under the title. */
export const TASK_KIND_HINTS: Record<TaskKind, string> = {
  seek_consent: "Ask the person whether they agree to share their information, and record their answer on their page.",
  consent_expiring: "The person's consent ends soon. Ask them again and record their answer on their page.",
  review_break_glass: 'Someone opened a record outside the usual sharing rules. Check the reason they gave.',
  review_decision: 'A duty manager made an emergency decision to share out of hours. Review it today.',
  sign_off_decision: 'A decision to share without consent needs your sign-off before it takes effect.',
  conference_action: 'You own an action agreed at a case conference. The conference page says what it is; mark it done there when it is.',
  conference_action_overdue: 'An action you chair has passed its due date without being done. Check with its owner.',
};

const ROLE_PLURALS: Record<string, string> = {
  practitioner: 'practitioners',
  key_worker: 'key workers',
  panel_member: 'panel members',
  panel_chair: 'panel chairs',
  duty_manager: 'duty managers',
  ig_lead: 'IG leads',
  agency_admin: 'agency administrators',
  system_admin: 'system administrators',
};

export function taskKindLabel(kind: string): string {
  return TASK_KIND_LABELS[kind as TaskKind] ?? humanise(kind);
}

/** "Assigned to you", or "For all key workers". */
export function assigneeText(task: Pick<Task, 'assignedToMe' | 'assigneeRole'>): string {
  if (task.assignedToMe) return 'Assigned to you';
  if (task.assigneeRole) return `For all ${ROLE_PLURALS[task.assigneeRole] ?? humanise(task.assigneeRole).toLowerCase()}`;
  return 'For your agency';
}

export function isOverdue(task: Pick<Task, 'dueAt'>, now = Date.now()): boolean {
  if (!task.dueAt) return false;
  const due = Date.parse(task.dueAt);
  return !Number.isNaN(due) && due < now;
}

/** "You have 3 open tasks". */
export function openTasksText(count: number): string {
  if (count === 0) return 'You have no open tasks';
  return `You have ${count} open ${count === 1 ? 'task' : 'tasks'}`;
}
