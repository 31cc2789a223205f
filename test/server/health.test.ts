import { spawn, type ChildProcess } from 'node:child_process';
import { startTestApp, type TestApp } from '../helpers/server';
import { freePort, redisAnswers } from '../../server/redis';

describe('health endpoints', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('health');
  });
  afterAll(async () => app.close());

  it('GET /healthz answers while the process is up', async () => {
    const res = await app.anon().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports the store and Redis up', async () => {
    const res = await app.anon().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { store: 'up', redis: 'up' } });
  });

  it('sends security headers and a request id', async () => {
    const res = await app.anon().get('/healthz').set('X-Request-Id', 'trace-abc-12345');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toBe('trace-abc-12345');
  });

  it('answers unknown API paths with a 404 in the error shape', async () => {
    const res = await app.anon().get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.body.error.requestId).toEqual(expect.any(String));
  });
});

describe('GET /readyz with a stopped Redis', () => {
  let redis: ChildProcess | undefined;
  let app: TestApp | undefined;
  afterAll(async () => {
    await app?.close();
    if (redis && redis.exitCode === null) {
      const exited = new Promise((r) => redis!.once('exit', r));
      redis.kill('SIGKILL');
      await exited;
    }
  });

  it('answers 503 naming Redis as down, and 200 again once it is back', async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await redisAnswers(url, 200)); i++) await new Promise((r) => setTimeout(r, 100));
    app = await startTestApp('ready503', { env: { REDIS_URL: url } });
    expect((await app.anon().get('/readyz')).status).toBe(200);
    redis.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    const res = await app.anon().get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not_ready', checks: { store: 'up', redis: 'down' } });
    // Bring Redis back on the same port: readiness recovers, and the app can shut down cleanly.
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !(await redisAnswers(url, 200)); i++) await new Promise((r) => setTimeout(r, 100));
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 200; i++) {
      recovered = (await app.anon().get('/readyz')).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(200);
  });
});
