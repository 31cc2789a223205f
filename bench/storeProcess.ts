/**
 * The embedded store in its own process (as `npm run store` runs it), so the code under
 * measurement and the store each get a core, as an application and a database would in
 * production. With MONGODB_URI set, that server is used instead and nothing is started.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface StoreProcess {
  /** Server address without a database name, e.g. `mongodb://127.0.0.1:40123`. */
  uri: string;
  stop(): Promise<void>;
}

export async function startStoreProcess(): Promise<StoreProcess> {
  if (process.env.MONGODB_URI) {
    const u = new URL(process.env.MONGODB_URI);
    u.pathname = '';
    return { uri: u.toString().replace(/\/$/, ''), stop: async () => {} };
  }
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/store/embedded/cli.ts'), '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const uri = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => {
      if (l.startsWith('mongodb://')) resolve(l.trim().replace(/\/$/, ''));
    });
    child.once('exit', (code) => reject(new Error(`store process exited (${code})`)));
  });
  child.removeAllListeners('exit');
  return {
    uri,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
