/**
 * `/alerts`: the alerts this user is told about, filtered by the URL query. Alerts nobody has
 * acknowledged come first, most severe at the top. A new alert arrives over the socket and is
 * announced politely (and on the desktop, if the user turned that on); a change anyone makes to
 * an alert in the list refreshes it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { alertsApi, type AlertListItem, type AlertRule, type StatusFilter } from '../api/alerts';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertFilterForm } from '../alerts/AlertFilterForm';
import { AlertList, sortAlerts } from '../alerts/AlertList';
import { DesktopNotifications, notifyNewAlert } from '../alerts/DesktopNotifications';
import { useAlertEvents, type AlertNewHint } from '../alerts/useAlertEvents';
import { filtersFromQuery, hasFilters, inboxPath, severityLabel } from '../alerts/vocab';
import { LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { useLocation } from '../router/history';
import { Link } from '../router/Link';
import '../alerts/alerts.css';

/** The server's default page size: a full page means there may be more. */
const PAGE_SIZE = 100;
/** Several changes in a burst (a batch import) make one refresh. */
const REFRESH_DELAY_MS = 400;

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; alerts: AlertListItem[]; of: string };

const LIST_TITLES: Record<StatusFilter, string> = {
  active: 'Active alerts',
  open: 'Alerts not yet acknowledged',
  acknowledged: 'Acknowledged alerts',
  in_review: 'Alerts in review',
  conference: 'Alerts in a case conference',
  closed: 'Closed alerts',
};

export function AlertInboxPage() {
  const user = useCurrentUser();
  const { query } = useLocation();
  const filters = filtersFromQuery(query);
  const key = inboxPath(filters);
  const { status, severity, ruleId, assigned } = filters;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(true);
  const [version, setVersion] = useState(0);
  const [rules, setRules] = useState<AlertRule[] | null>([]);
  const [fresh, setFresh] = useState<{ ids: Set<string>; latest: AlertNewHint | null }>(() => ({ ids: new Set(), latest: null }));
  const [resultText, setResultText] = useState('');
  const announcedKey = useRef<string | null>(null);
  const refreshTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    let live = true;
    setRefreshing(true);
    // A refresh keeps the list on screen; other filters start afresh.
    setLoad((current) => (current.status === 'ready' && current.of === key ? current : { status: 'loading' }));
    alertsApi.list({ status, severity, ruleId, assigned, limit: PAGE_SIZE }).then(
      ({ alerts }) => {
        if (!live) return;
        setLoad({ status: 'ready', alerts, of: key });
        setRefreshing(false);
        // Say how many match when the filters change, not at every live refresh.
        if (announcedKey.current !== key) {
          announcedKey.current = key;
          setResultText(alerts.length === 0 ? 'No alerts match.' : `${alerts.length} ${alerts.length === 1 ? 'alert' : 'alerts'} shown.`);
        }
      },
      (err: unknown) => {
        if (!live) return;
        setLoad((current) => (current.status === 'ready' && current.of === key ? current : { status: 'error', message: errorMessage(err) }));
        setRefreshing(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, status, severity, ruleId, assigned, version]);

  useEffect(() => {
    let live = true;
    alertsApi.rules().then(
      ({ rules: list }) => live && setRules(list),
      () => live && setRules(null),
    );
    return () => {
      live = false;
    };
  }, []);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const reloadSoon = useCallback(() => {
    window.clearTimeout(refreshTimer.current);
    refreshTimer.current = window.setTimeout(reload, REFRESH_DELAY_MS);
  }, [reload]);
  useEffect(() => () => window.clearTimeout(refreshTimer.current), []);

  useAlertEvents({
    onNew: (hint) => {
      setFresh((current) => ({ ids: new Set(current.ids).add(hint.id), latest: hint }));
      notifyNewAlert(hint);
      reload();
    },
    onChanged: reloadSoon,
    onReconnect: reload,
  });

  const alerts = load.status === 'ready' ? sortAlerts(load.alerts) : [];
  const filtered = hasFilters(filters);
  const newCount = fresh.ids.size;

  return (
    <>
      <PageHeading title="Alerts">Patterns across agencies that a risk panel should look at. Unacknowledged alerts come first, most severe at the top.</PageHeading>

      <p role="status" aria-live="polite" className={newCount > 0 ? 'banner alert-new' : 'visually-hidden'}>
        {fresh.latest
          ? `${newCount === 1 ? 'New alert' : `${newCount} new alerts`}: the latest is ${severityLabel(fresh.latest.severity).toLowerCase()} severity.`
          : ''}
      </p>

      <DesktopNotifications />
      <AlertFilterForm filters={filters} rules={rules} />

      <p role="status" className="visually-hidden">
        {resultText}
      </p>

      {load.status === 'loading' ? <p role="status">Loading alerts…</p> : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

      {load.status === 'ready' ? (
        <section className="panel" aria-labelledby="alert-list-title" aria-busy={refreshing}>
          <h2 id="alert-list-title">
            {LIST_TITLES[filters.status]}
            {filtered && filters.status === 'active' ? ' matching the filters' : ''} ({alerts.length})
          </h2>
          {alerts.length === 0 ? (
            <div className="empty-state">
              {filtered ? (
                <>
                  <p className="empty-title">No alerts match these filters</p>
                  <p className="muted">
                    <Link to="/alerts">Show all active alerts</Link>
                  </p>
                </>
              ) : (
                <>
                  <p className="empty-title">No active alerts</p>
                  <p className="muted">New alerts appear here as soon as they are raised; there is no need to reload.</p>
                </>
              )}
            </div>
          ) : (
            <>
              <AlertList alerts={alerts} userId={user.id} newIds={fresh.ids} />
              {load.alerts.length >= PAGE_SIZE ? (
                <p className="small muted alert-more">
                  Showing the {PAGE_SIZE} most recently updated. Narrow the filters to find older alerts.
                </p>
              ) : null}
            </>
          )}
        </section>
      ) : null}
    </>
  );
}
