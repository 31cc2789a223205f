/**
 * The embedded store in its own process (as `npm run store` runs it), so the code under
 * measurement and the store each get a core, as an application and a database would in
 * production. With MONGODB_URI set, that server is used instead and nothing is started.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface StoreProcess {
  /** Server address without a database name, e.g. `mongodb://127.0.0.1:40123`. */
  uri: string;
  /** The embedded store's process id (absent for a MongoDB named by MONGODB_URI). */
  pid?: number;
  stop(): Promise<void>;
}

/** A child process of the benchmark: the line that said it was ready, and how to stop it. */
export interface BenchProcess {
  ready: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point of the project (`args[0]`, relative to the root) in its own
 * process and resolves with the first stdout line matching `ready`; rejects if it exits first.
 * The child is stopped (SIGTERM) if the benchmark exits without stopping it. With BENCH_CPU_PROF=DIR
 * set, each child writes a V8 CPU profile into DIR when it exits (to see where a child's time goes).
 */
export async function startBenchProcess(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<BenchProcess> {
  const root = path.resolve(__dirname, '..');
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, args[0]), ...args.slice(1)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.on('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  const lines = readline.createInterface({ input: child.stdout });
  const line = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => {
      if (ready.test(l)) resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code})`)));
  });
  child.removeAllListeners('exit');
  return {
    ready: line,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function startStoreProcess(): Promise<StoreProcess> {
  if (process.env.MONGODB_URI) {
    const u = new URL(process.env.MONGODB_URI);
    u.pathname = '';
    return { uri: u.toString().replace(/\/$/, ''), stop: async () => {} };
  }
  const store = await startBenchProcess(['server/store/embedded/cli.ts', '--port', '0'], /^mongodb:\/\//);
  return { uri: store.ready.trim().replace(/\/$/, ''), pid: store.pid, stop: store.stop };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); NaN where unreadable. */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** Linux's USER_HZ: /proc counts CPU time in these ticks. */
const CLOCK_TICKS_PER_S = 100;
