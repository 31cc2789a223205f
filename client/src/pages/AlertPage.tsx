/**
 * `/alerts/:id`: one alert — what fired and why, who it is about (as far as this viewer may
 * know), the evidence and what is withheld, where it stands, the steps to take, and its timeline.
 * Each step is announced and moves focus to the new status. If a colleague acted first (409),
 * the page reloads and says so; a change made elsewhere while the page is open refreshes it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { alertsApi, type AlertDetail, type AlertListItem, type CloseOutcome } from '../api/alerts';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertActions, type AlertActionHandlers } from '../alerts/AlertActions';
import { SeverityBadge, StatusBadge } from '../alerts/AlertBadges';
import { AlertEvidenceList, AlertPerson, AlertTimeline, AlertWithheld, WhatFired, WhereItStands } from '../alerts/AlertSections';
import { notifyNewAlert } from '../alerts/DesktopNotifications';
import { useAlertEvents } from '../alerts/useAlertEvents';
import { knownNames, outcomeLabel, statusShort } from '../alerts/vocab';
import { AlertRegion, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { Link } from '../router/Link';
import '../alerts/alerts.css';

type Load =
  | { status: 'loading' }
  | { status: 'notFound' }
  | { status: 'error'; message: string }
  | { status: 'ready'; alert: AlertDetail };

type Step = 'acknowledge' | 'assign' | 'note' | 'close';

/** What to say when a colleague acted first (the server's 409 codes). */
const CONFLICT_TEXT: Record<string, string> = {
  alert_not_open: 'Someone else acknowledged or closed this alert first. The page has been refreshed: the timeline shows who acted.',
  alert_not_assignable:
    'This alert can no longer be assigned: someone else has closed it or taken it to a case conference. The page has been refreshed.',
  alert_closed: 'Someone else has closed this alert. The page has been refreshed: see the outcome under Status.',
};

/** The step's answer (a list item) folded into the page, so the new state shows before the reload. */
function merge(alert: AlertDetail, item: AlertListItem): AlertDetail {
  return {
    ...alert,
    status: item.status,
    severity: item.severity,
    ackDeadline: item.ackDeadline,
    acknowledgedAt: item.acknowledgedAt,
    updatedAt: item.updatedAt,
    assignee: item.assignedTo ? (alert.assignee?.id === item.assignedTo ? alert.assignee : { id: item.assignedTo, name: null }) : null,
  };
}

