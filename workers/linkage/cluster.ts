/**
 * Union-find over record indices: accepted pairs join their records' clusters transitively.
 */
import { sharedArray } from './shared';

/** Disjoint sets of 0..n-1 with path halving and union by size. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = sharedArray(Int32Array, n);
    this.size = sharedArray(Int32Array, n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  /** The representative of i's set. */
  find(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Joins the sets of i and j; false when they were already one. */
  union(i: number, j: number): boolean {
    let a = this.find(i), b = this.find(j);
    if (a === b) return false;
    if (this.size[a] < this.size[b]) [a, b] = [b, a];
    this.parent[b] = a;
    this.size[a] += this.size[b];
    return true;
  }

  /**
   * Cluster number per record, numbered 0, 1, 2… in order of each cluster's first record. With
   * positionOf, the sets are over positions and record i is at position positionOf[i].
   */
  labels(positionOf?: Int32Array): Int32Array {
    const n = this.parent.length;
    const byRoot = sharedArray(Int32Array, n).fill(-1);
    const out = sharedArray(Int32Array, n);
    let next = 0;
    for (let i = 0; i < n; i++) {
      const root = this.find(positionOf ? positionOf[i] : i);
      if (byRoot[root] < 0) byRoot[root] = next++;
      out[i] = byRoot[root];
    }
    return out;
  }
}
