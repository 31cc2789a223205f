/** Create an API key for one of the agency's systems. The key itself is shown by the page, once. */
import { useState, type FormEvent } from 'react';
import { API_SCOPES, apiClientsApi, type ApiClient, type ApiScope } from '../api/apiClients';
import { AlertRegion } from '../components/Banner';
import { TextField } from '../components/TextField';
import { adminErrorMessage } from './vocab';

export const SCOPE_LABELS: Record<ApiScope, { label: string; hint: string }> = {
  ingest: { label: 'Ingest', hint: 'Send encounter records (single or CSV) for this agency.' },
};

export function scopeLabel(scope: string): string {
  return SCOPE_LABELS[scope as ApiScope]?.label ?? scope;
}

export function NewApiKeyForm({ onCreated }: { onCreated: (apiClient: ApiClient, key: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['ingest']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Name: say which system will use the key.');
      return;
    }
    if (scopes.length === 0) {
      setError('Scopes: choose at least one.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { apiClient, key } = await apiClientsApi.create({ name: trimmed, scopes });
      setName('');
      setScopes(['ingest']);
      onCreated(apiClient, key);
    } catch (err) {
      setError(adminErrorMessage(err));
    }
    setBusy(false);
  }

  return (
    <form className="form admin-form" aria-label="New API key" onSubmit={submit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      <TextField
        label="Name"
        hint="The system that will use the key, e.g. “Control room records feed”."
        name="name"
        autoComplete="off"
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <fieldset className="choice-group">
        <legend>Scopes</legend>
        <div className="choice-list">
          {API_SCOPES.map((scope) => (
            <label key={scope} className="choice">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes((current) => (e.target.checked ? [...new Set([...current, scope])] : current.filter((s) => s !== scope)))
                }
              />
              <span>
                {SCOPE_LABELS[scope].label} <span className="muted small">— {SCOPE_LABELS[scope].hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Creating…' : 'Create API key'}
      </button>
    </form>
  );
}
