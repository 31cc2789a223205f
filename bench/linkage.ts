/**
 * Record-linkage benchmark (`npm run bench:linkage [-- --quick] [--data DIR] [--records N]`):
 * pairwise precision/recall/F1 and blocking pair completeness on FEBRL dataset1 and dataset2;
 * wall time, peak RSS, candidate pairs per record, pair completeness and F1 on synthetic records
 * (1,000,000; 100,000 with --quick); and incremental linkOne latency. Ends with one key=value line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadFebrl } from '../workers/linkage/febrl';
import { linkBatch, LinkIndex, linkOne, tuneHeapForBatch } from '../workers/linkage/link';
import { pairwiseQuality, truePairCount } from '../workers/linkage/metrics';
import { normaliseRecord, type LinkRecord } from '../workers/linkage/normalise';
import { generateSynthetic } from './synthetic';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const repoRoot = path.resolve(__dirname, '..');
const dataDir = option('--data') ?? path.resolve(repoRoot, '../shared/data/febrl');
const syntheticSize = Number(option('--records') ?? (quick ? 100_000 : 1_000_000));
const incrementalQueries = quick ? 2_000 : 10_000;

const summary: Record<string, string | number> = {};
const fmt = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Links records in batch, counting candidate pairs that are true pairs and timing each stage. */
function evaluate(records: readonly LinkRecord[], truth: Int32Array) {
  let covered = 0;
  const t0 = performance.now();
  const stageMs: Record<string, number> = {};
  let last = t0;
  const result = linkBatch(records, {
    onCandidate: (i, j) => {
      if (truth[i] === truth[j]) covered++;
    },
    onProgress: (stage, done, total) => {
      if (done !== total || stage in stageMs) return;
      const now = performance.now();
      stageMs[stage] = now - last;
      last = now;
    },
  });
  const ms = performance.now() - t0;
  const quality = pairwiseQuality(result.clusters, truth);
  const completeness = covered / truePairCount(truth);
  return { ms, stageMs, quality, completeness, pairsPerRecord: result.candidatePairs / records.length };
}

function febrl(name: string): void {
  const file = path.join(dataDir, `${name}.csv`);
  if (!fs.existsSync(file)) {
    console.log(`FEBRL ${name}: skipped, ${file} not found (pass --data DIR)`);
    summary[`${name}_f1`] = 'na';
    return;
  }
  const { records, truth } = loadFebrl(file);
  const r = evaluate(records, truth);
  const q = r.quality;
  console.log(
    `FEBRL ${name}: ${records.length} records, ${q.truePairs} true pairs; precision ${q.precision.toFixed(4)} recall ${q.recall.toFixed(4)} ` +
      `F1 ${q.f1.toFixed(4)}; pair completeness ${r.completeness.toFixed(4)}; ${r.pairsPerRecord.toFixed(2)} candidate pairs/record; ${r.ms.toFixed(0)} ms`,
  );
  summary[`${name}_precision`] = fmt(q.precision);
  summary[`${name}_recall`] = fmt(q.recall);
  summary[`${name}_f1`] = fmt(q.f1);
  summary[`${name}_pc`] = fmt(r.completeness);
}

function synthetic(): void {
  const g0 = performance.now();
  const { records, truth } = generateSynthetic(syntheticSize);
  const genMs = performance.now() - g0;
  const r = evaluate(records, truth);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const q = r.quality;
  console.log(`synthetic: ${records.length} records generated in ${(genMs / 1000).toFixed(1)} s (not timed below)`);
  const stage = (name: string) => ((r.stageMs[name] ?? NaN) / 1000).toFixed(2);
  console.log(`synthetic: linked in ${(r.ms / 1000).toFixed(2)} s wall (normalise ${stage('normalise')} s, block ${stage('block')} s, score ${stage('score')} s); peak RSS ${rssMb.toFixed(0)} MB (whole process)`);
  console.log(`synthetic: ${r.pairsPerRecord.toFixed(2)} candidate pairs/record; pair completeness ${r.completeness.toFixed(4)}`);
  console.log(`synthetic: precision ${q.precision.toFixed(4)} recall ${q.recall.toFixed(4)} F1 ${q.f1.toFixed(4)}`);
  summary.synthetic_records = records.length;
  summary.synthetic_wall_s = fmt(r.ms / 1000, 2);
  summary.normalise_s = Number(stage('normalise'));
  summary.block_s = Number(stage('block'));
  summary.score_s = Number(stage('score'));
  summary.peak_rss_mb = Math.round(rssMb);
  summary.pairs_per_record = fmt(r.pairsPerRecord, 2);
  summary.synthetic_pc = fmt(r.completeness);
  summary.synthetic_f1 = fmt(q.f1);
}

/** linkOne latency: an index of the first records (person key = true person), then query the rest. */
function incremental(): void {
  const base = quick ? 100_000 : 200_000;
  const { records, truth } = generateSynthetic(base + incrementalQueries, 7);
  const index = new LinkIndex();
  for (let i = 0; i < base; i++) index.add(normaliseRecord(records[i]), `p${truth[i]}`);
  const times = new Float64Array(incrementalQueries);
  for (let q = 0; q < incrementalQueries; q++) {
    const i = base + q;
    const t0 = performance.now();
    const d = linkOne(records[i], index);
    times[q] = performance.now() - t0;
    index.add(records[i], d.decision === 'link' && d.personKey ? d.personKey : `n${i}`);
  }
  times.sort();
  const p = (x: number) => times[Math.min(times.length - 1, Math.floor(x * times.length))];
  console.log(
    `incremental: ${incrementalQueries} linkOne calls against an index of ${base}+ records; ` +
      `p50 ${p(0.5).toFixed(3)} ms p95 ${p(0.95).toFixed(3)} ms p99 ${p(0.99).toFixed(3)} ms`,
  );
  summary.link_one_p50_ms = fmt(p(0.5), 3);
  summary.link_one_p95_ms = fmt(p(0.95), 3);
}

function main(): void {
  tuneHeapForBatch();
  febrl('dataset1');
  febrl('dataset2');
  synthetic();
  incremental();
  console.log(Object.entries(summary).map(([k, v]) => `${k}=${v}`).join(' '));
}

main();
