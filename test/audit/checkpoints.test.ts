/**
 * Signed checkpoints outside the database: a truncated tail, a tail rewritten and re-hashed
 * without the signing key, and forged or edited checkpoints are all detected.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { appendAudit, forgetAuditTail } from '../../server/audit/log';
import { verifyChain } from '../../server/audit/verify';
import { auditContent, chainHash } from '../../server/audit/canonical';
import {
  AuditChainBrokenError, CHECKPOINT_FILE, CheckpointFileError, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE,
  loadOrCreateSigningKey, readCheckpoints, writeCheckpoint,
} from '../../server/audit/checkpoints';
import { signCheckpoint } from '../../server/audit/signing';
import { clearLog, rawEvents, readEvent, useAuditDb } from './helpers';

useAuditDb('audit_checkpoints');

let dir: string;
let key: { privateKeyPem: string; publicKeyPem: string };
const N = 20;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cp-'));
  key = await loadOrCreateSigningKey(dir);
  await clearLog();
  for (let i = 1; i <= N; i++) await appendAudit(readEvent(i));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const verifyAll = async () => verifyChain({ checkpoints: await readCheckpoints(dir), publicKeyPem: key.publicKeyPem });

/** Rewrites events from..to as an attacker with database access but no key would: consistently re-hashed. */
async function rewriteTail(from: number, change: Record<string, unknown>) {
  const before = (await rawEvents().findOne({ seq: N }))!.hash;
  let prev = String((await rawEvents().findOne({ seq: from - 1 }))!.hash);
  for (const ev of await rawEvents().find({ seq: { $gte: from } }, { sort: { seq: 1 } }).toArray()) {
    const edited = { ...ev, ...(ev.seq === from ? change : {}), prevHash: prev };
    prev = chainHash(prev, auditContent(edited));
    await rawEvents().replaceOne({ _id: ev._id }, { ...edited, hash: prev });
  }
  expect((await rawEvents().findOne({ seq: N }))!.hash).not.toBe(before); // the edit really changed something
}

describe('signing key', () => {
  it('is created once with a 0600 private key and a public key beside it', async () => {
    expect(fs.statSync(path.join(dir, PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, PUBLIC_KEY_FILE), 'utf8')).toBe(key.publicKeyPem);
    const again = await loadOrCreateSigningKey(dir);
    expect(again).toMatchObject({ created: false, privateKeyPem: key.privateKeyPem });
  });

  it('is the same key for several processes starting at once', async () => {
    const fresh = path.join(dir, 'race');
    const keys = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateSigningKey(fresh)));
    expect(new Set(keys.map((k) => k.privateKeyPem)).size).toBe(1);
    expect(keys.filter((k) => k.created)).toHaveLength(1);
    expect(fs.readdirSync(fresh).sort()).toEqual([PRIVATE_KEY_FILE, PUBLIC_KEY_FILE].sort());
  });
});

describe('writeCheckpoint', () => {
  it('signs the tail into a JSON line outside the database, and only when the chain has grown', async () => {
    const cp = await writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem });
    const tail = await rawEvents().findOne({ seq: N });
    expect(cp).toMatchObject({ seq: N, hash: tail!.hash, alg: 'Ed25519' });
    expect(fs.readFileSync(path.join(dir, CHECKPOINT_FILE), 'utf8').trim().split('\n')).toHaveLength(1);
    await expect(writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem })).resolves.toBeNull();
    await appendAudit(readEvent(N + 1));
    await expect(writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem })).resolves.toMatchObject({ seq: N + 1 });
    await expect(readCheckpoints(dir)).resolves.toHaveLength(2);
    await expect(verifyAll()).resolves.toMatchObject({ ok: true, checkpoints: 2, lastSeq: N + 1 });
  });

  it('refuses to sign over a broken chain', async () => {
    await writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem });
    await appendAudit(readEvent(N + 1));
    await rawEvents().updateOne({ seq: N + 1 }, { $set: { reason: 'edited' } });
    await expect(writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem })).rejects.toBeInstanceOf(AuditChainBrokenError);
    await expect(readCheckpoints(dir)).resolves.toHaveLength(1);
  });

  it('refuses to sign when the checkpointed event was rewritten', async () => {
    await writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem });
    await rewriteTail(N - 2, { reason: 'edited' });
    await appendAudit(readEvent(N + 1));
    await expect(writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem })).rejects.toMatchObject({
      firstBroken: { seq: N, problem: 'checkpoint_mismatch' },
    });
  });
});

