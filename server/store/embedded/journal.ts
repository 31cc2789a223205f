/**
 * Persistence: a snapshot file plus an append-only journal of changes.
 *
 * Every record is framed as [u32 length][u32 crc32][BSON payload]. A command's changes are
 * written with one `fs.writeSync` before its reply is sent, so an acknowledged write survives a
 * crash of the process (the OS has the bytes). We do not fsync each write by default: that
 * would cost milliseconds per write and only guards against power loss, which this development
 * store does not promise; pass `fsync: true` to get it.
 *
 * At start the snapshot is loaded and the journal replayed; a torn or corrupt tail (a crash
 * mid-write) is cut off with a warning. When the journal passes `compactBytes`, and at clean
 * stop, a new snapshot is written (temp file + rename) and the journal restarts empty. Both
 * files carry a generation number so a journal older than the snapshot is never replayed twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { calculateObjectSize, deserialize, serialize, type Document } from 'bson';
import type { Change, Engine } from './engine';
import type { StoreLogger } from './logger';

const FRAME_HEADER = 8;
const CHUNK = 1000;
/** Keep each frame well under bson's 16 MiB serialisation buffer. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** Splits items into runs of at most CHUNK items and about CHUNK_BYTES bytes (one big item may exceed it). */
function* chunks<T extends object>(items: Iterable<T>): Generator<T[]> {
  let run: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = calculateObjectSize(item);
    if (run.length && (run.length >= CHUNK || bytes + size > CHUNK_BYTES)) {
      yield run;
      run = [];
      bytes = 0;
    }
    run.push(item);
    bytes += size;
  }
  if (run.length) yield run;
}
const DESERIALIZE = { promoteLongs: false, useBigInt64: false } as const;

export interface JournalOptions {
  dir: string;
  logger: StoreLogger;
  /** Compact when the journal grows past this many bytes (default 64 MiB). */
  compactBytes?: number;
  /** fsync after every append (default false: flushed to the OS only). */
  fsync?: boolean;
}

function frame(payload: Document): Buffer {
  const body = serialize(payload, { checkKeys: false });
  const head = Buffer.allocUnsafe(FRAME_HEADER);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

/** Reads frames until the end or the first damaged one; returns the records and the clean length. */
export function readFrames(buf: Buffer): { records: Document[]; cleanBytes: number; damaged: boolean } {
  const records: Document[] = [];
  let off = 0;
  while (off < buf.length) {
    if (off + FRAME_HEADER > buf.length) return { records, cleanBytes: off, damaged: true };
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    const end = off + FRAME_HEADER + len;
    if (len < 5 || end > buf.length) return { records, cleanBytes: off, damaged: true };
    const body = buf.subarray(off + FRAME_HEADER, end);
    if (crc32(body) !== sum) return { records, cleanBytes: off, damaged: true };
    try {
      records.push(deserialize(body, DESERIALIZE));
    } catch {
      return { records, cleanBytes: off, damaged: true };
    }
    off = end;
  }
  return { records, cleanBytes: off, damaged: false };
}

export class Journal {
  private fd = -1;
  private size = 0;
  private gen = 0;
  private readonly journalPath: string;
  private readonly snapshotPath: string;
  private readonly compactBytes: number;

  constructor(private readonly opts: JournalOptions) {
    this.journalPath = path.join(opts.dir, 'journal.log');
    this.snapshotPath = path.join(opts.dir, 'snapshot.bson');
    this.compactBytes = opts.compactBytes ?? 64 * 1024 * 1024;
  }

  /** Loads the snapshot and replays the journal into `engine`, then compacts. */
  open(engine: Engine): void {
    fs.mkdirSync(this.opts.dir, { recursive: true });
    let snapshotGen = -1;
    if (fs.existsSync(this.snapshotPath)) {
      const { records, damaged } = readFrames(fs.readFileSync(this.snapshotPath));
      if (damaged) throw new Error(`embedded store: snapshot ${this.snapshotPath} is damaged`);
      for (const r of records) {
        if (r.header) snapshotGen = Number(r.gen);
        else if (r.coll) {
          engine.replay({ o: 'create', db: r.db, c: r.coll, opts: r.opts });
          for (const spec of r.indexes ?? []) engine.replay({ o: 'index', db: r.db, c: r.coll, spec });
        } else if (r.docs) for (const d of r.docs) engine.replay({ o: 'put', db: r.db, c: r.c, d });
      }
    }
    let replayed = 0;
    if (fs.existsSync(this.journalPath)) {
      const buf = fs.readFileSync(this.journalPath);
      const { records, cleanBytes, damaged } = readFrames(buf);
      const head = records[0];
      const journalGen = head?.header ? Number(head.gen) : -1;
      if (journalGen >= snapshotGen) {
        for (const r of records.slice(1)) for (const ch of r.c as Change[]) { engine.replay(ch); replayed++; }
      }
      if (damaged) {
        this.opts.logger.warn({ category: 'store', file: this.journalPath, droppedBytes: buf.length - cleanBytes }, 'journal tail damaged (crash mid-write?); ignoring it');
      }
    }
    this.gen = Math.max(snapshotGen, 0);
    engine.drain();
    this.compact(engine);
    this.opts.logger.info({ category: 'store', dir: this.opts.dir, changesReplayed: replayed }, 'journal opened');
  }

  /** Appends a command's changes; returns once they are written to the OS. */
  append(changes: Change[], engine: Engine): void {
    if (!changes.length || this.fd < 0) return;
    const frames: Buffer[] = [];
    for (const run of chunks(changes)) frames.push(frame({ c: run }));
    const buf = frames.length === 1 ? frames[0] : Buffer.concat(frames);
    fs.writeSync(this.fd, buf);
    if (this.opts.fsync) fs.fsyncSync(this.fd);
    this.size += buf.length;
    if (this.size > this.compactBytes) this.compact(engine);
  }

  /** Writes a snapshot of everything and starts a fresh journal. */
  compact(engine: Engine): void {
    const started = Date.now();
    const nextGen = this.gen + 1;
    const tmp = `${this.snapshotPath}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, frame({ header: true, gen: nextGen, v: 1 }));
      for (const [db, colls] of engine.dbs) {
        for (const coll of colls.values()) {
          fs.writeSync(fd, frame({ db, coll: coll.name, opts: coll.options, indexes: coll.indexes.map((ix) => ix.spec) }));
          for (const run of chunks(coll.docs.values())) fs.writeSync(fd, frame({ db, c: coll.name, docs: run }));
        }
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.snapshotPath);
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.journalPath, 'w');
    const head = frame({ header: true, gen: nextGen });
    fs.writeSync(this.fd, head);
    fs.fsyncSync(this.fd);
    this.size = head.length;
    this.gen = nextGen;
    this.opts.logger.info({ category: 'store', gen: nextGen, ms: Date.now() - started }, 'journal compacted');
  }

  /** Compacts and closes. */
  close(engine: Engine): void {
    if (this.fd < 0) return;
    this.compact(engine);
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
