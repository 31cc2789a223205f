/**
 * Hash indexes: a Map from a canonical key string (see `keyString`) to the stored documents
 * holding it. Unique, compound, sparse and partial indexes; array fields index each element.
 * Equality lookups on all fields of an index use it instead of a scan; a compound index also
 * answers equality on its first field alone (`{ personId }` on `{ personId: 1, occurredAt: -1 }`),
 * from a second map keyed by that field's value, as MongoDB uses an index prefix. The collection keeps the
 * index in step with its documents (it adds and removes exactly the stored objects).
 */
import { keyString } from './compare';
import { StoreError } from './errors';
import { compileFilter, type Matcher } from './match';
import { pathValues, type Doc } from './paths';

/** An index definition as listIndexes returns it. */
export interface IndexSpec {
  v?: number;
  key: Record<string, unknown>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  [option: string]: unknown;
}

const SEP = '\u0001';
const EMPTY: ReadonlySet<Doc> = new Set();

/** Default index name: field_dir joined by underscores, as MongoDB names them. */
export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key).map(([k, v]) => `${k}_${String(v)}`).join('_');
}

export class Index {
  readonly fields: string[];
  readonly unique: boolean;
  private readonly sparse: boolean;
  private readonly partial: Matcher | null;
  /** key string -> the stored document(s) with that key. */
  private readonly entries = new Map<string, Doc | Set<Doc>>();
  /** Compound indexes only: first field's key string -> the stored documents with that value. */
  private readonly leading: Map<string, Set<Doc>> | null;

  constructor(readonly spec: IndexSpec, readonly ns: string) {
    this.fields = Object.keys(spec.key);
    this.unique = Boolean(spec.unique);
    this.sparse = Boolean(spec.sparse);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : null;
    this.leading = this.fields.length > 1 ? new Map() : null;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Can answer an equality lookup for every document (not sparse, not partial). */
  get complete(): boolean {
    return !this.sparse && !this.partial;
  }

  /** The keys a document contributes (several for array fields), or none when not indexed. */
  keysFor(doc: Doc): string[] {
    if (this.partial && !this.partial(doc)) return [];
    if (this.fields.length === 1) {
      const values = pathValues(doc, this.fields[0], false);
      if (this.sparse && values.every((v) => v === undefined)) return [];
      if (values.length === 1) return [keyString(values[0])];
      return [...new Set(values.map(keyString))];
    }
    const perField = this.fields.map((f) => pathValues(doc, f, false));
    if (this.sparse && perField.every((vs) => vs.every((v) => v === undefined))) return [];
    let keys = [''];
    perField.forEach((vs, i) => {
      const parts = [...new Set(vs.map(keyString))];
      keys = keys.flatMap((k) => parts.map((p) => (i === 0 ? p : k + SEP + p)));
    });
    return keys;
  }

  /** Key string for an equality lookup with one value per field. */
  lookupKey(values: unknown[]): string {
    return values.map(keyString).join(SEP);
  }

  /** The stored documents with this key: one document, a set of them, or undefined. */
  docs(key: string): Doc | ReadonlySet<Doc> | undefined {
    return this.entries.get(key);
  }

  /** Compound indexes: the stored documents whose first field holds this key string (none: an empty set). */
  docsWithFirst(key: string): ReadonlySet<Doc> {
    return this.leading?.get(key) ?? EMPTY;
  }

  /** The first field's key strings of a document this index holds (compound indexes). */
  private leadingKeys(doc: Doc): string[] {
    return [...new Set(pathValues(doc, this.fields[0], false).map(keyString))];
  }

  /**
   * Throws a duplicate-key error if storing `doc` would break uniqueness. `replacing` is the
   * stored document `doc` replaces (its keys do not count as duplicates).
   */
  check(doc: Doc, keys = this.keysFor(doc), replacing?: Doc): void {
    if (!this.unique) return;
    for (const key of keys) {
      const hit = this.entries.get(key);
      if (hit === undefined) continue;
      if (hit instanceof Set ? [...hit].some((x) => x !== replacing) : hit !== replacing) throw this.duplicate(doc);
    }
  }

  add(doc: Doc, keys: string[]): void {
    for (const key of keys) {
      const hit = this.entries.get(key);
      if (hit === undefined) this.entries.set(key, doc);
      else if (hit instanceof Set) hit.add(doc);
      else if (hit !== doc) this.entries.set(key, new Set([hit, doc]));
    }
    if (this.leading && keys.length > 0) {
      for (const key of this.leadingKeys(doc)) {
        const set = this.leading.get(key);
        if (set) set.add(doc);
        else this.leading.set(key, new Set([doc]));
      }
    }
  }

  remove(doc: Doc, keys: string[]): void {
    for (const key of keys) {
      const hit = this.entries.get(key);
      if (hit === undefined) continue;
      if (hit instanceof Set) {
        hit.delete(doc);
        if (hit.size === 1) this.entries.set(key, [...hit][0]);
        else if (hit.size === 0) this.entries.delete(key);
      } else if (hit === doc) this.entries.delete(key);
    }
    if (this.leading && keys.length > 0) {
      for (const key of this.leadingKeys(doc)) {
        const set = this.leading.get(key);
        if (!set) continue;
        set.delete(doc);
        if (set.size === 0) this.leading.delete(key);
      }
    }
  }

  /** The E11000 error MongoDB raises, with keyPattern and keyValue for mongoose. */
  duplicate(doc: Doc): StoreError {
    const keyValue: Doc = {};
    for (const f of this.fields) keyValue[f] = pathValues(doc, f, false)[0] ?? null;
    const shown = Object.entries(keyValue).map(([k, v]) => `${k}: ${showValue(v)}`).join(', ');
    return new StoreError(`E11000 duplicate key error collection: ${this.ns} index: ${this.name} dup key: { ${shown} }`, 11000, 'DuplicateKey', {
      keyPattern: { ...this.spec.key },
      keyValue,
    });
  }
}

function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if ((v as { _bsontype?: string })?._bsontype === 'ObjectId') return `ObjectId('${String(v)}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  return v === null || v === undefined ? 'null' : String(v);
}
