import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser, TEST_PASSWORD } from '../helpers/factories';
import { User } from '../../server/models/User';
import { AuditEvent } from '../../server/models/AuditEvent';
import type { AgencyDoc } from '../../server/models/Agency';
import type { Role } from '../../server/models/roles';

let app: TestApp;
const sockets: Socket[] = [];
beforeAll(async () => {
  app = await startTestApp('users');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app.close();
});

let n = 0;
const email = () => `new-${Date.now().toString(36)}-${n++}@example.test`;
const NEW_PASSWORD = 'a perfectly long passphrase';

async function agencyAdmin(agency?: AgencyDoc) {
  const own = agency ?? (await buildAgency());
  const built = await buildUser({ roles: ['agency_admin'], agency: own, mfa: true });
  return { own, built, session: await app.as(built) };
}

async function systemAdmin() {
  return app.as(await buildUser({ roles: ['system_admin'], mfa: true }));
}

async function auditFor(action: string, id: string) {
  return AuditEvent.find({ action, 'subject.id': id }).lean();
}

describe('POST /api/users', () => {
  it('lets an agency admin add a user to their agency, who can then sign in; audited without email or name', async () => {
    const { own, session } = await agencyAdmin();
    const address = email();
    const res = await session.post('/api/users', { email: address, name: 'Canary Person', roles: ['practitioner', 'key_worker'], password: NEW_PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: address, name: 'Canary Person', agencyId: own.id, roles: ['practitioner', 'key_worker'], disabled: false, locked: false, lastLoginAt: null });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|secretEnc|failedLogins|recovery/);
    const stored = (await User.findById(res.body.user.id))!;
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    const signedIn = await app.as({ user: stored, password: NEW_PASSWORD });
    expect((await signedIn.get('/api/me')).body.user.id).toBe(stored.id);
    const events = await auditFor('user.create', stored.id);
    expect(events).toHaveLength(1);
    expect(events[0].reason).toBe('roles=practitioner+key_worker');
    expect(JSON.stringify(events)).not.toMatch(/Canary|@example/);
    expect(app.logText()).not.toContain(address);
    expect(app.logText()).not.toContain('Canary Person');
  });

  it('refuses a duplicate email (in any case) with 409 duplicate_email', async () => {
    const { session } = await agencyAdmin();
    const other = await buildUser();
    const res = await session.post('/api/users', { email: other.user.email.toUpperCase(), name: 'Dup', roles: ['practitioner'], password: NEW_PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate_email');
    expect(await User.countDocuments({ email: other.user.email })).toBe(1);
  });

  it('refuses an agency admin granting system_admin with 403', async () => {
    const { session } = await agencyAdmin();
    const address = email();
    const res = await session.post('/api/users', { email: address, name: 'Escalate', roles: ['system_admin'], password: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('role_not_grantable');
    expect(await User.exists({ email: address })).toBeNull();
  });

  it('lets a system admin create a user in a named agency, and requires the agency', async () => {
    const admin = await systemAdmin();
    const target = await buildAgency();
    const address = email();
    expect((await admin.post('/api/users', { email: address, name: 'Sys made', roles: ['ig_lead'], password: NEW_PASSWORD })).status).toBe(400);
    expect((await admin.post('/api/users', { email: address, name: 'Sys made', roles: ['ig_lead'], password: NEW_PASSWORD, agencyId: '0123456789abcdef01234567' })).status).toBe(400);
    const res = await admin.post('/api/users', { email: address, name: 'Sys made', roles: ['ig_lead'], password: NEW_PASSWORD, agencyId: target.id });
    expect(res.status).toBe(201);
    expect(res.body.user.agencyId).toBe(target.id);
  });

  it.each([
    ['an operator as the email', { email: { $gt: '' } }, /^email:/],
    ['a passwordHash (mass assignment)', { passwordHash: 'x' }, /Unrecognized|passwordHash/],
    ['an agencyId from an agency admin (mass assignment)', { agencyId: '0123456789abcdef01234567' }, /Unrecognized|agencyId/],
    ['an mfa object (mass assignment)', { mfa: { enabled: true } }, /Unrecognized|mfa/],
    ['failedLogins (mass assignment)', { failedLogins: 0 }, /Unrecognized|failedLogins/],
    ['a short password', { password: 'short' }, /^password: must be at least 12/],
    ['an over-long password', { password: 'x'.repeat(129) }, /^password: must be at most 128/],
    ['an unknown role', { roles: ['superuser'] }, /^roles\.0:/],
    ['no role', { roles: [] }, /^roles:/],
  ])('refuses %s with 400', async (_n, extra, message) => {
    const { session } = await agencyAdmin();
    const address = email();
    const res = await session.post('/api/users', { email: address, name: 'Someone', roles: ['practitioner'], password: NEW_PASSWORD, ...extra });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await User.exists({ email: address })).toBeNull();
  });
});

describe('GET /api/users', () => {
  it('lists only the admin\'s own agency, filtered by role and by an escaped substring', async () => {
    const { own, built, session } = await agencyAdmin();
    const lead = await buildUser({ roles: ['ig_lead'], agency: own, email: `zed-lead-${n++}@example.test` });
    const worker = await buildUser({ roles: ['key_worker'], agency: own });
    const foreign = await buildUser({ roles: ['ig_lead'] });
    const all = await session.get('/api/users');
    expect(all.status).toBe(200);
    const ids = all.body.users.map((u: { id: string }) => u.id);
    expect(ids.sort()).toEqual([built.user.id, lead.user.id, worker.user.id].sort());
    expect(all.body.total).toBe(3);
    expect(ids).not.toContain(foreign.user.id);
    expect(JSON.stringify(all.body)).not.toMatch(/passwordHash|secretEnc|failedLogins/);
    const byRole = await session.get('/api/users?role=ig_lead');
    expect(byRole.body.users.map((u: { id: string }) => u.id)).toEqual([lead.user.id]);
    const byText = await session.get('/api/users?q=ZED-LEAD');
    expect(app.logText()).not.toMatch(/zed-lead/i);
    expect(byText.body.users.map((u: { id: string }) => u.id)).toEqual([lead.user.id]);
    // A regex wildcard is matched literally, not as a pattern that matches everyone.
    expect((await session.get(`/api/users?q=${encodeURIComponent('.*')}`)).body.users).toEqual([]);
  });

  it('refuses operator injection in the query with 400', async () => {
    const { session } = await agencyAdmin();
    for (const q of ['q[$ne]=x', 'role[$ne]=x', 'q=a&q=b', 'agencyId=0123456789abcdef01234567']) {
      const res = await session.get(`/api/users?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
    }
  });

  it('refuses roles that do not manage users with 403 and anonymous callers with 401', async () => {
    const own = await buildAgency();
    for (const roles of [['practitioner'], ['duty_manager'], ['ig_lead']] as Role[][]) {
      const session = await app.as(await buildUser({ roles, agency: own, mfa: roles.includes('ig_lead') }));
      expect([roles, (await session.get('/api/users')).status]).toEqual([roles, 403]);
    }
    expect((await app.anon().get('/api/users')).status).toBe(401);
  });
});

describe('/api/users/:id', () => {
  it('hides another agency\'s user with 404 on read, change and unlock', async () => {
    const { session } = await agencyAdmin();
    const foreign = await buildUser();
    expect((await session.get(`/api/users/${foreign.user.id}`)).status).toBe(404);
    expect((await session.patch(`/api/users/${foreign.user.id}`, { disabled: true })).status).toBe(404);
    expect((await session.post(`/api/users/${foreign.user.id}/unlock`)).status).toBe(404);
    expect((await User.findById(foreign.user._id))!.disabled).toBe(false);
  });

  it('answers 400 for a malformed id', async () => {
    const { session } = await agencyAdmin();
    expect((await session.get('/api/users/123')).status).toBe(400);
    expect((await session.patch('/api/users/%7B%22%24gt%22%3A%22%22%7D', { name: 'X' })).status).toBe(400);
    expect((await session.post('/api/users/zzzzzzzzzzzzzzzzzzzzzzzz/unlock')).status).toBe(400);
  });

  it('lets an agency admin rename a user and change their roles; audited without the name', async () => {
    const { own, session } = await agencyAdmin();
    const target = await buildUser({ agency: own });
    const res = await session.patch(`/api/users/${target.user.id}`, { name: 'Canary Renamed', roles: ['duty_manager'] });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: 'Canary Renamed', roles: ['duty_manager'] });
    const stored = (await User.findById(target.user._id))!;
    expect([stored.name, [...stored.roles]]).toEqual(['Canary Renamed', ['duty_manager']]);
    const events = await auditFor('user.update', target.user.id);
    expect(events).toHaveLength(1);
    expect(events[0].reason).toBe('changed=name+roles');
    expect(JSON.stringify(events)).not.toMatch(/Canary|@example/);
  });

  it.each([
    ['a passwordHash', { passwordHash: 'x' }],
    ['an agencyId', { agencyId: '0123456789abcdef01234567' }],
    ['an email', { email: 'other@example.test' }],
    ['an mfa object', { mfa: { enabled: false } }],
    ['failedLogins', { failedLogins: 0 }],
    ['an operator as the name', { name: { $gt: '' } }],
    ['nothing at all', {}],
  ])('refuses a change with %s with 400', async (_n, body) => {
    const { own, session } = await agencyAdmin();
    const target = await buildUser({ agency: own });
    const res = await session.patch(`/api/users/${target.user.id}`, body);
    expect(res.status).toBe(400);
    const stored = (await User.findById(target.user._id))!;
    expect([stored.email, stored.passwordHash, String(stored.agencyId)]).toEqual([target.user.email, target.user.passwordHash, own.id]);
  });

  it('refuses an agency admin granting system_admin, changing their own roles or disabling themselves (403)', async () => {
    const { own, built, session } = await agencyAdmin();
    const target = await buildUser({ agency: own });
    const grant = await session.patch(`/api/users/${target.user.id}`, { roles: ['practitioner', 'system_admin'] });
    expect([grant.status, grant.body.error.code]).toEqual([403, 'role_not_grantable']);
    const ownRoles = await session.patch(`/api/users/${built.user.id}`, { roles: ['agency_admin', 'ig_lead'] });
    expect([ownRoles.status, ownRoles.body.error.code]).toEqual([403, 'cannot_change_own_roles']);
    const disableSelf = await session.patch(`/api/users/${built.user.id}`, { disabled: true });
    expect([disableSelf.status, disableSelf.body.error.code]).toEqual([403, 'cannot_disable_self']);
    expect([...(await User.findById(target.user._id))!.roles]).toEqual(['practitioner']);
    const me = (await User.findById(built.user._id))!;
    expect([[...me.roles], me.disabled]).toEqual([['agency_admin'], false]);
    // Sending one's own roles unchanged alongside a name change is fine.
    expect((await session.patch(`/api/users/${built.user.id}`, { name: 'Still Me', roles: ['agency_admin'] })).status).toBe(200);
  });

  it('refuses an agency admin changing a system admin of their agency (403)', async () => {
    const { own, session } = await agencyAdmin();
    const sys = await buildUser({ roles: ['system_admin'], agency: own, mfa: true });
    expect((await session.patch(`/api/users/${sys.user.id}`, { disabled: true })).status).toBe(403);
    expect((await session.patch(`/api/users/${sys.user.id}`, { roles: ['practitioner'] })).status).toBe(403);
    const stored = (await User.findById(sys.user._id))!;
    expect([stored.disabled, [...stored.roles]]).toEqual([false, ['system_admin']]);
  });

  it('refuses a practitioner with 403', async () => {
    const own = await buildAgency();
    const target = await buildUser({ agency: own });
    const session = await app.as(await buildUser({ agency: own }));
    expect((await session.patch(`/api/users/${target.user.id}`, { name: 'X' })).status).toBe(403);
  });

  it('lets a system admin change a user of any agency', async () => {
    const admin = await systemAdmin();
    const target = await buildUser();
    const res = await admin.patch(`/api/users/${target.user.id}`, { roles: ['agency_admin'] });
    expect(res.status).toBe(200);
    expect([...(await User.findById(target.user._id))!.roles]).toEqual(['agency_admin']);
  });
});

describe('disabling a user', () => {
  function open(cookie: string): Socket {
    const socket = connect(app.baseUrl, { transports: ['websocket'], extraHeaders: { Cookie: cookie, Origin: app.baseUrl }, reconnection: false, forceNew: true });
    sockets.push(socket);
    return socket;
  }

  it('ends their sessions and disconnects their sockets at once, and they cannot sign in again', async () => {
    const { own, session } = await agencyAdmin();
    const target = await buildUser({ agency: own });
    const theirs = await app.as(target);
    expect((await theirs.get('/api/me')).status).toBe(200);
    const socket = open(theirs.cookie);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    const res = await session.patch(`/api/users/${target.user.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.user.disabled).toBe(true);
    await expect(gone).resolves.toBe('io server disconnect');
    expect((await theirs.get('/api/me')).status).toBe(401);
    await expect(app.as(target)).rejects.toThrow(/sign-in failed: 401/);
    // The old session is gone, not merely refused: re-enabling the account does not revive it.
    expect((await session.patch(`/api/users/${target.user.id}`, { disabled: false })).status).toBe(200);
    expect((await theirs.get('/api/me')).status).toBe(401);
    const events = await auditFor('user.update', target.user.id);
    expect(events.map((e) => e.reason)).toEqual(['changed=disabled disabled', 'changed=disabled enabled']);
  });

  it('can be undone: a re-enabled user signs in again', async () => {
    const { own, session } = await agencyAdmin();
    const target = await buildUser({ agency: own, disabled: true });
    expect((await session.patch(`/api/users/${target.user.id}`, { disabled: false })).status).toBe(200);
    expect((await (await app.as(target)).get('/api/me')).status).toBe(200);
  });
});

describe('POST /api/users/:id/unlock', () => {
  it('clears a lockout so the user can sign in, and audits it', async () => {
    const { own, session } = await agencyAdmin();
    const target = await buildUser({ agency: own });
    await User.updateOne({ _id: target.user._id }, { $set: { failedLogins: 3, lockedUntil: new Date(Date.now() + 3_600_000) } });
    await expect(app.as(target)).rejects.toThrow(/sign-in failed: 401/);
    const listed = await session.get(`/api/users/${target.user.id}`);
    expect(listed.body.user.locked).toBe(true);
    const res = await session.post(`/api/users/${target.user.id}/unlock`);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ locked: false, lockedUntil: null });
    const stored = (await User.findById(target.user._id))!;
    expect([stored.failedLogins, stored.lockedUntil]).toEqual([0, null]);
    expect((await (await app.as({ ...target, password: TEST_PASSWORD })).get('/api/me')).status).toBe(200);
    expect(await auditFor('user.unlock', target.user.id)).toHaveLength(1);
  });
});
