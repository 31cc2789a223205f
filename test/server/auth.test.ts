import { authenticator } from 'otplib';
import { startTestApp, csrfOf, type TestApp } from '../helpers/server';
import { buildUser, TEST_PASSWORD } from '../helpers/factories';
import { User } from '../../server/models/User';
import { endAllSessions } from '../../server/auth/sessions';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp('auth', { limits: { loginsPerIp: 1000, loginsPerEmail: 50 } });
});

afterAll(async () => {
  await app.close();
});

function cookiesOf(res: { headers: Record<string, unknown> }): string[] {
  return (res.headers['set-cookie'] as string[] | undefined) ?? [];
}

describe('POST /api/auth/login', () => {
  it('signs in with the right password and returns the user without secrets', async () => {
    const built = await buildUser({ roles: ['key_worker'] });
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const res = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: built.user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: built.user.id, email: built.user.email, roles: ['key_worker'], mfaEnabled: false });
    expect(res.body.user.agency.id).toBe(String(built.user.agencyId));
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|secretEnc|failedLogins/);
    const me = await agent.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(built.user.id);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie and rotates it at login', async () => {
    const built = await buildUser();
    const agent = app.anon();
    const first = await agent.get('/api/auth/session');
    const before = cookiesOf(first).find((c) => c.startsWith('ccw.sid='));
    expect(before).toBeDefined();
    const res = await agent.post('/api/auth/login').set('X-CSRF-Token', first.body.csrfToken).send({ email: built.user.email, password: TEST_PASSWORD });
    const after = cookiesOf(res).find((c) => c.startsWith('ccw.sid='));
    expect(after).toBeDefined();
    expect(after).toMatch(/HttpOnly/i);
    expect(after).toMatch(/SameSite=Strict/i);
    expect(after!.split(';')[0]).not.toBe(before!.split(';')[0]);
    // The CSRF token rotates with the session too.
    expect(res.body.csrfToken).not.toBe(first.body.csrfToken);
  });

  it('answers the same 401 for an unknown email and a wrong password', async () => {
    const built = await buildUser();
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const wrong = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: built.user.email, password: 'not the password' });
    const unknown = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: 'nobody@example.test', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(unknown.body.error.code).toBe(wrong.body.error.code);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('locks the account after five wrong passwords, refusing even the right one', async () => {
    const built = await buildUser();
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    for (let i = 0; i < 5; i++) {
      await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: built.user.email, password: `wrong-${i}` }).expect(401);
    }
    const locked = await User.findById(built.user._id);
    expect(locked!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const res = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: built.user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  it('refuses an operator in place of the email with 400, not a login', async () => {
    await buildUser();
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const res = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: { $gt: '' }, password: TEST_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(/^email:/);
    expect((await agent.get('/api/me')).status).toBe(401);
  });

  it('refuses unknown fields, over-long passwords and wrong types with 400', async () => {
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const extra = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: 'a@example.test', password: 'x', role: 'system_admin' });
    expect(extra.status).toBe(400);
    const long = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: 'a@example.test', password: 'x'.repeat(129) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/^password:/);
    const typed = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: 'a@example.test', password: 12345678 });
    expect(typed.status).toBe(400);
  });

  it('accepts a 128-character password', async () => {
    const password = 'p'.repeat(128);
    const built = await buildUser({ password });
    const session = await app.as(built);
    expect((await session.get('/api/me')).status).toBe(200);
  });

  it('answers malformed JSON with 400 invalid_json and an oversized body with 413', async () => {
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const bad = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).set('Content-Type', 'application/json').send('{"email": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const big = await agent
      .post('/api/auth/login')
      .set('X-CSRF-Token', csrf)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@example.test', password: 'x', pad: 'y'.repeat(300 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('refuses a write without the CSRF token, or from a foreign origin', async () => {
    const built = await buildUser();
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const none = await agent.post('/api/auth/login').send({ email: built.user.email, password: TEST_PASSWORD });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('csrf_failed');
    const foreign = await agent
      .post('/api/auth/login')
      .set('X-CSRF-Token', csrf)
      .set('Origin', 'https://evil.example')
      .send({ email: built.user.email, password: TEST_PASSWORD });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('bad_origin');
  });
});

