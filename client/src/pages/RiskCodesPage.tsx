/**
 * `/admin/risk-codes` (agency admins): the agency's own risk codes mapped onto the common
 * taxonomy, so records sent with local codes arrive in the shared language. Map a code, edit
 * one (the code itself stays), or remove one (confirmed).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { codeMapApi, type CodeMapping } from '../api/codeMap';
import { CodeMapForm } from '../admin/CodeMapForm';
import { adminErrorMessage } from '../admin/vocab';
import { useCurrentUser } from '../auth/AuthContext';
import { AlertRegion, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { riskCategoryLabel, riskLevelLabel } from '../people/vocab';
import '../components/table.css';
import '../admin/admin.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; mappings: CodeMapping[] };

const byCode = (a: CodeMapping, b: CodeMapping) => (a.localCode < b.localCode ? -1 : a.localCode > b.localCode ? 1 : 0);

/** The level as words in a pill; colour and border weight only add to the words. */
function LevelBadge({ level }: { level: string }) {
  const tone = ['low', 'medium', 'high', 'critical'].includes(level) ? `risk-${level}` : 'risk-unknown';
  return (
    <span className={`risk ${tone}`}>
      <span className="risk-label">{riskLevelLabel(level)}</span>
    </span>
  );
}

export function RiskCodesPage() {
  const user = useCurrentUser();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<CodeMapping | null>(null);
  const [confirming, setConfirming] = useState<CodeMapping | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const listHeadingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    codeMapApi.list().then(
      ({ mappings }) => live && setLoad({ status: 'ready', mappings: [...mappings].sort(byCode) }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [version]);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const saved = useCallback((mapping: CodeMapping) => {
    setLoad((current) =>
      current.status === 'ready'
        ? { ...current, mappings: [...current.mappings.filter((m) => m.localCode !== mapping.localCode), mapping].sort(byCode) }
        : current,
    );
    setEditing(null);
    setMessage(`Saved the mapping for ${mapping.localCode}.`);
  }, []);

  const cancelEdit = useCallback(() => {
    setEditing(null);
    listHeadingRef.current?.focus();
  }, []);

  async function remove(mapping: CodeMapping) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await codeMapApi.remove(mapping.localCode);
      setLoad((current) =>
        current.status === 'ready' ? { ...current, mappings: current.mappings.filter((m) => m.localCode !== mapping.localCode) } : current,
      );
      setMessage(`${mapping.localCode} is no longer mapped.`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setError(`${mapping.localCode} was already removed. The list has been refreshed.`);
        reload();
      } else {
        setError(adminErrorMessage(err));
      }
    }
    if (editing?.localCode === mapping.localCode) setEditing(null);
    setConfirming(null);
    setBusy(false);
    listHeadingRef.current?.focus();
  }

  function cancelRemove() {
    setConfirming(null);
    listHeadingRef.current?.focus();
  }

  const existingCodes = load.status === 'ready' ? load.mappings.map((m) => m.localCode) : [];

  return (
    <>
      <PageHeading title="Risk codes">
        Map {user.agency.name}’s own risk codes onto the common risk categories and levels, so every agency records risk in one
        language. Records your systems send with a mapped local code arrive with its category and level.
      </PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>

      <section className="panel" aria-labelledby="codes-title">
        <h2 id="codes-title" ref={listHeadingRef} tabIndex={-1}>
          Local codes{load.status === 'ready' ? ` (${load.mappings.length})` : ''}
        </h2>
        <AlertRegion message={error} />

        {load.status === 'loading' ? <p role="status">Loading risk codes…</p> : null}
        {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

        {confirming ? (
          <div className="confirm" role="group" aria-labelledby="remove-confirm-text" ref={confirmRef} tabIndex={-1}>
            <p id="remove-confirm-text" className="confirm-text">
              Remove the mapping for <code>{confirming.localCode}</code>? Records sent with this code afterwards are refused
              until it is mapped again.
            </p>
            <div className="button-row">
              <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove(confirming)}>
                {busy ? 'Removing…' : 'Yes, remove mapping'}
              </button>
              <button type="button" className="button button-secondary" disabled={busy} onClick={cancelRemove}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}

        {load.status === 'ready' ? (
          load.mappings.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">
                No local codes mapped yet. Records sent with an unmapped local code are refused with a clear error.
              </p>
            </div>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="codes-caption">
              <table className="record-table">
                <caption id="codes-caption">Your agency's risk codes</caption>
                <thead>
                  <tr>
                    <th scope="col">Local code</th>
                    <th scope="col">Label</th>
                    <th scope="col">Category</th>
                    <th scope="col">Level</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {load.mappings.map((mapping) => (
                    <tr key={mapping.localCode} className={mapping.localCode === editing?.localCode ? 'row-selected' : undefined}>
                      <th scope="row" className="wrap">
                        <code>{mapping.localCode}</code>
                      </th>
                      <td className="wrap">{mapping.label ?? <span className="muted">None</span>}</td>
                      <td>{riskCategoryLabel(mapping.category)}</td>
                      <td>
                        <LevelBadge level={mapping.level} />
                      </td>
                      <td>
                        <div className="button-row">
                          <button
                            type="button"
                            className="button button-secondary"
                            disabled={busy}
                            aria-expanded={mapping.localCode === editing?.localCode}
                            onClick={() => {
                              setError(null);
                              setConfirming(null);
                              setEditing(mapping);
                            }}
                          >
                            Edit<span className="visually-hidden"> {mapping.localCode}</span>
                          </button>
                          <button
                            type="button"
                            className="button button-secondary"
                            disabled={busy}
                            onClick={() => {
                              setError(null);
                              setConfirming(mapping);
                            }}
                          >
                            Remove<span className="visually-hidden"> {mapping.localCode}</span>
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </section>

      <section className={editing ? 'panel edit-panel' : 'panel'} aria-labelledby="map-code-title">
        <h2 id="map-code-title">{editing ? `Edit ${editing.localCode}` : 'Map a local code'}</h2>
        <CodeMapForm editing={editing} existingCodes={existingCodes} onSaved={saved} onCancelEdit={cancelEdit} />
      </section>
    </>
  );
}
