/** Store selection: MONGODB_URI wins, else mongod on PATH, else the embedded store; logged once. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { selectStore } from '../../server/store/select';

function capture() {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const push = (level: string) => (fields: object, msg: string) => lines.push({ level, fields: fields as Record<string, unknown>, msg });
  return { lines, logger: { info: push('info'), warn: push('warn'), error: push('error') } };
}

describe('selectStore', () => {
  const savedPath = process.env.PATH;
  beforeEach(() => { process.env.PATH = ''; }); // no mongod to find
  afterEach(() => { process.env.PATH = savedPath; });

  it('uses MONGODB_URI as given, logs the kind without the URI, and its stop is a no-op', async () => {
    const { lines, logger } = capture();
    const uri = 'mongodb://someone:s3cret@db.example.test:27017';
    const store = await selectStore({ mongodbUri: uri, logger });
    expect(store).toMatchObject({ kind: 'external', uri });
    await store.stop();
    expect(lines.filter((l) => l.level === 'info' && l.fields.kind === 'external')).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('falls back to the embedded store, memory only when asked', async () => {
    const { lines, logger } = capture();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'select-test-'));
    try {
      const store = await selectStore({ dataDir, memoryOnly: true, logger });
      expect(store.kind).toBe('embedded');
      const client = await new MongoClient(`${store.uri}/sel`).connect();
      await client.db().collection('x').insertOne({ a: 1 });
      await client.close();
      await store.stop();
      expect(fs.readdirSync(dataDir)).toEqual([]);
      expect(lines.filter((l) => l.msg === 'store selected').map((l) => l.fields.kind)).toEqual(['embedded']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps the embedded store in dataDir/embedded otherwise', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'select-test-'));
    try {
      const store = await selectStore({ dataDir, logger: capture().logger });
      await store.stop();
      expect(fs.readdirSync(path.join(dataDir, 'embedded')).sort()).toEqual(['journal.log', 'snapshot.bson']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
