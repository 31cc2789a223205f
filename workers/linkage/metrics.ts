/**
 * Pairwise quality of a clustering against known truth, without enumerating pairs: counts come
 * from the sizes of clusters, true entities and their intersections.
 */

/** Pairwise precision, recall and F1, with the pair counts they come from. */
export interface PairwiseQuality {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function sizes(keys: Iterable<string | number>): Map<string | number, number> {
  const m = new Map<string | number, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Pairwise precision/recall/F1 of predicted cluster labels against true entity labels. */
export function pairwiseQuality(predicted: ArrayLike<number>, truth: ArrayLike<number>): PairwiseQuality {
  const n = predicted.length;
  const both = function* () {
    for (let i = 0; i < n; i++) yield `${predicted[i]}:${truth[i]}`;
  };
  const sum = (m: Map<string | number, number>) => [...m.values()].reduce((acc, s) => acc + pairs(s), 0);
  const predictedPairs = sum(sizes(Array.from(predicted)));
  const truePairs = sum(sizes(Array.from(truth)));
  const correctPairs = sum(sizes(both()));
  const precision = predictedPairs ? correctPairs / predictedPairs : 1;
  const recall = truePairs ? correctPairs / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs };
}

/** Number of true pairs (records with the same truth label). */
export function truePairCount(truth: ArrayLike<number>): number {
  const m = sizes(Array.from(truth));
  let total = 0;
  for (const s of m.values()) total += pairs(s);
  return total;
}
