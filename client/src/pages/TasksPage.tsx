/**
 * `/tasks`: the signed-in user's open tasks (their own and their roles'), soonest due first.
 * A task raised while the page is open arrives over the socket and is announced politely.
 */
import { useCallback, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { tasksApi, type Task, type TaskOutcome } from '../api/tasks';
import { Badge } from '../components/Badge';
import { AlertRegion, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { formatDateTime } from '../people/vocab';
import { Link } from '../router/Link';
import { useOpenTasks } from '../tasks/useOpenTasks';
import { assigneeText, isOverdue, TASK_KIND_HINTS, taskKindLabel } from '../tasks/vocab';
import '../tasks/tasks.css';

export function TasksPage() {
  const [newCount, setNewCount] = useState(0);
  const onNewTask = useCallback(() => setNewCount((n) => n + 1), []);
  const { load, refreshing, reload } = useOpenTasks(onNewTask);
  const [closing, setClosing] = useState<string | null>(null);
  const [closed, setClosed] = useState<Set<string>>(() => new Set());
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listHeadingRef = useRef<HTMLHeadingElement>(null);

  async function close(task: Task, outcome: TaskOutcome) {
    if (closing) return;
    setClosing(task.id);
    setError(null);
    setMessage('');
    try {
      await tasksApi.close(task.id, outcome);
      setClosed((current) => new Set(current).add(task.id));
      setMessage(`${taskKindLabel(task.kind)}: ${outcome === 'done' ? 'marked done' : 'dismissed'}.`);
      listHeadingRef.current?.focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setClosed((current) => new Set(current).add(task.id));
        setError('This task was already closed, perhaps by a colleague. The list has been refreshed.');
        listHeadingRef.current?.focus();
      } else {
        setError(errorMessage(err));
      }
    }
    setClosing(null);
    reload();
  }

  const tasks = load.status === 'ready' ? sortTasks(load.tasks.filter((task) => !closed.has(task.id))) : [];

  return (
    <>
      <PageHeading title="Tasks">Things you, or everyone in your role, should do next.</PageHeading>

      <p role="status" aria-live="polite" className={newCount > 0 ? 'banner task-new' : 'visually-hidden'}>
        {newCount === 0 ? '' : newCount === 1 ? 'New task' : `${newCount} new tasks`}
      </p>
      <p role="status" className="visually-hidden">
        {message}
      </p>
      <AlertRegion message={error} />

      {load.status === 'loading' ? <p role="status">Loading tasks…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

      {load.status === 'ready' ? (
        <section className="panel" aria-labelledby="open-tasks-title" aria-busy={refreshing}>
          <h2 id="open-tasks-title" ref={listHeadingRef} tabIndex={-1}>
            Open tasks ({tasks.length})
          </h2>
          {tasks.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">No open tasks</p>
              <p className="muted">New tasks appear here as soon as they are raised.</p>
            </div>
          ) : (
            <ul className="task-list">
              {tasks.map((task) => (
                <li key={task.id}>
                  <TaskItem task={task} busy={closing === task.id} disabled={closing !== null} onClose={close} />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}

/** Soonest due first (overdue at the top), then those with no due date, oldest first. */
function sortTasks(tasks: Task[]): Task[] {
  return [...tasks].sort((a, b) => {
    if (a.dueAt && b.dueAt) return a.dueAt.localeCompare(b.dueAt);
    if (a.dueAt || b.dueAt) return a.dueAt ? -1 : 1;
    return a.createdAt.localeCompare(b.createdAt);
  });
}

function TaskItem({
  task,
  busy,
  disabled,
  onClose,
}: {
  task: Task;
  busy: boolean;
  disabled: boolean;
  onClose: (task: Task, outcome: TaskOutcome) => void;
}) {
  const titleId = `task-${task.id}-title`;
  const overdue = isOverdue(task);
  const hint = TASK_KIND_HINTS[task.kind];
  return (
    <article className={`task${overdue ? ' task-overdue' : ''}`} aria-labelledby={titleId} aria-busy={busy}>
      <header className="task-header">
        <h3 id={titleId} className="task-title">
          {taskKindLabel(task.kind)}
        </h3>
        {overdue ? <Badge tone="warn">Overdue</Badge> : null}
        <span className="task-assignee">{assigneeText(task)}</span>
      </header>
      {hint ? <p className="small muted task-hint">{hint}</p> : null}
      <dl className="task-meta">
        <div>
          <dt>Due</dt>
          <dd>{task.dueAt ? <time dateTime={task.dueAt}>{formatDateTime(task.dueAt)}</time> : 'No due date'}</dd>
        </div>
        <div>
          <dt>Raised</dt>
          <dd>
            <time dateTime={task.createdAt}>{formatDateTime(task.createdAt)}</time>
          </dd>
        </div>
      </dl>
      <div className="button-row task-actions">
        {task.subject.type === 'conference' && task.subject.id ? (
          <Link to={`/conferences/room/${encodeURIComponent(task.subject.id)}`} className="task-link" aria-describedby={titleId}>
            Open the conference
          </Link>
        ) : null}
        {task.subject.personId ? (
          <Link to={`/people/${encodeURIComponent(task.subject.personId)}`} className="task-link" aria-describedby={titleId}>
            Open the person's page
          </Link>
        ) : null}
        <button
          type="button"
          className="button"
          disabled={disabled}
          aria-describedby={titleId}
          onClick={() => onClose(task, 'done')}
        >
          {busy ? 'Saving…' : 'Mark done'}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={disabled}
          aria-describedby={titleId}
          onClick={() => onClose(task, 'dismissed')}
        >
          Dismiss
        </button>
      </div>
    </article>
  );
}
