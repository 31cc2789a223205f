/**
 * Picks the store the workspace runs on: real MongoDB when MONGODB_URI is set, else a `mongod`
 * found on PATH (spawned on a data folder), else the embedded store. The choice is logged once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore, type StoreLogger } from './embedded';

export type StoreKind = 'external' | 'mongod' | 'embedded';

export interface SelectedStore {
  kind: StoreKind;
  /** Connection string without a database path. */
  uri: string;
  stop(): Promise<void>;
}

export interface SelectStoreOptions {
  /** Real MongoDB; when set it always wins. */
  mongodbUri?: string;
  /** Folder for mongod's or the embedded store's files. */
  dataDir?: string;
  /** Keep nothing on disk (tests). */
  memoryOnly?: boolean;
  logger: StoreLogger;
}

/** How long a spawned mongod may take to answer. */
const MONGOD_START_MS = 30_000;

/** The path of an executable named `name` on PATH, if any. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForMongod(uri: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + MONGOD_START_MS;
  let exited = false;
  child.once('exit', () => { exited = true; });
  while (Date.now() < deadline && !exited) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, directConnection: true });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(exited ? 'mongod exited during start-up' : 'mongod did not answer in time');
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

async function startMongod(bin: string, opts: SelectStoreOptions): Promise<SelectedStore> {
  const temp = opts.memoryOnly || !opts.dataDir;
  const dbPath = temp ? fs.mkdtempSync(path.join(os.tmpdir(), 'mongod-')) : path.join(opts.dataDir!, 'mongod');
  fs.mkdirSync(dbPath, { recursive: true });
  const port = await freePort();
  const child = spawn(bin, ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { stdio: 'ignore' });
  const uri = `mongodb://127.0.0.1:${port}`;
  const cleanup = async () => {
    await stopChild(child);
    if (temp) fs.rmSync(dbPath, { recursive: true, force: true });
  };
  try {
    await waitForMongod(uri, child);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { kind: 'mongod', uri, stop: cleanup };
}

/** Selects and starts the store; see the module comment for the order. */
export async function selectStore(opts: SelectStoreOptions): Promise<SelectedStore> {
  if (opts.mongodbUri) {
    opts.logger.info({ category: 'store', kind: 'external' }, 'store selected');
    return { kind: 'external', uri: opts.mongodbUri, stop: async () => undefined };
  }
  const mongod = onPath('mongod');
  if (mongod) {
    try {
      const store = await startMongod(mongod, opts);
      opts.logger.info({ category: 'store', kind: 'mongod' }, 'store selected');
      return store;
    } catch (err) {
      opts.logger.warn({ category: 'store', err: (err as Error).message }, 'mongod on PATH failed to start; using the embedded store');
    }
  }
  const dataDir = opts.memoryOnly || !opts.dataDir ? undefined : path.join(opts.dataDir, 'embedded');
  const store = await startEmbeddedStore({ dataDir, logger: opts.logger });
  opts.logger.info({ category: 'store', kind: 'embedded', persistent: Boolean(dataDir) }, 'store selected');
  return { kind: 'embedded', uri: store.uri, stop: () => store.stop() };
}
