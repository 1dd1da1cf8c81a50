import type { Vectors } from './vectors.js';

// MinHash locality-sensitive hashing: documents whose token sets overlap a lot (high Jaccard
// similarity) are likely to agree on all `rows` minimum hashes of at least one band, i.e. to
// share a bucket. With b bands of r rows, a pair with Jaccard J shares a bucket with
// probability 1 − (1 − J^r)^b: for 12 × 2, 0.39 at J = 0.2, 0.88 at J = 0.4.

/**
 * LSH bucket key per document and band. One-permutation MinHash: each term is hashed once
 * and falls into one of bands × rows bins; a bin keeps its minimum. Empty bins borrow from
 * the next non-empty bin (rotation densification, Shrivastava & Li 2014), so that every
 * bin is defined and two documents agree on a bin with probability about their Jaccard.
 */
export function lshBuckets(vec: Vectors, bands: number, rows: number): Int32Array {
  const k = bands * rows;
  const hashes = Int32Array.from(vec.termHash, (h) => mix(h ^ 0x5bd1e995));
  const out = new Int32Array(vec.count * bands);
  const mins = new Int32Array(k);
  const EMPTY = 0x7fffffff;
  for (let d = 0; d < vec.count; d++) {
    mins.fill(EMPTY);
    for (let p = vec.start[d]!; p < vec.start[d + 1]!; p++) {
      const h = hashes[vec.term[p]!]!;
      const bin = (h >>> 0) % k;
      const v = mix(h) & 0x3fffffff;
      if (v < mins[bin]!) mins[bin] = v;
    }
    for (let i = 0; i < k; i++) {
      if (mins[i] !== EMPTY) continue;
      for (let step = 1; step < k; step++) {
        const j = (i + step) % k;
        if (mins[j] !== EMPTY && mins[j]! < 0x40000000) { mins[i] = mix(mins[j]! + step) & 0x3fffffff | 0x40000000; break; }
      }
    }
    for (let b = 0; b < bands; b++) {
      let h = b + 1;
      for (let r = 0; r < rows; r++) h = mix(Math.imul(h, 31) ^ mins[b * rows + r]!);
      out[d * bands + b] = h & 0x3fffffff; // a small integer: a cheap Map key
    }
  }
  return out;
}

/** A 32-bit integer hash (the murmur3 finaliser). */
export function mix(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * Numbers the distinct (band, bucket key) pairs 0..count-1, so that clustering can keep its
 * per-bucket lists in flat arrays indexed directly, with no hashing in the hot loop.
 */
export function bucketIds(keys: Int32Array, bands: number): { ids: Int32Array; count: number } {
  let cap = 1024;
  while (cap < keys.length * 2) cap *= 2;
  const slotKey = new Int32Array(cap);
  const slotBand = new Int32Array(cap).fill(-1);
  const slotId = new Int32Array(cap);
  const ids = new Int32Array(keys.length);
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const band = i % bands; const key = keys[i]!;
    let s = mix(key ^ Math.imul(band + 1, 0x9e3779b1)) & (cap - 1);
    while (slotBand[s] !== -1 && (slotBand[s] !== band || slotKey[s] !== key)) s = (s + 1) & (cap - 1);
    if (slotBand[s] === -1) { slotBand[s] = band; slotKey[s] = key; slotId[s] = count++; }
    ids[i] = slotId[s]!;
  }
  return { ids, count };
}
