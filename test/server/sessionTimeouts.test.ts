import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildUser } from '../helpers/factories';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('session timeouts (enforced by the server, not the browser)', () => {
  let app: TestApp;
  afterEach(async () => app?.close());

  it('ends a session idle for longer than the idle limit, even if the old cookie is replayed', async () => {
    app = await startTestApp('idle', { tune: (c) => (c.sessionIdleMs = 1000) });
    const session = await app.as(await buildUser());
    expect((await request(app.baseUrl).get('/api/me').set('Cookie', session.cookie)).status).toBe(200);
    await sleep(1400);
    const res = await request(app.baseUrl).get('/api/me').set('Cookie', session.cookie);
    expect(res.status).toBe(401);
  });

  it('ends an active session at the absolute limit with session_expired', async () => {
    app = await startTestApp('absolute', { tune: (c) => (c.sessionAbsoluteMs = 1500) });
    const session = await app.as(await buildUser());
    const until = Date.now() + 1200;
    while (Date.now() < until) {
      expect((await request(app.baseUrl).get('/api/me').set('Cookie', session.cookie)).status).toBe(200);
      await sleep(300);
    }
    await sleep(500);
    const res = await request(app.baseUrl).get('/api/me').set('Cookie', session.cookie);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_expired');
  });
});
