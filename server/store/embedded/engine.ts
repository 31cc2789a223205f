/**
 * The catalog: databases, their collections, and the change log of the command being run.
 * Commands run synchronously one at a time, so each command is atomic; its changes are handed
 * to the journal (when there is one) before the reply is sent.
 */
import { Collection } from './collection';
import { badValue } from './errors';
import type { IndexSpec } from './indexes';
import { pathValues, type Doc } from './paths';

/** One logged change, as the journal stores it. */
export type Change =
  | { o: 'put'; db: string; c: string; d: Doc }
  | { o: 'del'; db: string; c: string; id: unknown }
  | { o: 'create'; db: string; c: string; opts?: Doc }
  | { o: 'drop'; db: string; c: string }
  | { o: 'dropdb'; db: string }
  | { o: 'index'; db: string; c: string; spec: IndexSpec }
  | { o: 'unindex'; db: string; c: string; name: string }
  | { o: 'rename'; db: string; c: string; to: string; toDb: string };

const NAME_RE = /^[^\0$]+$/;

export class Engine {
  readonly dbs = new Map<string, Map<string, Collection>>();
  /** Changes made by the running command, not yet journaled. */
  pending: Change[] = [];
  /** Set while replaying, so replayed changes are not logged again. */
  private replaying = false;

  private log(change: Change): void {
    if (!this.replaying) this.pending.push(change);
  }

  /** Takes the changes of the command that just ran. */
  drain(): Change[] {
    const out = this.pending;
    if (out.length) this.pending = [];
    return out;
  }

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created implicitly (as MongoDB does on first write). */
  ensure(db: string, name: string, opts: Doc = {}): Collection {
    let colls = this.dbs.get(db);
    if (!colls) {
      if (!NAME_RE.test(db) || db.includes('.') || db.includes('/')) throw badValue(`Invalid database name: '${db}'`);
      colls = new Map();
      this.dbs.set(db, colls);
    }
    let coll = colls.get(name);
    if (!coll) {
      if (!NAME_RE.test(name)) throw badValue(`Invalid collection name: ${name}`);
      coll = new Collection(db, name, opts);
      this.attach(coll);
      colls.set(name, coll);
      this.log({ o: 'create', db, c: name, opts });
    }
    return coll;
  }

  private attach(coll: Collection): void {
    coll.sink = (ch) => {
      if (ch.op === 'put') this.log({ o: 'put', db: coll.db, c: coll.name, d: ch.doc });
      else this.log({ o: 'del', db: coll.db, c: coll.name, id: ch.id });
    };
  }

  drop(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    const coll = colls?.get(name);
    if (!coll) return false;
    colls!.delete(name);
    coll.forgetEncodings();
    this.log({ o: 'drop', db, c: name });
    return true;
  }

  dropDatabase(db: string): void {
    const colls = this.dbs.get(db);
    if (!colls) return;
    for (const coll of colls.values()) coll.forgetEncodings();
    this.dbs.delete(db);
    this.log({ o: 'dropdb', db });
  }

  createIndex(coll: Collection, spec: IndexSpec): boolean {
    const created = coll.createIndex(spec);
    if (created) this.log({ o: 'index', db: coll.db, c: coll.name, spec: coll.indexes[coll.indexes.length - 1].spec });
    return created;
  }

  dropIndex(coll: Collection, which: unknown): void {
    const before = coll.indexes.map((ix) => ix.name);
    coll.dropIndex(which);
    const after = new Set(coll.indexes.map((ix) => ix.name));
    for (const name of before) if (!after.has(name)) this.log({ o: 'unindex', db: coll.db, c: coll.name, name });
  }

  rename(coll: Collection, toDb: string, to: string): void {
    const target = new Collection(toDb, to, coll.options);
    for (const spec of coll.indexes.map((ix) => ix.spec)) target.createIndex(spec);
    for (const d of coll.docs.values()) target.restore(d);
    this.dbs.get(coll.db)?.delete(coll.name);
    this.attach(target);
    if (!this.dbs.has(toDb)) this.dbs.set(toDb, new Map());
    this.dbs.get(toDb)!.set(to, target);
    this.log({ o: 'rename', db: coll.db, c: coll.name, to, toDb });
  }

  /**
   * Deletes documents whose TTL index date has passed (`expireAfterSeconds`), like MongoDB's
   * TTL monitor. Returns how many were removed.
   */
  expireTtl(now: number): number {
    let removed = 0;
    for (const colls of this.dbs.values()) {
      for (const coll of colls.values()) {
        for (const ix of coll.indexes) {
          const ttl = ix.spec.expireAfterSeconds;
          if (typeof ttl !== 'number' || ix.fields.length !== 1) continue;
          const cutoff = now - ttl * 1000;
          for (const doc of [...coll.docs.values()]) {
            const dates = pathValues(doc, ix.fields[0], false).filter((v): v is Date => v instanceof Date);
            if (dates.length && Math.min(...dates.map((d) => d.getTime())) <= cutoff) {
              coll.remove(doc);
              removed++;
            }
          }
        }
      }
    }
    return removed;
  }

  /** Re-applies a journaled change at start-up. */
  replay(ch: Change): void {
    this.replaying = true;
    try {
      switch (ch.o) {
        case 'put': this.ensure(ch.db, ch.c).restore(ch.d); break;
        case 'del': this.collection(ch.db, ch.c)?.restoreDelete(ch.id); break;
        case 'create': this.ensure(ch.db, ch.c, ch.opts); break;
        case 'drop': this.drop(ch.db, ch.c); break;
        case 'dropdb': this.dropDatabase(ch.db); break;
        case 'index': this.ensure(ch.db, ch.c).createIndex(ch.spec); break;
        case 'unindex': this.collection(ch.db, ch.c)?.dropIndex(ch.name); break;
        case 'rename': { const c = this.collection(ch.db, ch.c); if (c) this.rename(c, ch.toDb, ch.to); break; }
      }
    } finally {
      this.replaying = false;
    }
  }
}