export function AlertPage({ id }: { id: string }) {
  const user = useCurrentUser();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState<Step | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [newAlerts, setNewAlerts] = useState(0);
  const [assignees, setAssignees] = useState<{ id: string; name: string }[]>([]);
  const [focusTick, setFocusTick] = useState(0);
  const statusRef = useRef<HTMLHeadingElement>(null);
  /** A step of ours is under way: its own change hint is not news. */
  const acting = useRef(false);
  /** `updatedAt` of our last step, to tell our own change hints from a colleague's. */
  const ownUpdate = useRef<string | null>(null);
  /** The status before a colleague's change, to say what it became. */
  const before = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    setRefreshing(true);
    alertsApi.get(id).then(
      ({ alert }) => {
        if (!live) return;
        setLoad({ status: 'ready', alert });
        setRefreshing(false);
        if (before.current !== null) {
          const was = before.current;
          before.current = null;
          setMessage(
            alert.status !== was
              ? `This alert was updated elsewhere: it is now ${statusShort(alert.status).toLowerCase()}${alert.status === 'closed' && alert.outcome ? ` (${outcomeLabel(alert.outcome.code)})` : ''}.`
              : 'This alert was updated elsewhere; the timeline shows what changed.',
          );
        }
      },
      (err: unknown) => {
        if (!live) return;
        before.current = null;
        // An alert outside the viewer's audience answers 404, as does a malformed id (400).
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setLoad({ status: 'notFound' });
        else setLoad((current) => (current.status === 'ready' ? current : { status: 'error', message: errorMessage(err) }));
        setRefreshing(false);
      },
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  // Focus the status heading once the step's result is on screen.
  useEffect(() => {
    if (focusTick > 0) statusRef.current?.focus();
  }, [focusTick]);

  useAlertEvents({
    onChanged: (hint) => {
      if (hint.id !== id || acting.current || hint.updatedAt === ownUpdate.current) return;
      if (load.status === 'ready' && before.current === null) before.current = load.alert.status;
      reload();
    },
    onNew: (hint) => {
      if (hint.id === id) return;
      setNewAlerts((n) => n + 1);
      notifyNewAlert(hint);
    },
    onReconnect: reload,
  });

  const run = useCallback(
    async (step: Step, call: () => Promise<{ alert: AlertListItem }>, done: string, focusStatus: boolean): Promise<boolean> => {
      if (acting.current) return false;
      acting.current = true;
      setBusy(step);
      setError(null);
      setMessage('');
      try {
        const { alert: item } = await call();
        ownUpdate.current = typeof item.updatedAt === 'string' ? item.updatedAt : String(item.updatedAt);
        setLoad((current) => (current.status === 'ready' ? { status: 'ready', alert: merge(current.alert, item) } : current));
        setMessage(done);
        if (focusStatus) setFocusTick((n) => n + 1);
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          setError(CONFLICT_TEXT[err.code] ?? `${err.message} The page has been refreshed.`);
          setFocusTick((n) => n + 1);
        } else if (err instanceof ApiError && err.status === 404) {
          setError('This alert is no longer available to you. It may have been moved to people you are not among.');
        } else {
          setError(errorMessage(err));
        }
        return false;
      } finally {
        acting.current = false;
        setBusy(null);
        reload();
      }
    },
    [reload],
  );

  const actions = useMemo<AlertActionHandlers>(
    () => ({
      acknowledge: () => run('acknowledge', () => alertsApi.acknowledge(id), 'Acknowledged. Others who received this alert can see that you have it.', true),
      assign: (userId, name) => run('assign', () => alertsApi.assign(id, userId), `Assigned to ${name}. The alert is now in review.`, true),
      note: (text) => run('note', () => alertsApi.note(id, text), 'Note added to the timeline.', false),
      close: (outcome: CloseOutcome, note) =>
        run('close', () => alertsApi.close(id, outcome, note || undefined), `Alert closed: ${outcomeLabel(outcome)}.`, true),
    }),
    [id, run],
  );

  const title = load.status === 'ready' ? load.alert.ruleName : load.status === 'notFound' ? 'Alert not found, or not shared with you' : 'Alert';

  return (
    <>
      <p className="alert-back">
        <Link to="/alerts">All alerts</Link>
      </p>
      <PageHeading title={title} />
      {load.status === 'ready' ? (
        <p className="alert-heading-badges">
          <SeverityBadge severity={load.alert.severity} />
          <StatusBadge status={load.alert.status} />
        </p>
      ) : null}

      <p role="status" className={message ? 'banner banner-success' : 'visually-hidden'}>
        {message}
      </p>
      <AlertRegion message={error} />
      <p role="status" aria-live="polite" className={newAlerts > 0 ? 'banner alert-new' : 'visually-hidden'}>
        {newAlerts > 0 ? (
          <>
            {newAlerts === 1 ? 'A new alert has arrived.' : `${newAlerts} new alerts have arrived.`} <Link to="/alerts">Go to the inbox</Link>
          </>
        ) : null}
      </p>

      {load.status === 'loading' ? <p role="status">Loading the alert…</p> : null}
      {load.status === 'notFound' ? (
        <div className="panel">
          <p>
            There is no alert at this address that you may see. The link may be wrong, or the alert is shared with other
            people only.
          </p>
          <p>
            <Link to="/alerts">Go to your alerts</Link>
          </p>
        </div>
      ) : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

      {load.status === 'ready' ? (
        <div className="alert-page" aria-busy={refreshing}>
          <WhatFired alert={load.alert} />
          <WhereItStands alert={load.alert} headingRef={statusRef} />
          <AlertPerson alert={load.alert} />
          <AlertEvidenceList alert={load.alert} />
          <AlertWithheld alert={load.alert} />
          {load.alert.conferenceId ? (
            <p>
              <Link to={`/conferences/room/${encodeURIComponent(load.alert.conferenceId)}`}>Open the case conference about this alert</Link>
            </p>
          ) : load.alert.status !== 'closed' && user.roles.includes('panel_chair') ? (
            <p>
              <Link to={`/conferences?alertId=${encodeURIComponent(load.alert.id)}`}>Schedule a case conference about this alert</Link>
            </p>
          ) : null}
          {load.alert.status !== 'closed' ? (
            <AlertActions alert={load.alert} userId={user.id} busy={busy} actions={actions} onAssignees={setAssignees} />
          ) : null}
          <AlertTimeline entries={load.alert.timeline} names={knownNames(load.alert, assignees)} />
        </div>
      ) : null}
    </>
  );
}
