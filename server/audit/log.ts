/**
 * Appending to the hash-chained audit log. Each append inserts seq + 1 linked to the tail's hash.
 * The tail is the one this process wrote last (the log only grows), or, when there is none or
 * another process has written since, read from the store. With Redis registered (coordination.ts:
 * the server and the workers do), processes take turns at the tail and Redis says who wrote last,
 * so a process knows when to read it instead of finding out by losing a race. Either way the
 * unique index on `seq` lets exactly one writer win each position; a loser re-reads the tail and
 * retries with jitter. Every write is a single-document (or ordered batch) insert, so no
 * transactions.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Types } from 'mongoose';
import { AuditEvent, type AuditAction, type AuditEventRaw, type AuditOutcome } from '../models/AuditEvent';
import { GENESIS_HASH, auditContent, chainHash } from './canonical';
import { takeTurn } from './coordination';
import { auditRecord } from './record';

type Id = string | Types.ObjectId;

/** What a caller says about one audited action. Ids and codes only: never names or notes. */
export interface AuditInput {
  /** When it happened; defaults to now. */
  at?: Date;
  /** Who: a user or an agency system (API client), their agency and roles at the time. */
  actor: { userId?: Id; apiClientId?: Id; agencyId?: Id; roles?: readonly string[] };
  /** What was done, e.g. 'person.read', 'export', 'break_glass'. */
  action: AuditAction;
  /** What it was done to; `personId` whenever the subject concerns one person. */
  subject: { type: string; id?: Id; personId?: Id };
  /** Purpose code, e.g. 'direct_care', 'risk_panel', 'safeguarding'. */
  purpose?: string;
  outcome: AuditOutcome;
  /** The system's reason code/text (e.g. from the sharing module). */
  reason?: string;
  /** The sharing basis relied on: kind and the id of the consent/agreement/decision/break-glass record. */
  basis?: { kind: string; ref?: Id };
  requestId?: string;
}

/** Thrown when an append could not win a sequence position after all retries. */
export class AuditAppendError extends Error {}

/** Contention retries before giving up (each re-reads the tail). */
const MAX_ATTEMPTS = 50;

/**
 * The chain's last event (seq, hash), or seq 0 with the genesis hash for an empty log. `near`:
 * where another process says the chain ends (coordination.ts). Seqs have no gaps (each append
 * takes the tail's seq + 1 under the unique index), so when the store holds an event at `near`
 * and none at `near + 1`, that event is the tail: two lookups by the unique index, however long
 * the log (the sorted read is answered by a scan of the whole log on the embedded store). The
 * tail still comes from the store; otherwise the sorted read decides.
 */
export async function readTail(near?: number | null): Promise<{ seq: number; hash: string }> {
  // Raw driver: this read is on every append's path and mongoose's query layer doubles its cost.
  const projection = { _id: 0, seq: 1, hash: 1 };
  if (near) {
    const found = await AuditEvent.collection.find({ seq: { $in: [near, near + 1] } }, { projection }).toArray();
    if (found.length === 1 && found[0].seq === near) return { seq: near, hash: found[0].hash as string };
  }
  const tail = await AuditEvent.collection.findOne({}, { sort: { seq: -1 }, projection });
  return tail ? { seq: tail.seq as number, hash: tail.hash as string } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * How many of an ordered batch were inserted before a duplicate `seq` stopped it, or undefined when
 * the error is anything else (which the caller rethrows).
 */
function insertedBeforeSeqConflict(err: unknown): number | undefined {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; writeErrors?: { index: number; errmsg?: string }[]; errmsg?: string; message?: string };
  if (e?.code !== 11000) return undefined;
  const first = e.writeErrors?.[0];
  const onSeq = e.keyPattern ? 'seq' in e.keyPattern : /index: seq_1\b/.test(first?.errmsg ?? e.errmsg ?? e.message ?? '');
  if (!onSeq) return undefined;
  return first?.index ?? 0;
}

/**
 * The tail this process last wrote, or undefined: then the next append reads it. A lost race on
 * `seq` (another process wrote since) reads it again, so a stale tail costs one retry, never a fork.
 */
