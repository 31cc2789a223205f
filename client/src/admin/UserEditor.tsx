/**
 * One account, opened from the users list: name and roles, disable / enable (confirmed: disabling
 * ends their sessions at once), and unlock after too many failed sign-ins. Nobody changes their own
 * roles or disables themselves; only system admins change a system admin's account.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/ApiError';
import type { Role } from '../api/types';
import { usersApi, type AdminUser, type UserPatch } from '../api/users';
import { Badge } from '../components/Badge';
import { AlertRegion } from '../components/Banner';
import { TextField } from '../components/TextField';
import { formatDateTime } from '../people/vocab';
import { RoleChoices } from './RoleChoices';
import { ACCOUNT_STATE_LABELS, ACCOUNT_STATE_TONES, accountStates, adminErrorMessage } from './vocab';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function UserEditor({
  user,
  viewerId,
  viewerIsSystemAdmin,
  agencyName,
  onSaved,
  onStale,
  onClose,
}: {
  user: AdminUser;
  viewerId: string;
  viewerIsSystemAdmin: boolean;
  agencyName: string | null;
  onSaved: (user: AdminUser, message: string) => void;
  /** The account changed elsewhere or is gone (409 / 404): fetch the list again. */
  onStale: () => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(user.name);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [busy, setBusy] = useState<'details' | 'disabled' | 'unlock' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const isSelf = user.id === viewerId;
  const protectedAccount = !viewerIsSystemAdmin && user.roles.includes('system_admin');
  const titleId = `user-${user.id}-title`;

  // A different account, or a fresh copy of this one: start from what the server holds.
  useEffect(() => {
    setName(user.name);
    setRoles(user.roles);
    setError(null);
    setConfirming(false);
  }, [user]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [user.id]);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  async function run(kind: 'details' | 'disabled' | 'unlock', call: () => Promise<{ user: AdminUser }>, done: (u: AdminUser) => string) {
    if (busy) return;
    setBusy(kind);
    setError(null);
    try {
      const { user: updated } = await call();
      setConfirming(false);
      onSaved(updated, done(updated));
      headingRef.current?.focus();
    } catch (err) {
      setError(adminErrorMessage(err));
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) onStale();
    }
    setBusy(null);
  }

  function saveDetails(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const patch: UserPatch = {};
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Name: enter the person’s name.');
      return;
    }
    if (trimmed !== user.name) patch.name = trimmed;
    if (!isSelf && !sameSet(roles, user.roles)) {
      if (roles.length === 0) {
        setError('Roles: keep at least one role. To stop someone signing in, disable the account instead.');
        return;
      }
      patch.roles = roles;
    }
    if (Object.keys(patch).length === 0) {
      setError('Nothing has changed yet.');
      return;
    }
    void run('details', () => usersApi.update(user.id, patch), (u) => `Saved changes to ${u.name}.`);
  }

  function cancelConfirm() {
    setConfirming(false);
    window.setTimeout(() => toggleRef.current?.focus(), 0);
  }

  const states = accountStates(user);

  return (
    <section className="panel edit-panel" aria-labelledby={titleId} aria-busy={busy !== null}>
      <h2 id={titleId} ref={headingRef} tabIndex={-1}>
        Edit {user.name}
      </h2>
      <dl className="detail-list">
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
        {agencyName ? (
          <div>
            <dt>Agency</dt>
            <dd>{agencyName}</dd>
          </div>
        ) : null}
        <div>
          <dt>Status</dt>
          <dd className="badge-row">
            {states.map((state) => (
              <Badge key={state} tone={ACCOUNT_STATE_TONES[state]}>
                {ACCOUNT_STATE_LABELS[state]}
              </Badge>
            ))}
          </dd>
        </div>
        <div>
          <dt>Two-step sign-in</dt>
          <dd>{user.mfaEnabled ? 'Set up' : 'Not set up'}</dd>
        </div>
        <div>
          <dt>Last sign-in</dt>
          <dd>{user.lastLoginAt ? <time dateTime={user.lastLoginAt}>{formatDateTime(user.lastLoginAt)}</time> : 'Never'}</dd>
        </div>
      </dl>

      <AlertRegion message={error} />

      {protectedAccount ? (
        <p className="muted">Only a system administrator can change a system administrator’s account.</p>
      ) : (
        <>
          <form className="form admin-form edit-section" aria-label={`Name and roles of ${user.name}`} onSubmit={saveDetails} noValidate>
            <h3>Name and roles</h3>
            <TextField label="Name" name="name" autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
            <RoleChoices
              legend="Roles"
              value={roles}
              onChange={setRoles}
              viewerIsSystemAdmin={viewerIsSystemAdmin}
              disabled={isSelf}
              hint={isSelf ? 'You cannot change your own roles. Ask another administrator.' : undefined}
            />
            <button type="submit" className="button" disabled={busy !== null}>
              {busy === 'details' ? 'Saving…' : 'Save changes'}
            </button>
          </form>

          <div className="edit-section">
            <h3>Account</h3>
            {user.locked ? (
              <div className="form">
                <p>
                  Locked after too many failed sign-ins
                  {user.lockedUntil ? (
                    <>
                      {' '}
                      until <time dateTime={user.lockedUntil}>{formatDateTime(user.lockedUntil)}</time>
                    </>
                  ) : null}
                  .
                </p>
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null}
                  onClick={() => void run('unlock', () => usersApi.unlock(user.id), (u) => `${u.name} can sign in again.`)}
                >
                  {busy === 'unlock' ? 'Unlocking…' : 'Unlock'}
                </button>
              </div>
            ) : null}

            {isSelf ? (
              <p className="muted">You cannot disable your own account.</p>
            ) : confirming ? (
              <div className="confirm" role="group" aria-labelledby={`${titleId}-confirm`} ref={confirmRef} tabIndex={-1}>
                <p id={`${titleId}-confirm`} className="confirm-text">
                  {user.disabled
                    ? `Enable ${user.name}’s account? They can sign in again with their existing password.`
                    : `Disable ${user.name}’s account? They are signed out everywhere at once, and cannot sign in until the account is enabled again.`}
                </p>
                <div className="button-row">
                  <button
                    type="button"
                    className={user.disabled ? 'button' : 'button button-danger'}
                    disabled={busy !== null}
                    onClick={() =>
                      void run(
                        'disabled',
                        () => usersApi.update(user.id, { disabled: !user.disabled }),
                        (u) => (u.disabled ? `${u.name}’s account is disabled and their sessions have ended.` : `${u.name}’s account is enabled.`),
                      )
                    }
                  >
                    {busy === 'disabled' ? 'Saving…' : user.disabled ? 'Yes, enable account' : 'Yes, disable account'}
                  </button>
                  <button type="button" className="button button-secondary" disabled={busy !== null} onClick={cancelConfirm}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <>
                {!user.disabled ? (
                  <p className="small muted">Disabling an account ends the user’s sessions at once.</p>
                ) : null}
                <button
                  ref={toggleRef}
                  type="button"
                  className="button button-secondary"
                  disabled={busy !== null}
                  onClick={() => setConfirming(true)}
                >
                  {user.disabled ? 'Enable account' : 'Disable account'}
                </button>
              </>
            )}
          </div>
        </>
      )}

      <div className="edit-section">
        <button type="button" className="button button-secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
