/** Appending to the chain: linkage, batches, concurrent appenders, and validation. Speed is measured by `npm run bench:audit`. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Types } from 'mongoose';
import { appendAudit, appendAuditMany, readTail } from '../../server/audit/log';
import { verifyChain } from '../../server/audit/verify';
import { GENESIS_HASH, expectedHash } from '../../server/audit/canonical';
import { AuditEvent } from '../../server/models/AuditEvent';
import { clearLog, rawEvents, readEvent, useAuditDb } from './helpers';
import { Redis } from 'ioredis';
import { useAuditCoordination } from '../../server/audit/coordination';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

const db = useAuditDb('audit_chain');
beforeEach(clearLog);

const stored = () => rawEvents().find({}, { sort: { seq: 1 } }).toArray();

describe('appendAudit', () => {
  it('chains 50 events from genesis: consecutive seqs, each prevHash the previous hash', async () => {
    for (let i = 1; i <= 50; i++) await appendAudit(readEvent(i));
    const docs = await stored();
    expect(docs.map((d) => d.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(docs[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < docs.length; i++) expect(docs[i].prevHash).toBe(docs[i - 1].hash);
    for (const d of docs) expect(d.hash).toBe(expectedHash(d));
    await expect(verifyChain()).resolves.toEqual({ ok: true, count: 50, lastSeq: 50, lastHash: docs[49].hash, checkpoints: 0 });
  });

  it('returns the stored event with its seq and hash, ids as ObjectIds', async () => {
    const personId = new Types.ObjectId();
    const ev = await appendAudit(readEvent(1, { subject: { type: 'person', id: personId.toHexString(), personId: personId.toHexString() } }));
    expect(ev.seq).toBe(1);
    expect(ev.hash).toMatch(/^[0-9a-f]{64}$/);
    const raw = await rawEvents().findOne({ seq: 1 });
    expect(raw?.subject.personId).toBeInstanceOf(Types.ObjectId);
    expect(String(raw?.subject.personId)).toBe(personId.toHexString());
    expect(raw?.hash).toBe(ev.hash);
  });

  it('verifies an empty log as intact', async () => {
    await expect(verifyChain()).resolves.toMatchObject({ ok: true, count: 0, lastSeq: 0, lastHash: GENESIS_HASH });
  });

  it('refuses fields outside the schema (no names or notes can ride along) without using a seq', async () => {
    await expect(appendAudit({ ...readEvent(1), name: 'Jane Doe' } as never)).rejects.toThrow(/not in schema|strict/i);
    await expect(appendAudit(readEvent(1, { outcome: 'maybe' as never }))).rejects.toThrow(/outcome/);
    await expect(appendAudit(readEvent(1, { purpose: 'Because she said so' }))).rejects.toThrow(/purpose/);
    await appendAudit(readEvent(2));
    expect((await stored()).map((d) => d.seq)).toEqual([1]);
  });

  it('refuses updates and deletes through the model (append-only)', async () => {
    await appendAudit(readEvent(1));
    await expect(AuditEvent.updateOne({ seq: 1 }, { $set: { outcome: 'denied' } })).rejects.toThrow(/append-only/);
    await expect(AuditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await rawEvents().countDocuments()).toBe(1);
  });
});

describe('readTail', () => {
  it('finds the tail at the position another writer named, and reads the whole log when that is stale, wrong or empty', async () => {
    expect(await readTail(3)).toEqual({ seq: 0, hash: GENESIS_HASH });
    for (let i = 1; i <= 5; i++) await appendAudit(readEvent(i));
    const last = (await stored())[4];
    const tail = { seq: 5, hash: last.hash };
    expect(await readTail(5)).toEqual(tail);
    // Stale (written since), past the end, or absent: the store decides, never the hint.
    expect(await readTail(3)).toEqual(tail);
    expect(await readTail(9)).toEqual(tail);
    expect(await readTail(null)).toEqual(tail);
    expect(await readTail()).toEqual(tail);
  });
});

describe('appendAuditMany', () => {
  it('appends a list view as one contiguous, verifiable run', async () => {
    await appendAudit(readEvent(0));
    const docs = await appendAuditMany(Array.from({ length: 25 }, (_, i) => readEvent(i, { action: 'encounter.read' })));
    expect(docs.map((d) => d.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
    expect(docs[0].prevHash).toBe((await rawEvents().findOne({ seq: 1 }))?.hash);
    await expect(verifyChain()).resolves.toMatchObject({ ok: true, count: 26 });
  });

  it('appends nothing for an empty list', async () => {
    await expect(appendAuditMany([])).resolves.toEqual([]);
    expect(await rawEvents().countDocuments()).toBe(0);
  });
});

describe('concurrent appenders', () => {
  it('5 parallel loops × 40 appends end as one gap-free valid chain of 200', async () => {
    await Promise.all(
      Array.from({ length: 5 }, async (_, loop) => {
        for (let i = 0; i < 40; i++) await appendAudit(readEvent(i, { requestId: `loop${loop}-${i}` }));
      }),
    );
    const docs = await stored();
    expect(docs.map((d) => d.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(docs.map((d) => d.requestId)).size).toBe(200);
    await expect(verifyChain()).resolves.toMatchObject({ ok: true, count: 200, lastSeq: 200 });
  });

  it.each([
    ['each remembering the tail it wrote', false],
    ['taking turns through Redis', true],
  ])('writer processes racing this one (%s) end as one gap-free valid chain', async (_how, coordinated) => {
    const prefix = uniquePrefix('auditturns');
    const redis = coordinated ? new Redis(TEST_REDIS_URL) : undefined;
    const stopTurns = redis ? useAuditCoordination(redis, prefix) : () => undefined;
    const appender = path.join(__dirname, '../fixtures/auditAppender.ts');
    const children = ['p1', 'p2'].map((tag) => {
      const child = spawn(process.execPath, ['--import', 'tsx', appender], {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, MONGODB_URI: db.uri, COUNT: '200', PAUSE_MS: '3', TAG: tag, REDIS_URL: TEST_REDIS_URL, ...(coordinated ? { AUDIT_REDIS_PREFIX: prefix } : {}) },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      let out = '';
      const said = (word: string) => new Promise<void>((resolve, reject) => {
        const check = () => out.includes(word) && resolve();
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          check();
        });
        child.once('exit', (code) => (out.includes(word) ? resolve() : reject(new Error(`${tag} exited ${code} before "${word}"`))));
      });
      return { child, ready: said('ready'), done: said('done') };
    });
    await Promise.all(children.map((c) => c.ready));
    // All three start together.
    for (const c of children) c.child.stdin!.end('go\n');
    await Promise.all([
      ...children.map((c) => c.done),
      (async () => {
        for (let i = 0; i < 100; i++) {
          await appendAudit(readEvent(i, { requestId: `here-${i}` }));
          await new Promise((r) => setTimeout(r, Math.random() * 3));
        }
      })(),
    ]);
    const docs = await stored();
    expect(docs.map((d) => d.seq)).toEqual(Array.from({ length: 502 }, (_, i) => i + 1));
    expect(new Set(docs.map((d) => d.requestId)).size).toBe(502);
    // The writer processes did race: each one's events are spread among the others', not in one run.
    for (const tag of ['p1', 'p2']) {
      const seqs = docs.filter((d) => /^p\d-\d+$/.test(String(d.requestId)) && String(d.requestId).startsWith(`${tag}-`)).map((d) => d.seq as number);
      expect(seqs).toHaveLength(200);
      expect(seqs[199] - seqs[0]).toBeGreaterThan(200);
    }
    await expect(verifyChain()).resolves.toMatchObject({ ok: true, count: 502, lastSeq: 502 });
    if (redis) {
      // Whoever wrote last left its mark at the chain's last position.
      expect(await redis.get(`{${prefix}}:audit:last`)).toMatch(new RegExp(`\\|${AuditEvent.db.name}\\|502$`));
      stopTurns();
      await cleanupPrefix(prefix);
      redis.disconnect();
    }
  }, 60_000);

  it('batches racing single appends still chain every event exactly once', async () => {
    await Promise.all([
      ...Array.from({ length: 4 }, (_, b) => appendAuditMany(Array.from({ length: 15 }, (_, i) => readEvent(i, { requestId: `b${b}-${i}` })))),
      (async () => {
        for (let i = 0; i < 30; i++) await appendAudit(readEvent(i, { requestId: `s-${i}` }));
      })(),
    ]);
    const docs = await stored();
    expect(docs).toHaveLength(90);
    expect(new Set(docs.map((d) => d.requestId)).size).toBe(90);
    await expect(verifyChain()).resolves.toMatchObject({ ok: true, count: 90, lastSeq: 90 });
  });
});