describe('sessions', () => {
  it('logout ends the session server-side', async () => {
    const session = await app.as(await buildUser());
    expect((await session.get('/api/me')).status).toBe(200);
    await session.post('/api/auth/logout').expect(204);
    const me = await session.get('/api/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthenticated');
  });

  it('disabling a user ends every session of theirs', async () => {
    const built = await buildUser();
    const one = await app.as(built);
    const two = await app.as(built);
    await User.updateOne({ _id: built.user._id }, { $set: { disabled: true } });
    expect(await endAllSessions(app.runtime.ctx, built.user.id)).toBe(2);
    expect((await one.get('/api/me')).status).toBe(401);
    expect((await two.get('/api/me')).status).toBe(401);
  });

  it('a disabled user cannot keep using an old session even if not swept', async () => {
    const built = await buildUser();
    const session = await app.as(built);
    await User.updateOne({ _id: built.user._id }, { $set: { disabled: true } });
    expect((await session.get('/api/me')).status).toBe(401);
  });
});

describe('second factor', () => {
  it('makes an IG lead enrol before anything else, then requires the code at sign-in', async () => {
    const built = await buildUser({ roles: ['ig_lead'] });
    const session = await app.as(built);
    const probe = await session.get('/api/auth/session');
    expect(probe.body.mfa.enrollmentRequired).toBe(true);
    const blocked = await session.get('/api/admin/queues');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('mfa_enrollment_required');

    const enrol = await session.post('/api/auth/mfa/enroll').expect(200);
    expect(enrol.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(enrol.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const bad = await session.post('/api/auth/mfa/activate', { code: '000000' });
    expect(bad.status).toBe(401);
    const ok = await session.post('/api/auth/mfa/activate', { code: authenticator.generate(enrol.body.secret) });
    expect(ok.status).toBe(200);
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect(ok.body.user.mfaEnabled).toBe(true);
    await session.post('/api/auth/logout').expect(204);

    // Password alone no longer signs in.
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const pwd = await agent.post('/api/auth/login').set('X-CSRF-Token', csrf).send({ email: built.user.email, password: TEST_PASSWORD });
    expect(pwd.status).toBe(200);
    expect(pwd.body.user).toBeNull();
    expect(pwd.body.mfa.pending).toBe(true);
    expect((await agent.get('/api/me')).status).toBe(401);
    // The code used at activation cannot be replayed.
    const replay = await agent.post('/api/auth/mfa/verify').set('X-CSRF-Token', pwd.body.csrfToken).send({ code: authenticator.generate(enrol.body.secret) });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_code');
    // A recovery code works once.
    const rc = ok.body.recoveryCodes[0] as string;
    const viaRecovery = await agent.post('/api/auth/mfa/verify').set('X-CSRF-Token', pwd.body.csrfToken).send({ code: rc.toUpperCase() });
    expect(viaRecovery.status).toBe(200);
    expect(viaRecovery.body.user.id).toBe(built.user.id);
    const stored = await User.findById(built.user._id);
    expect(stored!.mfa.recoveryHashes).toHaveLength(9);
  });

  it('refuses the TOTP step without a password step first', async () => {
    const agent = app.anon();
    const csrf = await csrfOf(agent);
    const res = await agent.post('/api/auth/mfa/verify').set('X-CSRF-Token', csrf).send({ code: '123456' });
    expect(res.status).toBe(401);
  });
});

describe('secure cookies behind TLS', () => {
  let tls: TestApp;
  afterAll(async () => tls?.close());

  it('names the cookie __Host- and marks it Secure when served over HTTPS', async () => {
    // Its own app (own Redis prefix); shares this file's database connection.
    tls = await startTestApp('auth_tls', { env: { PUBLIC_URL: 'https://crisis.example.test', TRUST_PROXY: '1' } });
    const res = await tls.anon().get('/api/auth/session').set('X-Forwarded-Proto', 'https');
    const cookie = cookiesOf(res).find((c) => c.startsWith('__Host-ccw.sid='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });
});
