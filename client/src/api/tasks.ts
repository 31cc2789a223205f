/** The signed-in user's tasks (server/routes/tasks). */
import { api } from './client';

export type TaskKind =
  | 'seek_consent'
  | 'consent_expiring'
  | 'review_break_glass'
  | 'review_decision'
  | 'sign_off_decision'
  | 'conference_action'
  | 'conference_action_overdue';

export interface Task {
  id: string;
  kind: TaskKind;
  subject: { type: string | null; id: string | null; personId: string | null };
  /** Given to this user by name; otherwise to everyone in the agency with `assigneeRole`. */
  assignedToMe: boolean;
  assigneeRole: string | null;
  dueAt: string | null;
  status: 'open' | 'done' | 'dismissed';
  createdAt: string;
}

export type TaskOutcome = 'done' | 'dismissed';

export const tasksApi = {
  open: () => api.get<{ tasks: Task[] }>('/api/tasks?status=open'),
  close: (id: string, outcome: TaskOutcome) =>
    api.post<{ task: Task }>(`/api/tasks/${encodeURIComponent(id)}/close`, { outcome }),
};
