/**
 * Create an account. Agency admins add users to their own agency; system admins choose the agency.
 * The admin sets an initial password and passes it on out of band.
 */
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/ApiError';
import type { Agency, Role } from '../api/types';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, usersApi, type AdminUser, type UserCreateInput } from '../api/users';
import { AlertRegion, Banner } from '../components/Banner';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { RoleChoices } from './RoleChoices';
import { adminErrorMessage } from './vocab';

interface FormState {
  email: string;
  name: string;
  roles: Role[];
  password: string;
  agencyId: string;
}

const EMPTY: FormState = { email: '', name: '', roles: [], password: '', agencyId: '' };

function toInput(form: FormState, chooseAgency: boolean): UserCreateInput | string {
  const email = form.email.trim();
  const name = form.name.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return 'Email: enter an email address.';
  if (!name) return 'Name: enter the person’s name.';
  if (form.roles.length === 0) return 'Roles: choose at least one.';
  if (form.password.length < MIN_PASSWORD_LENGTH) return `Initial password: use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (form.password.length > MAX_PASSWORD_LENGTH) return `Initial password: use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (chooseAgency && !form.agencyId) return 'Agency: choose the agency the user works for.';
  return { email, name, roles: form.roles, password: form.password, ...(chooseAgency ? { agencyId: form.agencyId } : {}) };
}

export function NewUserForm({
  viewerIsSystemAdmin,
  agencies,
  ownAgencyName,
  onCreated,
}: {
  viewerIsSystemAdmin: boolean;
  /** Active agencies to choose from (system admins only). */
  agencies: Agency[];
  ownAgencyName: string;
  onCreated: (user: AdminUser) => void;
}) {
  const [form, setForm] = useState<FormState>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  function update(patch: Partial<FormState>) {
    setForm((current) => ({ ...current, ...patch }));
    setSaved(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const input = toInput(form, viewerIsSystemAdmin);
    if (typeof input === 'string') {
      setError(input);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { user } = await usersApi.create(input);
      setForm(EMPTY);
      setSaved(`Account created for ${user.name} (${user.email}). Give them the initial password securely; they set up two-step sign-in when their roles need it.`);
      onCreated(user);
    } catch (err) {
      setError(adminErrorMessage(err));
      if (err instanceof ApiError && err.code === 'duplicate_email') emailRef.current?.focus();
    }
    setBusy(false);
  }

  return (
    <form className="form admin-form" aria-label="New user" onSubmit={submit} noValidate aria-busy={busy}>
      <AlertRegion message={error} />
      {saved ? <Banner tone="success">{saved}</Banner> : null}

      <TextField
        ref={emailRef}
        label="Email"
        name="email"
        type="email"
        autoComplete="off"
        maxLength={254}
        value={form.email}
        onChange={(e) => update({ email: e.target.value })}
      />
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        maxLength={200}
        value={form.name}
        onChange={(e) => update({ name: e.target.value })}
      />
      {viewerIsSystemAdmin ? (
        <SelectField label="Agency" name="agencyId" value={form.agencyId} onChange={(e) => update({ agencyId: e.target.value })}>
          <option value="">Choose…</option>
          {agencies.map((agency) => (
            <option key={agency.id} value={agency.id}>
              {agency.name}
            </option>
          ))}
        </SelectField>
      ) : (
        <p className="muted small">The account joins {ownAgencyName}.</p>
      )}
      <RoleChoices
        legend="Roles"
        value={form.roles}
        onChange={(roles) => update({ roles })}
        viewerIsSystemAdmin={viewerIsSystemAdmin}
      />
      <TextField
        label="Initial password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Pass it on securely, not in the same message as the email address.`}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD_LENGTH}
        maxLength={MAX_PASSWORD_LENGTH}
        value={form.password}
        onChange={(e) => update({ password: e.target.value })}
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}
