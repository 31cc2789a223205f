/**
 * `npm run --silent linkage:train -- [--csv FILE | --febrl FILE] [--labels FILE] [--out FILE]
 * [--config FILE] [--seed N] [--u-pairs N] [--max-iterations N] [--keep-prior]`
 *
 * Estimates the matching model's m and u (and its prior) from records, and writes the whole model
 * with the new figures to --out (default config/domain/matching.trained.json; the shipped
 * matching.json is only overwritten when --out names it). Records come from a CSV with the columns
 * of `npm run link`, from a FEBRL sample file (whose known truth also gives the pairwise F1 of the
 * starting and the trained model), or, with neither, from the subjects of the stored encounters
 * (MONGODB_URI, database MONGODB_DB or crisis_care; read only). Progress goes to stderr; the
 * estimates and a final key=value line to stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { defaultDomainDir, domainConfig, type MatchingConfig } from '../../config/domain';
import { Encounter } from '../../server/models/Encounter';
import { withDatabase } from '../../server/store/connection';
import { readRecords } from './cli';
import { loadFebrl } from './febrl';
import { linkBatch, tuneHeapForBatch } from './link';
import { pairwiseQuality } from './metrics';
import type { LinkRecord } from './normalise';
import { readLabels, trainMatching, validateMatching, type TrainResult } from './train';
import { PROCESS_IO, progressLog, UsageError, type CliIo } from '../../server/cliIo';

const USAGE =
  'usage: npm run --silent linkage:train -- [--csv FILE | --febrl FILE] [--labels FILE] [--out FILE] [--config FILE]\n' +
  '         [--seed N] [--u-pairs N] [--max-iterations N] [--keep-prior]\n' +
  '       without --csv or --febrl, reads the stored encounters (MONGODB_URI, MONGODB_DB)\n';

/** Parsed command line. */
export interface TrainArgs {
  csv?: string;
  febrl?: string;
  labels?: string;
  out: string;
  config?: string;
  seed: number;
  uPairs: number;
  maxIterations: number;
  keepPrior: boolean;
}

/** Where the trained model goes unless --out says otherwise. */
export function defaultTrainedFile(): string {
  return path.join(defaultDomainDir(), 'matching.trained.json');
}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a positive whole number`);
  return n;
}

/** Parses the command line; throws a usage error on anything it does not know. */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  const args: TrainArgs = { out: defaultTrainedFile(), seed: 1, uPairs: 1_000_000, maxIterations: 500, keepPrior: false };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--csv': args.csv = value(++i, a); break;
      case '--febrl': args.febrl = value(++i, a); break;
      case '--labels': args.labels = value(++i, a); break;
      case '--out': args.out = value(++i, a); break;
      case '--config': args.config = value(++i, a); break;
      case '--seed': args.seed = positiveInt(a, argv[++i]); break;
      case '--u-pairs': args.uPairs = positiveInt(a, argv[++i]); break;
      case '--max-iterations': args.maxIterations = positiveInt(a, argv[++i]); break;
      case '--keep-prior': args.keepPrior = true; break;
      default: throw new UsageError(a.startsWith('--') ? `unknown option ${a}` : `unexpected argument ${a}`);
    }
  }
  if (args.csv && args.febrl) throw new UsageError('give --csv or --febrl, not both');
  return args;
}

/** The starting model: --config, or the shipped matching.json. */
function loadConfig(file?: string): MatchingConfig {
  if (!file) return domainConfig().matching;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${err instanceof SyntaxError ? `invalid JSON: ${err.message}` : (err as Error).message}`);
  }
  return validateMatching(data, file);
}

/**
 * The subjects of every stored encounter as link records (record id = encounter id, agency = its
 * agency id), read with a cursor. Connects without building indexes or creating collections, and
 * writes nothing.
 */
export async function readStoredRecords(uri: string, db: string, log: (line: string) => void = () => undefined): Promise<LinkRecord[]> {
  const connection = await mongoose.connect(withDatabase(uri, db), { serverSelectionTimeoutMS: 10_000, autoIndex: false, autoCreate: false });
  try {
    const records: LinkRecord[] = [];
    const cursor = Encounter.find({}, { agencyId: 1, subject: 1 }).lean().cursor({ batchSize: 5000 });
    for await (const e of cursor) {
      const s = e.subject;
      records.push({
        recordId: String(e._id),
        agency: e.agencyId ? String(e.agencyId) : '',
        givenName: s?.givenName ?? '',
        familyName: s?.familyName ?? '',
        dateOfBirth: s?.dateOfBirth ?? '',
        nhsNumber: s?.nhsNumber ?? '',
        postcode: s?.postcode ?? '',
        address: s?.address ?? '',
      });
      if (records.length % 100_000 === 0) log(`read ${records.length} encounters`);
    }
    return records;
  } finally {
    await connection.disconnect();
  }
}

