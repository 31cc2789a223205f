/**
 * `/admin/api-keys` (agency admins): the agency's API keys for its systems, a form for a new one
 * (the key is shown once, then only its id), and revoking (confirmed; it takes effect at once).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { apiClientsApi, type ApiClient } from '../api/apiClients';
import { KeyReveal } from '../admin/KeyReveal';
import { NewApiKeyForm, scopeLabel } from '../admin/NewApiKeyForm';
import { adminErrorMessage } from '../admin/vocab';
import { useCurrentUser } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { AlertRegion, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { formatDateTime } from '../people/vocab';
import '../components/table.css';
import '../admin/admin.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; clients: ApiClient[] };

function When({ iso, none }: { iso: string | null; none: string }) {
  return iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">{none}</span>;
}

export function ApiKeysPage() {
  const user = useCurrentUser();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [revealed, setRevealed] = useState<{ name: string; key: string } | null>(null);
  const [confirming, setConfirming] = useState<ApiClient | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const listHeadingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    apiClientsApi.list().then(
      ({ apiClients }) => live && setLoad({ status: 'ready', clients: apiClients }),
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

  const created = useCallback((apiClient: ApiClient, key: string) => {
    setLoad((current) => (current.status === 'ready' ? { ...current, clients: [apiClient, ...current.clients] } : current));
    setRevealed({ name: apiClient.name, key });
  }, []);

  function doneWithKey() {
    setRevealed(null);
    listHeadingRef.current?.focus();
  }

  async function revoke(client: ApiClient) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const { apiClient } = await apiClientsApi.revoke(client.id);
      setLoad((current) =>
        current.status === 'ready' ? { ...current, clients: current.clients.map((c) => (c.id === apiClient.id ? apiClient : c)) } : current,
      );
      setMessage(`The key for “${apiClient.name}” is revoked.`);
    } catch (err) {
      setError(adminErrorMessage(err));
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) reload();
    }
    setConfirming(null);
    setBusy(false);
    listHeadingRef.current?.focus();
  }

  function cancel() {
    setConfirming(null);
    listHeadingRef.current?.focus();
  }

  return (
    <>
      <PageHeading title="API keys">
        Keys that let {user.agency.name}’s systems send records to the workspace. Revoke a key as soon as it is no longer
        needed or may have been seen by someone else.
      </PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>

      {revealed ? <KeyReveal name={revealed.name} apiKey={revealed.key} onDone={doneWithKey} /> : null}

      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title" ref={listHeadingRef} tabIndex={-1}>
          Keys{load.status === 'ready' ? ` (${load.clients.length})` : ''}
        </h2>
        <AlertRegion message={error} />

        {load.status === 'loading' ? <p role="status">Loading keys…</p> : null}
        {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

        {confirming ? (
          <div className="confirm" role="group" aria-labelledby="revoke-confirm-text" ref={confirmRef} tabIndex={-1}>
            <p id="revoke-confirm-text" className="confirm-text">
              Revoke the key for “{confirming.name}” (<code>ccw_{confirming.keyId}.…</code>)? The system using it is refused from
              its next request, and a revoked key cannot be restored.
            </p>
            <div className="button-row">
              <button type="button" className="button button-danger" disabled={busy} onClick={() => void revoke(confirming)}>
                {busy ? 'Revoking…' : 'Yes, revoke key'}
              </button>
              <button type="button" className="button button-secondary" disabled={busy} onClick={cancel}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}

        {load.status === 'ready' ? (
          load.clients.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">No API keys yet</p>
              <p className="muted">Create one below for each system that sends records.</p>
            </div>
          ) : (
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="keys-caption">
              <table className="record-table">
                <caption id="keys-caption">API keys for {user.agency.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key id</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {load.clients.map((client) => (
                    <tr key={client.id}>
                      <th scope="row" className="wrap">
                        {client.name}
                      </th>
                      <td>
                        <code>ccw_{client.keyId}.…</code>
                      </td>
                      <td>{client.scopes.map(scopeLabel).join(', ')}</td>
                      <td>
                        <When iso={client.createdAt} none="Unknown" />
                      </td>
                      <td>
                        <When iso={client.lastUsedAt} none="Never" />
                      </td>
                      <td>
                        {client.active ? (
                          <Badge tone="good">Active</Badge>
                        ) : (
                          <>
                            <Badge tone="muted">Revoked</Badge>
                            {client.revokedAt ? (
                              <span className="cell-sub">
                                <When iso={client.revokedAt} none="" />
                              </span>
                            ) : null}
                          </>
                        )}
                      </td>
                      <td>
                        {client.active ? (
                          <button
                            type="button"
                            className="button button-secondary"
                            disabled={busy}
                            onClick={() => {
                              setError(null);
                              setConfirming(client);
                            }}
                          >
                            Revoke<span className="visually-hidden"> the key for {client.name}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </section>

      <section className="panel" aria-labelledby="new-key-title">
        <h2 id="new-key-title">New API key</h2>
        <NewApiKeyForm onCreated={created} />
      </section>
    </>
  );
}
