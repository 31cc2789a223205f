/**
 * String similarity measures used by the comparison levels. They read characters from one byte
 * array (the packed records' text, see packed.ts) at given offsets and use reused buffers, so
 * scoring millions of pairs allocates nothing. The string forms at the end copy their arguments
 * into a scratch array first (one byte per character: for ASCII text, as every normalised field is).
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro similarity in [0, 1] of s[a, a+la) and s[b, b+lb). */
export function jaroAt(s: Uint8Array, a: number, la: number, b: number, lb: number): number {
  if (la === 0 || lb === 0) return 0;
  if (equalAt(s, a, la, b, lb)) return 1;
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range), hi = Math.min(lb - 1, i + range);
    const c = s[a + i];
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && s[b + j] === c) {
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
    if (s[a + i] !== s[b + k]) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/** Jaro–Winkler similarity (prefix scale 0.1, up to 4 prefix characters) of s[a, a+la) and s[b, b+lb). */
export function jaroWinklerAt(s: Uint8Array, a: number, la: number, b: number, lb: number): number {
  const j = jaroAt(s, a, la, b, lb);
  if (j === 0 || j === 1) return j;
  const max = Math.min(4, la, lb);
  let prefix = 0;
  while (prefix < max && s[a + prefix] === s[b + prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

const charCounts = new Int32Array(256);

/**
 * jaroWinklerAt for a caller that only compares the result with thresholds of `floor` or more: the
 * same value when it reaches floor, else some value below floor. Most pairs of unrelated names are
 * told apart by a cheap upper bound (Jaro with every character the two texts have in common
 * matched and none transposed, raised by their actual common prefix) without computing Jaro.
 */
export function jaroWinklerAtLeast(s: Uint8Array, a: number, la: number, b: number, lb: number, floor: number): number {
  if (floor > 0 && la > 0 && lb > 0) {
    for (let k = 0; k < la; k++) charCounts[s[a + k]]++;
    let common = 0;
    for (let k = 0; k < lb; k++) {
      const c = s[b + k];
      if (charCounts[c] > 0) {
        charCounts[c]--;
        common++;
      }
    }
    for (let k = 0; k < la; k++) charCounts[s[a + k]] = 0;
    const max = Math.min(4, la, lb);
    let prefix = 0;
    while (prefix < max && s[a + prefix] === s[b + prefix]) prefix++;
    const bound = (common / la + common / lb + 1) / 3;
    if (bound + prefix * 0.1 * (1 - bound) < floor) return 0;
  }
  return jaroWinklerAt(s, a, la, b, lb);
}

/** Whether s[a, a+la) and s[b, b+lb) hold the same characters. */
export function equalAt(s: Uint8Array, a: number, la: number, b: number, lb: number): boolean {
  if (la !== lb) return false;
  if (a === b) return true;
  for (let k = 0; k < la; k++) if (s[a + k] !== s[b + k]) return false;
  return true;
}

/** Whether two texts are at most one edit apart (insert, delete, substitute or swap neighbours). */
export function withinOneEditAt(s: Uint8Array, a: number, la: number, b: number, lb: number): boolean {
  if (equalAt(s, a, la, b, lb)) return true;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  const min = Math.min(la, lb);
  while (i < min && s[a + i] === s[b + i]) i++;
  if (la === lb) {
    // Substitution at i, or a swap of i and i+1.
    if (equalAt(s, a + i + 1, la - i - 1, b + i + 1, lb - i - 1)) return true;
    return i + 1 < la && s[a + i] === s[b + i + 1] && s[a + i + 1] === s[b + i] && equalAt(s, a + i + 2, la - i - 2, b + i + 2, lb - i - 2);
  }
  return la > lb ? equalAt(s, a + i + 1, la - i - 1, b + i, lb - i) : equalAt(s, a + i, la - i, b + i + 1, lb - i - 1);
}

/** Optimal-string-alignment (restricted Damerau–Levenshtein) distance of two texts. */
export function damerauLevenshteinAt(s: Uint8Array, a: number, la: number, b: number, lb: number): number {
  if (la === 0) return lb;
  if (lb === 0) return la;
  const w = lb + 1;
  const d = new Int32Array((la + 1) * w);
  for (let i = 0; i <= la; i++) d[i * w] = i;
  for (let j = 0; j <= lb; j++) d[j] = j;
  for (let i = 1; i <= la; i++) {
    for (let j = 1; j <= lb; j++) {
      const cost = s[a + i - 1] === s[b + j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
      if (i > 1 && j > 1 && s[a + i - 1] === s[b + j - 2] && s[a + i - 2] === s[b + j - 1]) {
        v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
      }
      d[i * w + j] = v;
    }
  }
  return d[la * w + lb];
}

/** Whether two texts are within `max` edits. */
export function withinEditsAt(s: Uint8Array, a: number, la: number, b: number, lb: number, max: number): boolean {
  if (max === 1) return withinOneEditAt(s, a, la, b, lb);
  if (Math.abs(la - lb) > max) return false;
  return damerauLevenshteinAt(s, a, la, b, lb) <= max;
}

/** Jaccard overlap of the sorted, unique ids ids[a, a+la) and ids[b, b+lb). */
export function jaccardAt(ids: ArrayLike<number>, a: number, la: number, b: number, lb: number): number {
  if (la === 0 || lb === 0) return 0;
  let i = 0, j = 0, common = 0;
  while (i < la && j < lb) {
    const x = ids[a + i], y = ids[b + j];
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (la + lb - common);
}

let scratch = new Uint8Array(128);

/** Copies x then y into the scratch array (one byte per character) and applies a measure to them. */
function onStrings<T>(x: string, y: string, measure: (s: Uint8Array, a: number, la: number, b: number, lb: number) => T): T {
  if (x.length + y.length > scratch.length) scratch = new Uint8Array((x.length + y.length) * 2);
  for (let k = 0; k < x.length; k++) scratch[k] = x.charCodeAt(k);
  for (let k = 0; k < y.length; k++) scratch[x.length + k] = y.charCodeAt(k);
  return measure(scratch, 0, x.length, x.length, y.length);
}

/** Jaro similarity of two strings. */
export const jaro = (x: string, y: string): number => onStrings(x, y, jaroAt);
/** Jaro–Winkler similarity of two strings. */
export const jaroWinkler = (x: string, y: string): number => onStrings(x, y, jaroWinklerAt);
/** Whether two strings are at most one edit apart. */
export const withinOneEdit = (x: string, y: string): boolean => onStrings(x, y, withinOneEditAt);
/** Restricted Damerau–Levenshtein distance of two strings. */
export const damerauLevenshtein = (x: string, y: string): number => onStrings(x, y, damerauLevenshteinAt);

/** Jaccard overlap of two sorted, unique id arrays. */
export function jaccard(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const ids = new Int32Array(x.length + y.length);
  ids.set(x as ArrayLike<number>);
  ids.set(y as ArrayLike<number>, x.length);
  return jaccardAt(ids, 0, x.length, x.length, y.length);
}
