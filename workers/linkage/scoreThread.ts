/**
 * The second scoring thread of a batch run (see scoring.ts): started before the records are
 * normalised, so it has loaded by the time there is work; it is then sent the packed records and
 * blocks, scores the chunks it takes, posts the pairs it linked (and, when asked, every pair with
 * its weight) on its port, and marks itself done in the control array, so the main thread can wait
 * for it synchronously.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { MatchingConfig } from '../../config/domain';
import { buildClaimedKeys, buildScratch, type Blocks, type BuildWork } from './block';
import { compileScorer } from './compare';
import { PackedRecords, type PackedState } from './packed';
import { HELPER_DONE, HELPER_STATE, NOT_STARTED, scoreChunks, STARTED, type ScoreCounts } from './scoring';
import { sharedArray } from './shared';

/** What the thread is started with. */
export interface ScoreThreadData {
  config: MatchingConfig;
  control: Int32Array;
  port: MessagePort;
}

/** The work, sent on the port once the records are packed and blocked. */
export interface ScoreThreadWork {
  packed: PackedState;
  blocks: Omit<Blocks, 'seen'>;
  /** Whether to send back every pair and its weight (someone watches candidates). */
  allPairs: boolean;
}

/** What the thread posts when it is done. */
export type ScoreThreadResult =
  | (ScoreCounts & { linkedPairs: Int32Array; pairs?: Int32Array; scores?: Float64Array })
  | { error: string };

/** A growable list of int32 values (pairs are pushed as two). */
class IntList {
  values = new Int32Array(1 << 16);
  length = 0;
  push(x: number): void {
    if (this.length === this.values.length) {
      const next = new Int32Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = x;
  }
  done(): Int32Array {
    return this.values.slice(0, this.length);
  }
}

function run({ config, control }: ScoreThreadData, work: ScoreThreadWork): ScoreThreadResult {
  const packed = PackedRecords.view(work.packed);
  const blocks: Blocks = { ...work.blocks, seen: sharedArray(Int32Array, work.blocks.n) };
  const allPairs = work.allPairs;
  const linked = new IntList();
  const pairs = allPairs ? new IntList() : undefined;
  let scores = allPairs ? new Float64Array(1 << 16) : undefined;
  const counts = scoreChunks(compileScorer(config), packed, blocks, blocks.seen, control, config.thresholds, {
    linked: (p, q) => {
      linked.push(p);
      linked.push(q);
    },
    pair: pairs && ((p, q, s) => {
      const at = pairs.length >> 1;
      if (at === scores!.length) {
        const next = new Float64Array(scores!.length * 2);
        next.set(scores!);
        scores = next;
      }
      scores![at] = s;
      pairs.push(p);
      pairs.push(q);
    }),
  });
  return { ...counts, linkedPairs: linked.done(), pairs: pairs?.done(), scores: scores?.slice(0, (pairs?.length ?? 0) >> 1) };
}

if (parentPort && workerData) {
  const data = workerData as ScoreThreadData;
  data.port.on('message', (message: ScoreThreadWork | { build: BuildWork }) => {
    // Building the blocks: build the keys still left (see BatchBlocker.build), then wait for the work.
    if ('build' in message) {
      const build = message.build;
      if (Atomics.load(build.progress, 0) < build.keys) buildClaimedKeys(build, buildScratch(build.n));
      return;
    }
    const work = message;
    // Either this thread starts before the main thread gives up on it, or it does nothing at all.
    if (Atomics.compareExchange(data.control, HELPER_STATE, NOT_STARTED, STARTED) !== NOT_STARTED) {
      data.port.close();
      return;
    }
    Atomics.notify(data.control, HELPER_STATE);
    let result: ScoreThreadResult;
    try {
      result = run(data, work);
    } catch (err) {
      result = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    const transfer = 'error' in result ? [] : [result.linkedPairs.buffer, ...(result.pairs ? [result.pairs.buffer, result.scores!.buffer] : [])];
    data.port.postMessage(result, transfer as ArrayBuffer[]);
    Atomics.store(data.control, HELPER_DONE, 1);
    Atomics.notify(data.control, HELPER_DONE);
    data.port.close();
  });
}
