/**
 * String similarity measures used by the comparison levels. They work on char codes with reused
 * buffers, so scoring millions of pairs allocates nothing.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro similarity in [0, 1]. */
export function jaro(a: string, b: string): number {
  const la = a.length, lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (a === b) return 1;
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range), hi = Math.min(lb - 1, i + range);
    const c = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, k = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/** Jaro–Winkler similarity (prefix scale 0.1, up to 4 prefix characters). */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j === 0 || j === 1) return j;
  const max = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** Whether two strings are at most one edit apart (insert, delete, substitute or swap neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  const min = Math.min(la, lb);
  while (i < min && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // Substitution at i, or a swap of i and i+1.
    if (tailEqual(a, b, i + 1, i + 1)) return true;
    return i + 1 < la && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && tailEqual(a, b, i + 2, i + 2);
  }
  return la > lb ? tailEqual(a, b, i + 1, i) : tailEqual(a, b, i, i + 1);
}

function tailEqual(a: string, b: string, ia: number, ib: number): boolean {
  if (a.length - ia !== b.length - ib) return false;
  for (; ia < a.length; ia++, ib++) if (a.charCodeAt(ia) !== b.charCodeAt(ib)) return false;
  return true;
}

/** Optimal-string-alignment (restricted Damerau–Levenshtein) distance. */
export function damerauLevenshtein(a: string, b: string): number {
  const la = a.length, lb = b.length;
  if (la === 0) return lb;
  if (lb === 0) return la;
  const w = lb + 1;
  const d = new Int32Array((la + 1) * w);
  for (let i = 0; i <= la; i++) d[i * w] = i;
  for (let j = 0; j <= lb; j++) d[j] = j;
  for (let i = 1; i <= la; i++) {
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
      }
      d[i * w + j] = v;
    }
  }
  return d[la * w + lb];
}

/** Whether two strings are within `max` edits. */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (max === 1) return withinOneEdit(a, b);
  if (Math.abs(a.length - b.length) > max) return false;
  return damerauLevenshtein(a, b) <= max;
}

/** Jaccard overlap of two sorted, unique id arrays. */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const la = a.length, lb = b.length;
  if (la === 0 || lb === 0) return 0;
  let i = 0, j = 0, common = 0;
  while (i < la && j < lb) {
    const x = a[i], y = b[j];
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (la + lb - common);
}
