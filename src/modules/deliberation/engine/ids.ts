/** Integer id handling for the vote matrix: validation, sorted distinct ids, id → rank. */

export class InvalidVotesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidVotesError';
  }
}

export function isInt32(x: number): boolean {
  return Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
}

/** Ascending sort of 32-bit integers: two 16-bit counting passes (linear; typed-array sort is not). */
function radixSort(a: Int32Array): Int32Array {
  const n = a.length;
  if (n < 2048) return a.slice().sort();
  let src = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = (a[i]! ^ 0x80000000) >>> 0;
  let dst = new Uint32Array(n);
  const count = new Int32Array(65537);
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((src[i]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
    for (let i = 0; i < n; i++) dst[count[(src[i]! >>> shift) & 0xffff]!++] = src[i]!;
    const t = src;
    src = dst;
    dst = t;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = (src[i]! ^ 0x80000000) | 0;
  return out;
}

/** Sorted distinct values of a list of ids. */
export function sortedUnique(ids: ArrayLike<number>): Int32Array {
  if (!(ids instanceof Int32Array)) {
    for (let i = 0; i < ids.length; i++) if (!isInt32(ids[i]!)) throw new InvalidVotesError('ids must be 32-bit integers');
  }
  const src = ids instanceof Int32Array ? ids : Int32Array.from(ids);
  if (src.length === 0) return new Int32Array(0);
  let lo = src[0]!;
  let hi = src[0]!;
  for (let i = 1; i < src.length; i++) {
    const x = src[i]!;
    if (x < lo) lo = x;
    else if (x > hi) hi = x;
  }
  const span = hi - lo + 1;
  if (span <= Math.max(4 * src.length, 1 << 20) && span <= 1 << 25) {
    // Dense ids: a presence table is linear and cache-friendly.
    const seen = new Uint8Array(span);
    let count = 0;
    for (let i = 0; i < src.length; i++) {
      const o = src[i]! - lo;
      if (seen[o] === 0) {
        seen[o] = 1;
        count++;
      }
    }
    const out = new Int32Array(count);
    let w = 0;
    for (let o = 0; o < span; o++) if (seen[o] === 1) out[w++] = o + lo;
    return out;
  }
  const a = radixSort(src);
  let w = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[w - 1]) a[w++] = a[i]!;
  return a.slice(0, w);
}

/**
 * Maps every id to its rank among `sorted` (or -1 when absent). Uses a direct-address table when the
 * ids are dense enough, binary search otherwise.
 */
export function rankIds(ids: Int32Array, sorted: Int32Array): Int32Array {
  const out = new Int32Array(ids.length);
  if (sorted.length === 0) return out.fill(-1);
  const lo = sorted[0]!;
  const span = sorted[sorted.length - 1]! - lo + 1;
  if (span <= Math.max(4 * ids.length, 1 << 20) && span <= 1 << 25) {
    const table = new Int32Array(span).fill(-1);
    for (let r = 0; r < sorted.length; r++) table[sorted[r]! - lo] = r;
    for (let i = 0; i < ids.length; i++) {
      const o = ids[i]! - lo;
      out[i] = o >= 0 && o < span ? table[o]! : -1;
    }
    return out;
  }
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i]!;
    let a = 0;
    let b = sorted.length - 1;
    out[i] = -1;
    while (a <= b) {
      const m = (a + b) >>> 1;
      const y = sorted[m]!;
      if (y === x) {
        out[i] = m;
        break;
      }
      if (y < x) a = m + 1;
      else b = m - 1;
    }
  }
  return out;
}

export function contains(sorted: Int32Array, x: number): boolean {
  let a = 0;
  let b = sorted.length - 1;
  while (a <= b) {
    const m = (a + b) >>> 1;
    const y = sorted[m]!;
    if (y === x) return true;
    if (y < x) a = m + 1;
    else b = m - 1;
  }
  return false;
}
