/** The home page's line on open tasks: "You have 3 open tasks", linking to /tasks. */
import { Link } from '../router/Link';
import { useOpenTasks } from './useOpenTasks';
import { isOverdue, openTasksText } from './vocab';
import './tasks.css';

export function OpenTasksSummary() {
  const { load } = useOpenTasks();
  if (load.status === 'loading') return <p className="muted">Checking your tasks…</p>;
  if (load.status === 'error') {
    return (
      <p>
        Your tasks could not be loaded just now. <Link to="/tasks">Go to your tasks</Link>
      </p>
    );
  }
  const count = load.tasks.length;
  const overdue = load.tasks.filter((task) => isOverdue(task)).length;
  return (
    <div aria-live="polite">
      <p className="task-count">
        <Link to="/tasks">{openTasksText(count)}</Link>
        {overdue > 0 ? <span className="muted"> ({overdue} overdue)</span> : null}
      </p>
    </div>
  );
}
