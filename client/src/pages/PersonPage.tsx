/**
 * One person across agencies, for one viewer and purpose: who they are (when the viewer may
 * know), their own "tell it once" summary, markers for every record withheld and how to ask for
 * it, the timeline of records the viewer may see, and the consent panel.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import type { BreakGlassGrant } from '../api/breakGlass';
import {
  isPurpose,
  peopleApi,
  PURPOSES,
  type ConsentsResponse,
  type PersonPage as Person,
  type Purpose,
  type TimelineEntry,
  type WithheldMarker,
} from '../api/people';
import { useCurrentUser } from '../auth/AuthContext';
import { LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { SelectField } from '../components/SelectField';
import { DECIDER_ROLES } from '../decisions/vocab';
import { ConsentPanel } from '../people/ConsentPanel';
import { DecisionPanel } from '../people/DecisionPanel';
import { EmergencyAccess, EmergencyAccessBanner } from '../people/EmergencyAccess';
import { liveGrant, rememberGrant } from '../people/emergencyGrants';
import { SubjectAccessPanel } from '../people/SubjectAccessPanel';
import { TellItOncePanel } from '../people/TellItOncePanel';
import {
  BASIS_LABELS,
  categoryLabel,
  formatDate,
  formatDateTime,
  fullName,
  humanise,
  kindLabel,
  knownToText,
  PURPOSE_LABELS,
  REMEDY_HINTS,
  SENSITIVE_FIELDS,
} from '../people/vocab';
import { hasAnyRole, PRACTICE_ROLES } from '../roles';
import { navigate, useLocation } from '../router/history';
import { Link } from '../router/Link';

type Load =
  | { status: 'loading' }
  | { status: 'notFound' }
  | { status: 'error'; message: string }
  | { status: 'ready'; person: Person };

export function PersonPage({ id }: { id: string }) {
  const { query } = useLocation();
  const rawPurpose = query.get('purpose');
  const purpose = isPurpose(rawPurpose) ? rawPurpose : undefined;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setRefreshing(true);
    peopleApi.person(id, purpose).then(
      ({ person }) => {
        if (!live) return;
        setLoad({ status: 'ready', person });
        setRefreshing(false);
      },
      (err: unknown) => {
        if (!live) return;
        // A malformed id is as unknown as a missing one.
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setLoad({ status: 'notFound' });
        else setLoad({ status: 'error', message: errorMessage(err) });
        setRefreshing(false);
      },
    );
    return () => {
      live = false;
    };
  }, [id, purpose, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  // One heading in every state, so the focus moved to it on navigation survives loading.
  const title =
    load.status === 'ready'
      ? personTitle(load.person)
      : load.status === 'notFound'
        ? 'Not found, or not shared with your agency'
        : 'Person';

  return (
    <>
      <PageHeading title={title} windowTitle={load.status === 'ready' ? 'Person' : undefined} />
      {load.status === 'loading' ? <p role="status">Loading…</p> : null}
      {load.status === 'notFound' ? (
        <div className="panel">
          <p>
            There is no one at this address that your agency may see. The link may be wrong, or no record about this
            person is shared with your agency.
          </p>
          <p>
            <Link to="/people">Find a person</Link>
          </p>
        </div>
      ) : null}
      {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}
      {load.status === 'ready' ? <PersonView person={load.person} refreshing={refreshing} onChanged={reload} /> : null}
    </>
  );
}

function personTitle(person: Person): string {
  return (person.identified ? fullName(person.demographics) : null) ?? knownToText(person.knownToAgencies);
}

function PersonView({ person, refreshing, onChanged }: { person: Person; refreshing: boolean; onChanged: () => void }) {
  const user = useCurrentUser();
  const timeline = [...person.timeline].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  // The consents as read by the consent panel: `null` when the viewer's agency holds no record.
  const [consents, setConsents] = useState<ConsentsResponse | null | undefined>(undefined);
  const [grant, setGrant] = useState<BreakGlassGrant | null>(() => liveGrant(person.id));
  const [grantJustOpened, setGrantJustOpened] = useState(false);

  // When emergency access ends, the records it opened close: read the page again.
  useEffect(() => {
    if (!grant) return;
    const wait = Date.parse(grant.expiresAt) - Date.now();
    const timer = window.setTimeout(() => {
      setGrant(null);
      onChanged();
    }, Math.min(Math.max(wait, 0) + 1000, 2_147_000_000));
    return () => window.clearTimeout(timer);
  }, [grant, onChanged]);

  const opened = useCallback(
    (next: BreakGlassGrant) => {
      rememberGrant(next);
      setGrant(next);
      setGrantJustOpened(true);
      onChanged();
    },
    [onChanged],
  );

  const holdsRecord = Boolean(consents);
  const practice = hasAnyRole(user, PRACTICE_ROLES);

  return (
    <div className="person" aria-busy={refreshing}>
      {grant ? <EmergencyAccessBanner grant={grant} justOpened={grantJustOpened} /> : null}
      <PersonDetails person={person} />
      {hasAnyRole(user, ['panel_chair']) ? (
        <p className="person-conference">
          <Link to={`/conferences?personId=${encodeURIComponent(person.id)}`}>Schedule a case conference about this person</Link>
        </p>
      ) : null}
      <PurposeForm id={person.id} purpose={person.purpose} />

      <TellItOncePanel personId={person.id} text={person.tellItOnce} canEdit={holdsRecord && practice} onSaved={onChanged} />

      {person.withheld.length > 0 ? (
        <WithheldMarkers markers={person.withheld}>
          {practice ? <EmergencyAccess personId={person.id} onOpened={opened} /> : null}
        </WithheldMarkers>
      ) : null}

      <section className="panel" aria-label="Timeline">
        <h2>Timeline</h2>
        {timeline.length === 0 ? (
          <div className="empty-state">
            <p className="empty-title">No records you can see</p>
            <p className="muted">Records from other agencies appear here once there is a lawful basis to share them.</p>
          </div>
        ) : (
          <ol className="timeline">
            {timeline.map((entry) => (
              <li key={entry.id}>
                <TimelineItem entry={entry} />
              </li>
            ))}
          </ol>
        )}
      </section>

      <ConsentPanel personId={person.id} onRecorded={onChanged} onLoaded={setConsents} />

      {consents && hasAnyRole(user, DECIDER_ROLES) ? (
        <DecisionPanel personId={person.id} consentState={consents.effective.state} />
      ) : null}
      {consents && user.roles.includes('ig_lead') ? <SubjectAccessPanel personId={person.id} /> : null}
    </div>
  );
}

function PersonDetails({ person }: { person: Person }) {
  const d = person.identified ? person.demographics : null;
  const rows: [string, string][] = [];
  if (d?.dateOfBirth) rows.push(['Date of birth', formatDate(d.dateOfBirth)]);
  if (d?.nhsNumber) rows.push(['NHS number', d.nhsNumber]);
  if (d?.postcode) rows.push(['Postcode', d.postcode]);
  if (rows.length === 0) {
    return person.identified ? null : (
      <p className="muted person-pseudonym">Their details are withheld: no record you may see identifies them.</p>
    );
  }
  return (
    <dl className="person-details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Choosing another purpose reloads the page with `?purpose=` (a button, so arrowing through the list does not). */
