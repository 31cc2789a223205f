/**
 * Batch linking from the command line, with exactly the worker's normalisation, blocking and
 * scoring: `npm run --silent link -- <records.csv> --out <clusters.csv> [--config matching.json]`.
 * Input columns: record_id, agency, given_name, family_name, date_of_birth, nhs_number, postcode,
 * address, identifier (any order; empty cells allowed). Output: record_id, person_id. Progress goes
 * to stderr, never record contents.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { domainConfig, type MatchingConfig } from '../../config/domain';
import { matchingSchema } from '../../config/domain/schemas';
import { csvField, parseCsv } from './csv';
import { linkBatch, tuneHeapForBatch } from './link';
import type { LinkRecord } from './normalise';

const COLUMNS = ['record_id', 'agency', 'given_name', 'family_name', 'date_of_birth', 'nhs_number', 'postcode', 'address', 'identifier'] as const;

/** Reads the input file into link records; throws on a missing record_id column or duplicate ids. */
export function readRecords(file: string): LinkRecord[] {
  const rows = parseCsv(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (rows.length === 0) throw new Error(`${file}: empty file`);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const at = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  if (at.record_id < 0) throw new Error(`${file}: no record_id column`);
  const cell = (row: string[], col: number) => (col >= 0 ? (row[col] ?? '').trim() : '');
  const seen = new Set<string>();
  return rows.slice(1).map((row, i) => {
    const recordId = cell(row, at.record_id);
    if (!recordId) throw new Error(`${file}:${i + 2}: empty record_id`);
    if (seen.has(recordId)) throw new Error(`${file}:${i + 2}: duplicate record_id`);
    seen.add(recordId);
    return {
      recordId,
      agency: cell(row, at.agency),
      givenName: cell(row, at.given_name),
      familyName: cell(row, at.family_name),
      dateOfBirth: cell(row, at.date_of_birth),
      nhsNumber: cell(row, at.nhs_number),
      postcode: cell(row, at.postcode),
      address: cell(row, at.address),
      identifier: cell(row, at.identifier),
    };
  });
}

function usage(message?: string): never {
  if (message) process.stderr.write(`link: ${message}\n`);
  process.stderr.write('usage: npm run --silent link -- <records.csv> --out <clusters.csv> [--config matching.json]\n');
  process.exit(2);
}

function parseArgs(argv: string[]): { input: string; out: string; config?: string } {
  let input: string | undefined, out: string | undefined, config: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i];
    else if (a === '--config') config = argv[++i];
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (input === undefined) input = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!input) usage('no input file');
  if (!out) usage('no --out file');
  return { input, out, config };
}

function loadConfig(file?: string): MatchingConfig {
  if (!file) return domainConfig().matching;
  const parsed = matchingSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

function main(): void {
  tuneHeapForBatch();
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`[link ${((performance.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
  const config = loadConfig(args.config);
  const records = readRecords(args.input);
  log(`read ${records.length} records`);
  let lastStage = '';
  const result = linkBatch(records, {
    config,
    onProgress: (stage, done, total) => {
      if (stage !== lastStage || done === total || done % 500_000 === 0) log(`${stage} ${done}/${total}`);
      lastStage = stage;
    },
  });
  const lines = ['record_id,person_id'];
  for (let i = 0; i < records.length; i++) lines.push(`${csvField(records[i].recordId)},P${result.clusters[i] + 1}`);
  fs.writeFileSync(args.out, `${lines.join('\n')}\n`);
  let people = 0;
  for (const c of result.clusters) if (c >= people) people = c + 1;
  log(`${records.length} records, ${people} people, ${result.candidatePairs} candidate pairs (scored on ${result.threads} thread${result.threads > 1 ? 's' : ''}), ${result.linkedPairs} linked, ${result.reviewPairs} between thresholds → ${args.out}`);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`link: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
