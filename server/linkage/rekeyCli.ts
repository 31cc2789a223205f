/**
 * `npm run --silent linkage:rekey -- [--batch-size N]`
 *
 * Re-keys the stored encounters now (server/linkage/rekey.ts): every record whose blocking values
 * were computed under other blocking keys than the shipped matching model's gets fresh ones. The
 * workers do the same once per blocking version when they start; this is for an operator who
 * wants it done (or checked) on demand. Connects to MONGODB_URI (database MONGODB_DB or
 * crisis_care; for the embedded store, the URI `npm run store` prints). Progress goes to stderr;
 * a final `scanned=N updated=M` line to stdout. Exit 0 done, 1 failed, 2 bad usage.
 */
import mongoose from 'mongoose';
import { withDatabase } from '../store/connection';
import { rekeyEncounters, REKEY_BATCH_SIZE } from './rekey';
import { blockingVersionOf } from './subject';
import { PROCESS_IO, progressLog, UsageError, type CliIo } from '../cliIo';

const USAGE = 'usage: MONGODB_URI=mongodb://… npm run --silent linkage:rekey -- [--batch-size N]\n';

function parseArgs(argv: readonly string[]): { batchSize: number } {
  const args = { batchSize: REKEY_BATCH_SIZE };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag !== '--batch-size') throw new UsageError(flag.startsWith('--') ? `unknown option ${flag}` : `unexpected argument ${flag}`);
    const n = Number(argv[++i]);
    if (argv[i] === undefined || !Number.isInteger(n) || n < 1) throw new UsageError('--batch-size needs a positive whole number');
    args.batchSize = n;
  }
  return args;
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env, io: CliIo = PROCESS_IO): Promise<number> {
  let args: { batchSize: number };
  try {
    args = parseArgs(argv);
    if (!env.MONGODB_URI) throw new UsageError('MONGODB_URI is not set');
  } catch (err) {
    io.err(`linkage:rekey: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const log = progressLog(io, 'rekey');
  try {
    // Writes only existing records: no index builds, no collections created.
    await mongoose.connect(withDatabase(env.MONGODB_URI as string, env.MONGODB_DB || 'crisis_care'), { serverSelectionTimeoutMS: 10_000, autoIndex: false, autoCreate: false });
    log(`blocking version ${blockingVersionOf()}`);
    const result = await rekeyEncounters({ batchSize: args.batchSize, onProgress: (p) => log(`scanned ${p.scanned}, updated ${p.updated}`) });
    io.out(`scanned=${result.scanned} updated=${result.updated}\n`);
    return 0;
  } catch (err) {
    io.err(`linkage:rekey: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await mongoose.disconnect().catch(() => undefined);
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
