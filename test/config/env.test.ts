import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseConfig, ConfigError } from '../../config/env';

describe('configuration from the environment', () => {
  it('applies sensible defaults', () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.sessionIdleMs).toBe(15 * 60_000);
    expect(c.sessionAbsoluteMs).toBe(12 * 3_600_000);
    expect(c.secureCookies).toBe(false);
    expect(c.allowedOrigins).toContain('http://localhost:3000');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${name}:`));
  });

  it('turns on secure cookies for an https PUBLIC_URL', () => {
    const c = parseConfig({ PUBLIC_URL: 'https://crisis.example.org/' });
    expect(c.secureCookies).toBe(true);
    expect(c.publicUrl).toBe('https://crisis.example.org');
    expect(c.allowedOrigins).toEqual(['https://crisis.example.org']);
  });

  it('exits the process with the variable named when started with a bad value', () => {
    const root = path.resolve(__dirname, '../..');
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "require('./config/env').loadConfigOrExit(); console.log('started')"],
      { cwd: root, env: { ...process.env, PORT: 'not-a-port' }, encoding: 'utf8' },
    );
    expect(res.status).toBe(78);
    expect(res.stderr).toContain('Invalid configuration: PORT:');
    expect(res.stdout).not.toContain('started');
  });
});
