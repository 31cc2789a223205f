/**
 * Tampering with stored events through the raw collection (as someone with database access would)
 * is detected by verifyChain and located at the first broken seq.
 */
import { Types } from 'mongoose';
import { appendAudit } from '../../server/audit/log';
import { verifyChain } from '../../server/audit/verify';
import { auditContent, chainHash } from '../../server/audit/canonical';
import { clearLog, rawEvents, readEvent, useAuditDb } from './helpers';

useAuditDb('audit_tamper');

const N = 20;
beforeEach(async () => {
  await clearLog();
  for (let i = 1; i <= N; i++) await appendAudit(readEvent(i));
  await expect(verifyChain()).resolves.toMatchObject({ ok: true, count: N });
});

const broken = async () => (await verifyChain()).firstBroken;

describe('verifyChain detects and locates tampering', () => {
  it('one changed byte in a stored field: hash_mismatch at that seq', async () => {
    const ev = await rawEvents().findOne({ seq: 7 });
    const reason = String(ev!.reason);
    const flipped = reason.slice(0, -1) + String.fromCharCode(reason.charCodeAt(reason.length - 1) ^ 1);
    await rawEvents().updateOne({ seq: 7 }, { $set: { reason: flipped } });
    await expect(broken()).resolves.toMatchObject({ seq: 7, problem: 'hash_mismatch' });
  });

  it('a changed outcome (redacted → allowed): hash_mismatch', async () => {
    expect((await rawEvents().findOne({ seq: 3 }))?.outcome).toBe('redacted');
    await rawEvents().updateOne({ seq: 3 }, { $set: { outcome: 'allowed', reason: 'own agency' } });
    await expect(broken()).resolves.toMatchObject({ seq: 3, problem: 'hash_mismatch' });
  });

  it('a swapped actor id or a changed timestamp: hash_mismatch', async () => {
    await rawEvents().updateOne({ seq: 12 }, { $set: { 'actor.userId': new Types.ObjectId() } });
    await expect(broken()).resolves.toMatchObject({ seq: 12, problem: 'hash_mismatch' });
    await clearLog();
    for (let i = 1; i <= 5; i++) await appendAudit(readEvent(i));
    const ev = await rawEvents().findOne({ seq: 4 });
    await rawEvents().updateOne({ seq: 4 }, { $set: { at: new Date((ev!.at as Date).getTime() + 1) } });
    await expect(broken()).resolves.toMatchObject({ seq: 4, problem: 'hash_mismatch' });
  });

  it('an added field: hash_mismatch', async () => {
    await rawEvents().updateOne({ seq: 9 }, { $set: { note: 'x' } });
    await expect(broken()).resolves.toMatchObject({ seq: 9, problem: 'hash_mismatch' });
  });

  it('a deleted event: gap at its seq', async () => {
    await rawEvents().deleteOne({ seq: 11 });
    const r = await verifyChain();
    expect(r).toMatchObject({ ok: false, count: N - 1, lastSeq: N, firstBroken: { seq: 11, problem: 'gap' } });
  });

  it('deleted first events: gap at seq 1', async () => {
    await rawEvents().deleteMany({ seq: { $lte: 2 } });
    await expect(broken()).resolves.toMatchObject({ seq: 1, problem: 'gap' });
  });

  it('reordered events (two seqs swapped): broken at the lower seq', async () => {
    await rawEvents().updateOne({ seq: 5 }, { $set: { seq: -5 } });
    await rawEvents().updateOne({ seq: 9 }, { $set: { seq: 5 } });
    await rawEvents().updateOne({ seq: -5 }, { $set: { seq: 9 } });
    const r = await verifyChain();
    expect(r.ok).toBe(false);
    expect(r.firstBroken?.seq).toBe(5);
    expect(['hash_mismatch', 'prev_mismatch']).toContain(r.firstBroken?.problem);
  });

  it('one event edited and re-hashed by itself: prev_mismatch at the next seq', async () => {
    const ev = (await rawEvents().findOne({ seq: 15 }))!;
    expect(ev.outcome).toBe('redacted');
    const edited = { ...ev, outcome: 'allowed', reason: 'own agency' };
    await rawEvents().replaceOne({ seq: 15 }, { ...edited, hash: chainHash(String(ev.prevHash), auditContent(edited)) });
    await expect(broken()).resolves.toMatchObject({ seq: 16, problem: 'prev_mismatch' });
  });

  it('a duplicated seq (unique index dropped): duplicate', async () => {
    const ev = (await rawEvents().findOne({ seq: 6 }))!;
    await rawEvents().dropIndex('seq_1');
    try {
      await rawEvents().insertOne({ ...ev, _id: new Types.ObjectId() });
      await expect(broken()).resolves.toMatchObject({ seq: 6, problem: 'duplicate' });
    } finally {
      await rawEvents().deleteOne({ seq: 6, _id: { $ne: ev._id } });
      await rawEvents().createIndex({ seq: 1 }, { unique: true });
    }
  });

  it('keeps scanning after the first break, so counts and the tail are reported', async () => {
    await rawEvents().deleteOne({ seq: 4 });
    await rawEvents().updateOne({ seq: 10 }, { $set: { reason: 'tampered' } });
    const r = await verifyChain();
    expect(r).toMatchObject({ ok: false, count: N - 1, lastSeq: N, firstBroken: { seq: 4, problem: 'gap' } });
  });

  it('without checkpoints a truncated tail goes unnoticed (why checkpoints exist)', async () => {
    await rawEvents().deleteMany({ seq: { $gt: N - 3 } });
    await expect(verifyChain()).resolves.toMatchObject({ ok: true, lastSeq: N - 3 });
  });
});
