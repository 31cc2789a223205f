/**
 * `npm run audit:verify`: checks the audit chain and the signed checkpoints, prints a one-line
 * verdict and a key=value summary, and exits 0 (intact), 1 (broken: names the first broken seq)
 * or 2 (could not check: bad arguments, no database, unreadable key).
 *
 *   MONGODB_URI=mongodb://… [MONGODB_DB=crisis_care] npm run audit:verify -- \
 *     [--checkpoints DIR] [--public-key FILE]… [--no-checkpoints]
 *
 * DIR defaults to $DATA_DIR/audit (DATA_DIR defaults to `data`); FILE to DIR/audit-signing-key.pub.pem
 * (repeat --public-key to accept checkpoints from rotated keys).
 */
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { withDatabase } from '../store/connection';
import { CheckpointFileError, PUBLIC_KEY_FILE, readCheckpoints } from './checkpoints';
import { verifyChain, type VerifyResult } from './verify';

interface Args {
  checkpoints: string;
  publicKeys: string[];
  useCheckpoints: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Args {
  const args: Args = { checkpoints: path.join(env.DATA_DIR || 'data', 'audit'), publicKeys: [], useCheckpoints: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--checkpoints') args.checkpoints = value();
    else if (flag === '--public-key') args.publicKeys.push(value());
    else if (flag === '--no-checkpoints') args.useCheckpoints = false;
    else throw new UsageError(`unknown argument ${flag}`);
  }
  if (args.publicKeys.length === 0) args.publicKeys.push(path.join(args.checkpoints, PUBLIC_KEY_FILE));
  return args;
}

function summary(r: VerifyResult, extra: Record<string, string | number | boolean> = {}): string {
  const fields: Record<string, string | number | boolean> = {
    events: r.count, last_seq: r.lastSeq, last_hash: r.lastHash, checkpoints: r.checkpoints, ok: r.ok,
  };
  if (r.firstBroken) Object.assign(fields, { first_broken_seq: r.firstBroken.seq, problem: r.firstBroken.problem });
  return Object.entries({ ...fields, ...extra }).map(([k, v]) => `${k}=${v}`).join(' ');
}

async function verifyWith(args: Args): Promise<VerifyResult> {
  if (!args.useCheckpoints) return verifyChain();
  let checkpoints;
  try {
    checkpoints = await readCheckpoints(args.checkpoints);
  } catch (err) {
    if (!(err instanceof CheckpointFileError)) throw err;
    const base = await verifyChain();
    return { ...base, ok: false, firstBroken: { seq: 0, problem: 'checkpoint_mismatch', detail: err.message } };
  }
  if (checkpoints.length === 0) {
    process.stderr.write(`warning: no checkpoints in ${args.checkpoints}: a truncated or re-hashed tail cannot be detected\n`);
    return verifyChain();
  }
  const keys = args.publicKeys.map((file) => fs.readFileSync(file, 'utf8'));
  return verifyChain({ checkpoints, publicKeyPem: keys });
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv, env);
  } catch (err) {
    process.stderr.write(`audit:verify: ${(err as Error).message}\n`);
    return 2;
  }
  if (!env.MONGODB_URI) {
    process.stderr.write('audit:verify: MONGODB_URI is not set\n');
    return 2;
  }
  try {
    await mongoose.connect(withDatabase(env.MONGODB_URI, env.MONGODB_DB || 'crisis_care'), { serverSelectionTimeoutMS: 10_000 });
    const r = await verifyWith(args);
    const verdict = r.ok
      ? `audit chain intact: ${r.count} events, ${r.checkpoints} signed checkpoints verified`
      : `audit chain BROKEN at seq ${r.firstBroken!.seq}: ${r.firstBroken!.problem} (${r.firstBroken!.detail})`;
    process.stdout.write(`${verdict}\n${summary(r)}\n`);
    return r.ok ? 0 : 1;
  } catch (err) {
    process.stderr.write(`audit:verify: could not verify: ${(err as Error).message}\n`);
    return 2;
  } finally {
    await mongoose.disconnect().catch(() => undefined);
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
