/**
 * Scoring a batch's candidate pairs, on this thread and optionally on a second one at once. The
 * records are in chunks of consecutive positions; each thread takes the next chunk from a shared
 * counter until none is left, so a thread that starts late or runs slow simply takes fewer. Both
 * threads run this same code on the same packed records and blocks (SharedArrayBuffers).
 */
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MatchingConfig } from '../../config/domain';
import { forEachPairFrom, type Blocks, type BuildHelper } from './block';
import type { Scorer } from './compare';
import type { PackedState } from './packed';
import type { ScoreThreadData, ScoreThreadResult, ScoreThreadWork } from './scoreThread';
import { sharedArray } from './shared';

/** Positions in the shared control array. */
export const NEXT_CHUNK = 0, HELPER_STATE = 1, HELPER_DONE = 2;
/** HELPER_STATE values: the helper thread has not started, has started (and will finish), or may no longer start. */
export const NOT_STARTED = 0, STARTED = 1, CLOSED = 2;
/** Records per chunk. */
export const CHUNK = 8192;

/** What happens to the scored pairs. */
export interface PairSink {
  /** A pair at or above the upper threshold. */
  linked(p: number, q: number): void;
  /** Every pair with its match weight (only when someone asked to see them). */
  pair?: (p: number, q: number, score: number) => void;
}

/** Counts of what one thread scored. */
export interface ScoreCounts {
  /** Chunks taken. */
  chunks: number;
  candidates: number;
  linked: number;
  review: number;
}

/** Scores chunks taken from control[NEXT_CHUNK] until none is left; `seen` is this thread's own (n entries). */
export function scoreChunks(
  scorer: Scorer, packed: PackedState, blocks: Blocks, seen: Int32Array, control: Int32Array,
  thresholds: { upper: number; lower: number }, sink: PairSink, onChunk?: (done: number) => void,
): ScoreCounts {
  const { upper, lower } = thresholds;
  const counts: ScoreCounts = { chunks: 0, candidates: 0, linked: 0, review: 0 };
  const pair = sink.pair;
  seen.fill(-1);
  const visit = (p: number, q: number) => {
    const s = scorer.scorePacked(packed, p, q);
    if (s >= upper) {
      counts.linked++;
      sink.linked(p, q);
    } else if (s >= lower) counts.review++;
    if (pair) pair(p, q, s);
  };
  for (;;) {
    const from = Atomics.add(control, NEXT_CHUNK, 1) * CHUNK;
    if (from >= blocks.n) break;
    const to = Math.min(blocks.n, from + CHUNK);
    counts.chunks++;
    counts.candidates += forEachPairFrom(blocks, from, to, seen, visit);
    onChunk?.(to);
  }
  return counts;
}

/** The second scoring thread, seen from the main thread. */
export interface ScoreHelper {
  /** The control array both threads take chunks from. */
  readonly control: Int32Array;
  /** Hands over the packed records and blocks; the thread starts taking chunks when it gets them. */
  send(work: ScoreThreadWork): void;
  /** The thread as a helper in building the blocks (it builds some of the keys). */
  readonly build: BuildHelper;
  /**
   * Call once this thread has run out of chunks: waits (blocking) for the helper to finish what it
   * took and returns what it scored, or undefined when it never started (it then takes nothing).
   */
  finish(): Extract<ScoreThreadResult, { linkedPairs: Int32Array }> | undefined;
  /** Waits (blocking, up to a minute) until the thread has started on the work sent. */
  started(): void;
  /** Stops the thread without waiting for it (the batch failed). */
  cancel(): void;
}

/** How often finish() checks, while waiting, that the helper thread is still alive. */
const ALIVE_CHECK_MS = 200;

/** Starts the helper thread (call early: it loads while records are normalised). */
export function startScoreHelper(config: MatchingConfig): ScoreHelper {
  const control = sharedArray(Int32Array, 3);
  const { port1, port2 } = new MessageChannel();
  const ext = path.extname(__filename);
  const worker = new Worker(path.join(__dirname, `scoreThread${ext}`), {
    // Under a TypeScript loader (tests, tsx), the thread needs the loader too.
    execArgv: ext === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [],
    workerData: { config, control, port: port2 } satisfies ScoreThreadData,
    transferList: [port2],
  });
  // Never keeps the process alive, and its failures surface through finish().
  worker.unref();
  worker.on('error', () => undefined);
  const stop = () => {
    port1.close();
    void worker.terminate();
  };
  return {
    control,
    send: (work) => port1.postMessage(work),
    build: {
      share: (build) => port1.postMessage({ build }),
      alive: () => worker.threadId !== -1,
    },
    started() {
      const deadline = Date.now() + 60_000;
      while (Atomics.load(control, HELPER_STATE) === NOT_STARTED && Date.now() < deadline) Atomics.wait(control, HELPER_STATE, NOT_STARTED, ALIVE_CHECK_MS);
    },
    cancel() {
      Atomics.compareExchange(control, HELPER_STATE, NOT_STARTED, CLOSED);
      stop();
    },
    finish() {
      if (Atomics.compareExchange(control, HELPER_STATE, NOT_STARTED, CLOSED) === NOT_STARTED) {
        stop();
        return undefined;
      }
      while (Atomics.wait(control, HELPER_DONE, 0, ALIVE_CHECK_MS) === 'timed-out') {
        if (worker.threadId === -1 && Atomics.load(control, HELPER_DONE) === 0) {
          stop();
          throw new Error('linkBatch: the scoring thread stopped before finishing');
        }
      }
      const message = receiveMessageOnPort(port1)?.message as ScoreThreadResult | undefined;
      stop();
      if (!message) throw new Error('linkBatch: the scoring thread finished without a result');
      if ('error' in message) throw new Error(`linkBatch: the scoring thread failed: ${message.error}`);
      return message;
    },
  };
}