function PurposeForm({ id, purpose }: { id: string; purpose: Purpose }) {
  const [value, setValue] = useState<string>(purpose);
  useEffect(() => setValue(purpose), [purpose]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isPurpose(value)) navigate(`/people/${encodeURIComponent(id)}?purpose=${value}`);
  }

  return (
    <form className="purpose-form" onSubmit={apply}>
      <SelectField label="Purpose" name="purpose" value={value} onChange={(e) => setValue(e.target.value)}>
        {PURPOSES.map((p) => (
          <option key={p} value={p}>
            {PURPOSE_LABELS[p]}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button button-secondary" disabled={value === purpose}>
        Change purpose
      </button>
    </form>
  );
}

/** `children`: what the viewer can do about them (emergency access). */
function WithheldMarkers({ markers, children }: { markers: WithheldMarker[]; children?: ReactNode }) {
  return (
    <section className="panel withheld" aria-label="Withheld records">
      <h2>Records withheld from you</h2>
      <ul className="marker-list">
        {markers.map((marker) => (
          <li key={`${marker.agencyName}|${marker.code}|${marker.reason}`} className="marker">
            <p className="marker-text">{marker.text}</p>
            <p className="marker-remedy small">
              {REMEDY_HINTS[marker.remedy] ?? ''}
            </p>
          </li>
        ))}
      </ul>
      {children}
    </section>
  );
}

function levelClass(level: string): string {
  return ['low', 'medium', 'high', 'critical'].includes(level) ? `risk-${level}` : 'risk-unknown';
}

function TimelineItem({ entry }: { entry: TimelineEntry }) {
  const agency = entry.agencyName ?? 'Another agency';
  return (
    <article className={`entry${entry.flagged || entry.basis === 'break_glass' ? ' entry-flagged' : ''}`} aria-label={`${agency}, ${kindLabel(entry.kind)}, ${formatDateTime(entry.occurredAt)}`}>
      <header className="entry-header">
        <h3 className="entry-title">
          {kindLabel(entry.kind)} <span className="entry-agency">· {agency}</span>
        </h3>
        <time className="entry-time small" dateTime={entry.occurredAt}>
          {formatDateTime(entry.occurredAt)}
        </time>
      </header>
      <p className="entry-labels">
        {entry.basis === 'break_glass' || entry.flagged ? (
          <>
            <span className="flag">Emergency access</span>
            <span className="small muted flag-note">Opened outside the usual sharing rules; flagged for IG review</span>
          </>
        ) : null}
        {entry.basis !== 'break_glass' ? (
          <span className={`basis basis-${entry.basis}`}>{BASIS_LABELS[entry.basis] ?? humanise(entry.basis)}</span>
        ) : null}
        {entry.link.status === 'review' ? <span className="basis">Match to this person not yet confirmed</span> : null}
      </p>

      {entry.riskIndicators.length > 0 ? (
        <ul className="risk-list" aria-label="Risk indicators">
          {entry.riskIndicators.map((risk, index) => (
            <li key={`${risk.category}-${index}`} className={`risk ${levelClass(risk.level)}`}>
              <span className="risk-label">
                {humanise(risk.category)} · {risk.level}
              </span>
              {risk.note ? <span className="risk-note"> — {risk.note}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}

      {entry.summary ? <p className="entry-summary">{entry.summary}</p> : null}

      <SensitiveFields entry={entry} />

      <p className="small muted entry-meta">
        Reference {entry.externalRef}
        {entry.categories.length ? <> · Holds: {entry.categories.map(categoryLabel).join(', ')}</> : null}
      </p>
    </article>
  );
}

function SensitiveFields({ entry }: { entry: TimelineEntry }) {
  const shown = SENSITIVE_FIELDS.filter((field) => entry.sensitive[field.key]);
  const withheld = SENSITIVE_FIELDS.filter((field) => entry.withheldFields.includes(field.id));
  if (shown.length === 0 && withheld.length === 0) return null;
  return (
    <div className="sensitive">
      {shown.length > 0 ? (
        <dl className="sensitive-values">
          {shown.map((field) => (
            <div key={field.id}>
              <dt>{field.label} (sensitive)</dt>
              <dd>{entry.sensitive[field.key]}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {withheld.map((field) => (
        <p key={field.id} className="sensitive-withheld small">
          {field.label} withheld (sensitive)
        </p>
      ))}
    </div>
  );
}