/** The estimates as a fixed-width table, one comparison level a line. */
export function formatEstimates(result: TrainResult): string {
  const lines = [`${'comparison'.padEnd(15)}${'level'.padEnd(22)}${'m'.padStart(11)}${'u'.padStart(12)}${'weight'.padStart(9)}`];
  const p = (x: number) => (x < 0.001 ? x.toExponential(3) : x.toFixed(5));
  for (const l of result.levels) {
    lines.push(`${l.comparison.padEnd(15)}${l.level.padEnd(22)}${p(l.m).padStart(11)}${p(l.u).padStart(12)}${l.weight.toFixed(2).padStart(9)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the model as JSON (validated again first), through a temporary file so a reader never sees half of it. */
export function writeMatching(file: string, config: MatchingConfig): void {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  validateMatching(JSON.parse(text), file);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Runs the command; resolves with the exit code (0 done, 1 failed, 2 bad usage). */
export async function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env, io: CliIo = PROCESS_IO): Promise<number> {
  let args: TrainArgs;
  try {
    args = parseTrainArgs(argv);
    if (!args.csv && !args.febrl && !env.MONGODB_URI) throw new UsageError('give --csv FILE or --febrl FILE, or set MONGODB_URI to read the stored encounters');
  } catch (err) {
    io.err(`linkage:train: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const log = progressLog(io, 'train');
  try {
    const config = loadConfig(args.config);
    let records: LinkRecord[];
    let truth: Int32Array | undefined;
    if (args.csv) records = readRecords(args.csv);
    else if (args.febrl) ({ records, truth } = loadFebrl(args.febrl));
    else records = await readStoredRecords(env.MONGODB_URI as string, env.MONGODB_DB || 'crisis_care', log);
    log(`read ${records.length} records from ${args.csv ?? args.febrl ?? 'the stored encounters'}`);
    const labels = args.labels ? readLabels(args.labels) : undefined;
    if (labels) log(`read ${labels.length} labelled pairs from ${args.labels}`);

    const result = trainMatching(records, {
      config,
      seed: args.seed,
      uPairs: args.uPairs,
      maxIterations: args.maxIterations,
      labels,
      keepPrior: args.keepPrior,
      onProgress: log,
    });
    if (result.unknownLabels) log(`warning: ${result.unknownLabels} labels name a record that is not in the input; ignored`);
    if (result.unestimated.length) log(`kept the starting m and u of ${result.unestimated.join(', ')}: no pair had values for them`);
    if (!result.converged) log(`warning: EM did not converge within ${args.maxIterations} iterations; the estimate is written anyway`);
    writeMatching(args.out, result.config);
    log(`wrote ${args.out}`);

    const figures: Record<string, string | number | boolean> = {
      pairs: result.candidatePairs,
      iterations: result.iterations,
      lambda: result.lambda,
      converged: result.converged,
      records: result.records,
      session_pairs: result.sessionPairs,
      sessions: result.sessions.length,
      random_pairs: result.randomPairs,
      labelled_pairs: result.labelledPairs,
      lambda_candidates: Number(result.lambdaCandidates.toPrecision(6)),
    };
    let report = formatEstimates(result);
    if (truth) {
      const before = pairwiseQuality(linkBatch(records, { config }).clusters, truth);
      const after = pairwiseQuality(linkBatch(records, { config: result.config }).clusters, truth);
      const q = (x: typeof before) => `precision ${x.precision.toFixed(4)} recall ${x.recall.toFixed(4)} F1 ${x.f1.toFixed(4)}`;
      report += `starting model: ${q(before)}\ntrained model:  ${q(after)}\n`;
      figures.f1_start = Number(before.f1.toFixed(4));
      figures.f1_trained = Number(after.f1.toFixed(4));
    }
    io.out(`${report}${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
    return 0;
  } catch (err) {
    io.err(`linkage:train: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  tuneHeapForBatch();
  void main().then((code) => {
    process.exitCode = code;
  });
}