describe('verifyChain with checkpoints', () => {
  beforeEach(() => writeCheckpoint({ dir, privateKeyPem: key.privateKeyPem }));

  it('a truncated tail: truncated, naming the first missing seq', async () => {
    await rawEvents().deleteMany({ seq: { $gt: N - 3 } });
    await expect(verifyAll()).resolves.toMatchObject({ ok: false, lastSeq: N - 3, firstBroken: { seq: N - 2, problem: 'truncated' } });
  });

  it('a tail edited and re-hashed consistently without the key: checkpoint_mismatch', async () => {
    await rewriteTail(N - 5, { outcome: 'allowed', reason: 'own agency', basis: { kind: 'own_agency' } });
    await expect(verifyChain()).resolves.toMatchObject({ ok: true }); // the chain alone cannot tell
    await expect(verifyAll()).resolves.toMatchObject({ ok: false, firstBroken: { seq: N, problem: 'checkpoint_mismatch' } });
  });

  it('a truncated-then-regrown tail: checkpoint_mismatch at the checkpoint', async () => {
    await rawEvents().deleteMany({ seq: { $gt: N - 3 } });
    // The log regrows from the shortened tail when a writer reads it (one started after the
    // truncation); this process would otherwise chain on from the tail it wrote (see the next test).
    forgetAuditTail();
    for (let i = 0; i < 5; i++) await appendAudit(readEvent(i));
    await expect(verifyAll()).resolves.toMatchObject({ ok: false, firstBroken: { seq: N, problem: 'checkpoint_mismatch' } });
  });

  it('a truncated tail under a running writer: the next events leave a gap', async () => {
    await rawEvents().deleteMany({ seq: { $gt: N - 3 } });
    for (let i = 0; i < 5; i++) await appendAudit(readEvent(i));
    await expect(verifyAll()).resolves.toMatchObject({ ok: false, firstBroken: { seq: N - 2, problem: 'gap' } });
  });

  it('a forged checkpoint over a rewritten tail, signed with another key: detected', async () => {
    const [ours] = await readCheckpoints(dir);
    await rewriteTail(N - 4, { reason: 'edited' });
    const tail = (await rawEvents().findOne({ seq: N }))!;
    const attacker = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = signCheckpoint({ seq: N, hash: String(tail.hash) }, attacker);
    fs.writeFileSync(path.join(dir, CHECKPOINT_FILE), `${JSON.stringify(forged)}\n`);
    const r = await verifyAll();
    expect(r).toMatchObject({ ok: false, checkpoints: 0, firstBroken: { seq: N, problem: 'checkpoint_mismatch' } });
    expect(r.firstBroken?.detail).toMatch(/unknown key/);
    // Claiming our key id does not help: the signature does not verify.
    fs.writeFileSync(path.join(dir, CHECKPOINT_FILE), `${JSON.stringify({ ...forged, keyId: ours.keyId })}\n`);
    await expect(verifyAll()).resolves.toMatchObject({ ok: false, firstBroken: { problem: 'checkpoint_mismatch', detail: expect.stringMatching(/signature/) } });
  });

  it('an edited checkpoint line (hash changed, signature kept): detected', async () => {
    const [cp] = await readCheckpoints(dir);
    await rewriteTail(N - 1, { reason: 'edited' });
    const tail = (await rawEvents().findOne({ seq: N }))!;
    fs.writeFileSync(path.join(dir, CHECKPOINT_FILE), `${JSON.stringify({ ...cp, hash: tail.hash })}\n`);
    await expect(verifyAll()).resolves.toMatchObject({ ok: false, firstBroken: { seq: N, problem: 'checkpoint_mismatch' } });
  });

  it('a damaged checkpoint file is an error naming the line', async () => {
    fs.appendFileSync(path.join(dir, CHECKPOINT_FILE), '{"seq": "x"}\n');
    await expect(readCheckpoints(dir)).rejects.toThrow(CheckpointFileError);
    await expect(readCheckpoints(dir)).rejects.toThrow(/line 2/);
  });

  it('checkpoints without a public key are refused rather than ignored', async () => {
    await expect(verifyChain({ checkpoints: await readCheckpoints(dir) })).rejects.toThrow(/public key/);
  });
});
