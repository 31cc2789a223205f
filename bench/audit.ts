/**
 * Audit log benchmark (`npm run bench:audit`): appends to the hash-chained log through the real
 * append path into the embedded store (in its own process) or MONGODB_URI, then verifies the chain.
 * Measures one-at-a-time appends (what a request waits for when nothing else is writing),
 * appends with many requests in flight (group commit: everything waiting goes in one ordered
 * insert), and verification speed. Events carry ids only, as real ones do.
 * Ends with one key=value summary line.
 */
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import '../server/store/connection';
import { appendAudit, type AuditInput } from '../server/audit/log';
import { verifyChain } from '../server/audit/verify';
import { AuditEvent } from '../server/models/AuditEvent';
import { startStoreProcess } from './storeProcess';
import { readEvent } from '../test/audit/helpers';

const SEQUENTIAL = Number(process.env.SEQUENTIAL ?? 2000);
const CONCURRENT = Number(process.env.CONCURRENT ?? 10_000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 64);

/** A plausible read event (ids only), as the audit tests use. */
const event = (i: number): AuditInput => readEvent(i, { requestId: `bench-${i}` });

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  const store = await startStoreProcess();
  await mongoose.connect(`${store.uri}/bench_audit_${process.pid}`);
  try {
    await AuditEvent.init();

    const latencies: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t = performance.now();
      await appendAudit(event(i));
      latencies.push(performance.now() - t);
    }
    const sequentialRate = SEQUENTIAL / ((performance.now() - t0) / 1000);
    latencies.sort((a, b) => a - b);
    console.log(`sequential: ${SEQUENTIAL} appends, ${sequentialRate.toFixed(0)}/s, p50 ${pct(latencies, 50).toFixed(2)} ms, p99 ${pct(latencies, 99).toFixed(2)} ms`);

    let next = SEQUENTIAL;
    const end = SEQUENTIAL + CONCURRENT;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < end) await appendAudit(event(next++));
      }),
    );
    const concurrentRate = CONCURRENT / ((performance.now() - t1) / 1000);
    console.log(`concurrent: ${CONCURRENT} appends with ${IN_FLIGHT} in flight, ${concurrentRate.toFixed(0)}/s`);

    const t2 = performance.now();
    const result = await verifyChain();
    const verifyRate = result.count / ((performance.now() - t2) / 1000);
    console.log(`verify: ${result.count} events, ${verifyRate.toFixed(0)}/s, intact=${result.ok}`);

    console.log(
      `sequential_per_s=${sequentialRate.toFixed(0)} append_p99_ms=${pct(latencies, 99).toFixed(2)} concurrent_per_s=${concurrentRate.toFixed(0)} ` +
        `verify_per_s=${verifyRate.toFixed(0)} events=${result.count} intact=${result.ok && result.count === end}`,
    );
    if (!result.ok || result.count !== end) process.exitCode = 1;
  } finally {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await store.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
