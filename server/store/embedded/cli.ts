/**
 * Runs the embedded store on its own: `npm run store -- --port 27017 [--data DIR]`.
 * Prints the URI; stops cleanly (compacting the journal) on SIGINT/SIGTERM.
 */
import { startEmbeddedStore, type StoreLogger } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const logger: StoreLogger = {
  info: (fields, msg) => console.log(JSON.stringify({ level: 'info', msg, ...fields })),
  warn: (fields, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...fields })),
  error: (fields, msg) => console.error(JSON.stringify({ level: 'error', msg, ...fields })),
};

async function main(): Promise<void> {
  const portArg = arg('port');
  const port = portArg === undefined ? 27017 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid --port: ${portArg}`);
    process.exit(2);
  }
  const store = await startEmbeddedStore({ port, host: arg('host'), dataDir: arg('data'), logger });
  console.log(store.uri);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await store.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`embedded store failed to start: ${(err as Error).message}`);
  process.exit(1);
});
