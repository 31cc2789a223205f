/** `npm run audit:verify` end to end: a child process against this file's database. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAudit } from '../../server/audit/log';
import { loadOrCreateSigningKey, writeCheckpoint } from '../../server/audit/checkpoints';
import { clearLog, rawEvents, readEvent, useAuditDb } from './helpers';

const db = useAuditDb('audit_cli');
const root = path.resolve(__dirname, '../..');
let dir: string;

/** Runs the CLI; resolves with its exit code and output (never rejects on a non-zero exit). */
function runCli(args: string[], env: Record<string, string | undefined> = { MONGODB_URI: db.uri }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const childEnv = { ...process.env, ...env };
    if (!('MONGODB_URI' in env)) delete childEnv.MONGODB_URI;
    execFile(process.execPath, ['--import', 'tsx', 'server/audit/verifyCli.ts', ...args], { cwd: root, env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
  const key = await loadOrCreateSigningKey(dir);
  await clearLog();
  for (let i = 1; i <= 12; i++) await appendAudit(readEvent(i));
  await writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('audit:verify', () => {
  it('exits 0 with ok=true and a key=value summary on an intact chain', async () => {
    const r = await runCli(['--checkpoints', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^audit chain intact: 12 events, 1 signed checkpoints verified\n/);
    expect(r.stdout).toMatch(/\bevents=12 last_seq=12 last_hash=[0-9a-f]{64} checkpoints=1 ok=true\n$/);
  });

  it('exits 1 naming the first broken seq when an event was edited', async () => {
    await rawEvents().updateOne({ seq: 8 }, { $set: { purpose: 'risk_panel' } });
    const r = await runCli(['--checkpoints', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BROKEN at seq 8: hash_mismatch/);
    expect(r.stdout).toMatch(/ok=false first_broken_seq=8 problem=hash_mismatch/);
  });

  it('exits 1 with problem=truncated when the tail was deleted', async () => {
    await rawEvents().deleteMany({ seq: { $gt: 9 } });
    const r = await runCli(['--checkpoints', dir, '--public-key', path.join(dir, 'audit-signing-key.pub.pem')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/events=9 last_seq=9 .* first_broken_seq=10 problem=truncated/);
  });

  it('defaults the checkpoint folder to $DATA_DIR/audit', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-data-'));
    fs.cpSync(dir, path.join(dataDir, 'audit'), { recursive: true });
    await rawEvents().deleteMany({ seq: 12 });
    const r = await runCli([], { MONGODB_URI: db.uri, DATA_DIR: dataDir });
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first_broken_seq=12 problem=truncated/);
  });

  it('exits 2 without a database or with bad arguments', async () => {
    await expect(runCli(['--checkpoints', dir], { MONGODB_URI: undefined })).resolves.toMatchObject({ code: 2, stderr: expect.stringMatching(/MONGODB_URI/) });
    await expect(runCli(['--bogus'])).resolves.toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown argument --bogus/) });
  });
});
