/** What the operator commands (`linkage:train`, `linkage:rekey`) share: where they write, and a bad-usage error. */

/** Output streams (the process's own unless a caller, such as a test, captures them). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const PROCESS_IO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Bad arguments or environment: the command prints its usage and exits 2. */
export class UsageError extends Error {}
