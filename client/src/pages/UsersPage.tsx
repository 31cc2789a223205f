/**
 * `/admin/users` (agency admins: their agency; system admins: every agency): find accounts, see
 * their state, open one to change roles, disable / enable or unlock it, and create new accounts.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/ApiError';
import { agenciesApi, type AdminAgency } from '../api/agencies';
import { ROLES, type Role } from '../api/types';
import { usersApi, type AdminUser } from '../api/users';
import { NewUserForm } from '../admin/NewUserForm';
import { UserEditor } from '../admin/UserEditor';
import { ACCOUNT_STATE_LABELS, ACCOUNT_STATE_TONES, accountStates } from '../admin/vocab';
import { useCurrentUser } from '../auth/AuthContext';
import { Badge } from '../components/Badge';
import { Banner, LoadFailed } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { formatDateTime } from '../people/vocab';
import { roleLabel } from '../roles';
import '../components/table.css';
import '../admin/admin.css';

const PAGE_SIZE = 50;

interface Query {
  q: string;
  role: Role | '';
  disabled: '' | 'true' | 'false';
  offset: number;
}

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; users: AdminUser[]; total: number };

export function UsersPage() {
  const viewer = useCurrentUser();
  const isSystemAdmin = viewer.roles.includes('system_admin');
  const [query, setQuery] = useState<Query>({ q: '', role: '', disabled: '', offset: 0 });
  const [draft, setDraft] = useState<Omit<Query, 'offset'>>({ q: '', role: '', disabled: '' });
  const [version, setVersion] = useState(0);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [agencies, setAgencies] = useState<AdminAgency[]>([]);
  const [agencyError, setAgencyError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedUser, setSelectedUser] = useState<AdminUser | null>(null);
  const [message, setMessage] = useState('');
  const listHeadingRef = useRef<HTMLHeadingElement>(null);
  const request = useRef(0);

  useEffect(() => {
    const mine = ++request.current;
    setLoad((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    usersApi.list({ ...query, limit: PAGE_SIZE }).then(
      ({ users, total }) => {
        if (mine !== request.current) return;
        setLoad({ status: 'ready', users, total });
        // Keep an open account in step with what the server now holds.
        setSelectedUser((current) => (current ? (users.find((u) => u.id === current.id) ?? current) : current));
      },
      (err: unknown) => mine === request.current && setLoad({ status: 'error', message: errorMessage(err) }),
    );
  }, [query, version]);

  // System admins need agency names for the list and a picker for new accounts.
  useEffect(() => {
    if (!isSystemAdmin) return;
    let live = true;
    agenciesApi.listAll().then(
      ({ agencies: list }) => live && setAgencies(list),
      (err: unknown) => live && setAgencyError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [isSystemAdmin]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const agencyName = useMemo(() => {
    const names = new Map(agencies.map((agency) => [agency.id, agency.name]));
    names.set(viewer.agency.id, viewer.agency.name);
    return (id: string) => names.get(id) ?? 'Unknown agency';
  }, [agencies, viewer.agency]);

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setQuery({ ...draft, offset: 0 });
    setVersion((v) => v + 1);
  }

  function open(user: AdminUser) {
    setSelectedId(user.id);
    setSelectedUser(user);
  }

  function close() {
    setSelectedId(null);
    setSelectedUser(null);
    listHeadingRef.current?.focus();
  }

  const saved = useCallback((user: AdminUser, text: string) => {
    setSelectedUser(user);
    setLoad((current) =>
      current.status === 'ready' ? { ...current, users: current.users.map((u) => (u.id === user.id ? user : u)) } : current,
    );
    setMessage(text);
  }, []);

  const created = useCallback(
    (user: AdminUser) => {
      setMessage(`Account created for ${user.name}.`);
      reload();
    },
    [reload],
  );

  const filtered = Boolean(query.q || query.role || query.disabled);
  const page = load.status === 'ready' ? load : null;
  const activeAgencies = agencies.filter((agency) => agency.active);

  return (
    <>
      <PageHeading title="Users">
        {isSystemAdmin ? 'Accounts in every agency.' : `Accounts in ${viewer.agency.name}.`} Change roles, disable or unlock
        accounts, and add new ones.
      </PageHeading>

      <p role="status" className="visually-hidden">
        {message}
      </p>

      <section className="panel" aria-labelledby="users-title">
        <h2 id="users-title" ref={listHeadingRef} tabIndex={-1}>
          Accounts{page ? ` (${page.total.toLocaleString('en-GB')})` : ''}
        </h2>

        <form className="admin-filters" aria-label="Filter users" onSubmit={search} role="search">
          <TextField
            label="Name or email"
            name="q"
            type="search"
            autoComplete="off"
            maxLength={100}
            value={draft.q}
            onChange={(e) => setDraft((d) => ({ ...d, q: e.target.value }))}
          />
          <SelectField
            label="Role"
            name="role"
            value={draft.role}
            onChange={(e) => setDraft((d) => ({ ...d, role: e.target.value as Role | '' }))}
          >
            <option value="">Any role</option>
            {ROLES.filter((role) => isSystemAdmin || role !== 'system_admin').map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Status"
            name="disabled"
            value={draft.disabled}
            onChange={(e) => setDraft((d) => ({ ...d, disabled: e.target.value as Query['disabled'] }))}
          >
            <option value="">Any status</option>
            <option value="false">Active</option>
            <option value="true">Disabled</option>
          </SelectField>
          <button type="submit" className="button">
            Search
          </button>
        </form>

        {agencyError ? <Banner tone="error">Agency names could not be loaded: {agencyError}</Banner> : null}

        {load.status === 'loading' ? <p role="status">Loading accounts…</p> : null}
        {load.status === 'error' ? <LoadFailed message={load.message} onRetry={reload} /> : null}

        {page ? (
          page.users.length === 0 ? (
            <div className="empty-state">
              <p className="empty-title">{filtered ? 'No accounts match' : 'No accounts yet'}</p>
              <p className="muted">{filtered ? 'Try a shorter search or another role.' : 'Create one below.'}</p>
            </div>
          ) : (
            <>
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="users-caption">
                <table className="record-table">
                  <caption id="users-caption">User accounts</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      {isSystemAdmin ? <th scope="col">Agency</th> : null}
                      <th scope="col">Roles</th>
                      <th scope="col">Status</th>
                      <th scope="col">Last sign-in</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.users.map((user) => (
                      <tr key={user.id} className={user.id === selectedId ? 'row-selected' : undefined}>
                        <th scope="row">
                          {user.name}
                          {user.id === viewer.id ? ' (you)' : ''}
                          <span className="cell-sub">{user.email}</span>
                        </th>
                        {isSystemAdmin ? <td>{agencyName(user.agencyId)}</td> : null}
                        <td>{user.roles.map(roleLabel).join(', ')}</td>
                        <td>
                          <span className="badge-row">
                            {accountStates(user).map((state) => (
                              <Badge key={state} tone={ACCOUNT_STATE_TONES[state]}>
                                {ACCOUNT_STATE_LABELS[state]}
                              </Badge>
                            ))}
                          </span>
                          {user.mfaEnabled ? null : <span className="cell-sub">Two-step sign-in not set up</span>}
                        </td>
                        <td>
                          {user.lastLoginAt ? (
                            <time dateTime={user.lastLoginAt}>{formatDateTime(user.lastLoginAt)}</time>
                          ) : (
                            <span className="muted">Never</span>
                          )}
                        </td>
                        <td>
                          <button
                            type="button"
                            className="button button-secondary"
                            aria-expanded={user.id === selectedId}
                            onClick={() => open(user)}
                          >
                            Edit<span className="visually-hidden"> {user.name}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="table-footer">
                <p className="muted">
                  Showing {query.offset + 1}–{query.offset + page.users.length} of {page.total.toLocaleString('en-GB')}
                </p>
                {query.offset > 0 ? (
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setQuery((q) => ({ ...q, offset: Math.max(0, q.offset - PAGE_SIZE) }))}
                  >
                    Previous page
                  </button>
                ) : null}
                {query.offset + page.users.length < page.total ? (
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setQuery((q) => ({ ...q, offset: q.offset + PAGE_SIZE }))}
                  >
                    Next page
                  </button>
                ) : null}
              </div>
            </>
          )
        ) : null}
      </section>

      {selectedUser ? (
        <UserEditor
          user={selectedUser}
          viewerId={viewer.id}
          viewerIsSystemAdmin={isSystemAdmin}
          agencyName={isSystemAdmin ? agencyName(selectedUser.agencyId) : null}
          onSaved={saved}
          onStale={reload}
          onClose={close}
        />
      ) : null}

      <section className="panel" aria-labelledby="new-user-title">
        <h2 id="new-user-title">New user</h2>
        <NewUserForm
          viewerIsSystemAdmin={isSystemAdmin}
          agencies={activeAgencies}
          ownAgencyName={viewer.agency.name}
          onCreated={created}
        />
      </section>
    </>
  );
}
