/**
 * The embedded MongoDB-compatible store: a loopback server speaking enough of the MongoDB wire
 * protocol for unmodified mongoose code. For trials, development and tests, not production.
 */
import { Engine } from './engine';
import { Journal } from './journal';
import { silentLogger, type StoreLogger as Logger } from './logger';
import { StoreServer } from './server';

/** pino-compatible logging subset. */
export interface StoreLogger extends Logger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

export interface EmbeddedStoreOptions {
  /** 0 or omitted = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Folder for the snapshot and journal; omitted = memory only. */
  dataDir?: string;
  logger?: StoreLogger;
}

export interface EmbeddedStore {
  /** e.g. mongodb://127.0.0.1:PORT (no database path). */
  uri: string;
  port: number;
  stop(): Promise<void>;
}

/** How often TTL indexes are applied (MongoDB's TTL monitor also runs every 60 s). */
const TTL_INTERVAL_MS = 60_000;

/** Starts the store; with `dataDir` it first replays the journal found there. */
export async function startEmbeddedStore(opts: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const engine = new Engine();
  const journal = opts.dataDir ? new Journal({ dir: opts.dataDir, logger }) : undefined;
  journal?.open(engine);
  const server = new StoreServer({ engine, journal, logger });
  const port = await server.listen(opts.port ?? 0, host);
  const uriHost = host.includes(':') ? `[${host}]` : host;
  logger.info({ category: 'store', port, persistent: Boolean(journal) }, 'embedded store listening');
  const ttl = setInterval(() => {
    const removed = engine.expireTtl(Date.now());
    try {
      journal?.append(engine.drain(), engine);
    } catch (err) {
      logger.error({ category: 'store', err: (err as Error).message }, 'journal write failed');
    }
    if (removed) logger.info({ category: 'store', removed }, 'expired documents removed');
  }, TTL_INTERVAL_MS);
  ttl.unref();
  let stopped: Promise<void> | undefined;
  return {
    uri: `mongodb://${uriHost}:${port}`,
    port,
    stop: () => {
      stopped ??= (async () => {
        clearInterval(ttl);
        await server.close();
        journal?.close(engine);
        logger.info({ category: 'store', port }, 'embedded store stopped');
      })();
      return stopped;
    },
  };
}
