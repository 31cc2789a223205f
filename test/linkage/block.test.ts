import { domainConfig } from '../../config/domain';
import { BatchBlocker, blockingKeyValues } from '../../workers/linkage/block';
import { normaliseRecord } from '../../workers/linkage/normalise';
import { generateSynthetic } from '../../bench/synthetic';

describe('BatchBlocker', () => {
  it('finds exactly the pairs sharing a string key value in a block no larger than maxBlockSize', () => {
    const config = domainConfig().matching;
    const small = { ...config, blocking: { ...config.blocking, maxBlockSize: 5 } };
    const { records } = generateSynthetic(3000, 11);
    const norm = records.map(normaliseRecord);
    const expected = new Set<string>();
    for (let k = 0; k < small.blocking.keys.length; k++) {
      const blocks = new Map<string, number[]>();
      norm.forEach((r, i) => {
        const v = blockingKeyValues(r, small.blocking.keys)[k];
        if (v === '') return;
        const b = blocks.get(v);
        if (b) b.push(i);
        else blocks.set(v, [i]);
      });
      for (const b of blocks.values()) {
        if (b.length > small.blocking.maxBlockSize) continue;
        for (let x = 0; x < b.length; x++) for (let y = x + 1; y < b.length; y++) expected.add(`${b[x]},${b[y]}`);
      }
    }
    const got = new Set<string>();
    const count = new BatchBlocker(norm.length, small).build(norm).forEachPair((i, j) => {
      expect(i).toBeLessThan(j);
      got.add(`${i},${j}`);
    });
    expect(count).toBe(got.size);
    expect(got.size).toBeGreaterThan(500);
    expect([...got].sort()).toEqual([...expected].sort());
  });
});