let lastWritten: { db: string; seq: number; hash: string } | undefined;

/**
 * Forgets the remembered tail, for whatever shortens the log outside this module (test fixtures
 * that empty it; nothing in the application deletes events).
 */
export function forgetAuditTail(): void {
  lastWritten = undefined;
}

/** Random backoff that grows with the attempt, capped at ~100 ms. */
function backoff(attempt: number): Promise<void> {
  if (attempt <= 1) return Promise.resolve();
  return sleep(Math.random() * Math.min(100, 2 ** attempt));
}

/**
 * Writes one ordered run of prepared events, chaining each to the tail. Other processes may
 * append at the same time: a lost race on `seq` re-reads the tail and retries the rest.
 */
async function writeRun(pending: Record<string, unknown>[]): Promise<void> {
  const db = AuditEvent.db.name;
  // This process's turn at the tail, when Redis coordinates the writers (coordination.ts): the
  // tail it remembers is used only if it wrote last.
  const turn = await takeTurn();
  let written: { db: string; seq: number } | null = null;
  try {
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new AuditAppendError(`audit append lost the race ${MAX_ATTEMPTS} times`);
      await backoff(attempt);
      const mine = lastWritten?.db === db ? lastWritten : undefined;
      const known = mine && (!turn || turn.wroteLast(db, mine.seq)) ? mine : undefined;
      let { seq, hash } = attempt === 1 && known ? known : await readTail(turn?.lastSeq(db));
      for (const raw of pending) {
        raw.seq = ++seq;
        raw.prevHash = hash;
        hash = raw.hash = chainHash(hash, auditContent(raw));
      }
      try {
        await AuditEvent.collection.insertMany(pending, { ordered: true });
        pending.splice(0);
        lastWritten = { db, seq, hash };
        written = { db, seq };
      } catch (err) {
        lastWritten = undefined;
        const inserted = insertedBeforeSeqConflict(err);
        if (inserted === undefined) throw err;
        pending.splice(0, inserted);
      }
    }
  } finally {
    await turn?.release(written);
  }
}

/** Largest number of events one group commit writes. */
const MAX_GROUP = 500;

interface Waiting {
  raws: Record<string, unknown>[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Appends waiting for the write in flight (group commit: one process never races itself). */
const waiting: Waiting[] = [];
let flushing = false;

async function flush(): Promise<void> {
  flushing = true;
  try {
    while (waiting.length > 0) {
      const group: Waiting[] = [];
      let size = 0;
      while (waiting.length > 0 && (group.length === 0 || size + waiting[0].raws.length <= MAX_GROUP)) {
        const next = waiting.shift() as Waiting;
        group.push(next);
        size += next.raws.length;
      }
      try {
        await writeRun(group.flatMap((g) => g.raws));
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
  } finally {
    flushing = false;
  }
}

/**
 * Appends several events in order. Within a process, appends that arrive while a write is in
 * flight are written together as the next ordered batch (group commit), so busy workers do not
 * race each other for the chain's tail; across processes the unique `seq` decides. A caller's
 * events stay in their order, though other callers' events may interleave. Resolves once all are
 * stored, with the stored events (plain objects); rejects (fail closed) when the store refuses or
 * contention never clears.
 */
export async function appendAuditMany(inputs: readonly AuditInput[]): Promise<AuditEventRaw[]> {
  if (inputs.length === 0) return [];
  await AuditEvent.init(); // the unique seq index must exist before racing for positions
  const raws = inputs.map(auditRecord);
  await new Promise<void>((resolve, reject) => {
    waiting.push({ raws, resolve, reject });
    if (!flushing) void flush();
  });
  return raws as AuditEventRaw[];
}

/**
 * Appends one event to the chain and resolves with it (seq, prevHash and hash filled in).
 * Await it before answering the request: if it rejects, the action must not be reported as done.
 */
export async function appendAudit(input: AuditInput): Promise<AuditEventRaw> {
  const [doc] = await appendAuditMany([input]);
  return doc;
}
