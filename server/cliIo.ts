/** What the operator commands (`linkage:train`, `linkage:rekey`) share: where they write, timed progress lines, and a bad-usage error. */
import { performance } from 'node:perf_hooks';

/** Output streams (the process's own unless a caller, such as a test, captures them). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const PROCESS_IO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Progress lines on the error stream, each stamped with the seconds since this was called: `[tag 1.2s] line`. */
export function progressLog(io: CliIo, tag: string): (line: string) => void {
  const started = performance.now();
  return (line) => io.err(`[${tag} ${((performance.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
}

/** Bad arguments or environment: the command prints its usage and exits 2. */
export class UsageError extends Error {}
