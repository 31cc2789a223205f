/**
 * Runs the embedded store on its own: `npm run store -- --port 27017 [--data DIR]`.
 * Prints the URI; stops cleanly (compacting the journal) on SIGINT/SIGTERM.
 */
import { startEmbeddedStore, type StoreLogger } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** JSON lines: info to stdout, warnings and errors to stderr. */
const line = (stream: NodeJS.WriteStream, level: string) => (fields: object, msg: string) => {
  stream.write(`${JSON.stringify({ level, msg, ...fields })}\n`);
};
const logger: StoreLogger = {
  info: line(process.stdout, 'info'),
  warn: line(process.stderr, 'warn'),
  error: line(process.stderr, 'error'),
};

async function main(): Promise<void> {
  const portArg = arg('port');
  const port = portArg === undefined ? 27017 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid --port: ${portArg}`);
    process.exit(2);
  }
  const store = await startEmbeddedStore({ port, host: arg('host'), dataDir: arg('data'), logger });
  process.stdout.write(`${store.uri}\n`);
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
