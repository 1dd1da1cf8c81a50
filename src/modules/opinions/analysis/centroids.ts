import { dotDocs, type Vectors } from './vectors.js';

// Running sums of the (unit) vectors in each cluster, with their squared norms kept up to
// date, so the cosine between a document and a cluster's centroid is cheap. A small cluster
// is just its member list: its dot product with a document is a few merge-joins of sorted
// term arrays, with no hashing. A cluster that reaches `promoteAt` members switches to a
// dense array over the vocabulary (32-bit floats: half the cache misses; its norm is
// recomputed from the stored values whenever they are rebuilt); `promoteAt` grows with the
// vocabulary so that the dense arrays together stay under ~256 MB.

const DENSE_BUDGET_BYTES = 2 ** 28;

export class Centroids {
  readonly size: Int32Array;
  private readonly norm2: Float64Array;
  private readonly members: (number[] | null)[] = [];
  private readonly dense: (Float32Array | null)[] = [];
  private readonly promoteAt: number;

  constructor(private readonly vec: Vectors, capacity: number) {
    this.size = new Int32Array(capacity);
    this.norm2 = new Float64Array(capacity);
    this.promoteAt = Math.max(8, Math.ceil((capacity * vec.terms.length * 4) / DENSE_BUDGET_BYTES));
  }

  /** A new empty cluster's number. */
  create(): number {
    this.members.push([]);
    this.dense.push(null);
    return this.members.length - 1;
  }

  /** Dot product of document d with cluster c's sum. */
  private dotSum(d: number, c: number): number {
    const { start, term, weight } = this.vec;
    let s = 0;
    const dense = this.dense[c];
    if (dense) {
      for (let k = start[d]!; k < start[d + 1]!; k++) s += weight[k]! * dense[term[k]!]!;
    } else {
      for (const m of this.members[c]!) s += dotDocs(this.vec, d, m);
    }
    return s;
  }

  /** Cosine between document `d` (unit length) and cluster `c`'s centroid. */
  cosine(d: number, c: number): number {
    if (this.size[c]! <= 0) return 0;
    return this.dotSum(d, c) / Math.sqrt(this.norm2[c]!);
  }

  private selfDot(d: number): number {
    return this.vec.start[d + 1]! > this.vec.start[d]! ? 1 : 0;
  }

  /** Adds (sign 1) or removes (sign -1) document `d` to or from cluster `c`. */
  add(d: number, c: number, sign: 1 | -1): void {
    const { start, term, weight } = this.vec;
    const dense = this.dense[c];
    if (dense) {
      let n2 = this.norm2[c]!;
      for (let k = start[d]!; k < start[d + 1]!; k++) {
        const t = term[k]!; const old = dense[t]!; const nw = Math.fround(old + sign * weight[k]!);
        n2 += nw * nw - old * old; dense[t] = nw;
      }
      this.norm2[c] = n2;
    } else {
      const list = this.members[c]!;
      if (sign < 0) list.splice(list.indexOf(d), 1);
      // ‖S ± d‖² = ‖S‖² ± 2 S·d + d·d, with S the sum without d.
      this.norm2[c] = this.norm2[c]! + sign * 2 * this.dotSum(d, c) + this.selfDot(d);
      if (sign > 0) list.push(d);
    }
    this.norm2[c] = Math.max(this.norm2[c]!, 1e-12);
    this.size[c]! += sign;
    if (!dense && this.size[c]! >= this.promoteAt) this.promote(c);
  }

  private promote(c: number): void {
    const { start, term, weight } = this.vec;
    const dense = new Float32Array(this.vec.terms.length);
    for (const m of this.members[c]!) for (let k = start[m]!; k < start[m + 1]!; k++) dense[term[k]!]! += weight[k]!;
    this.dense[c] = dense;
    this.members[c] = null;
    this.norm2[c] = Math.max(squaredNorm(dense), 1e-12);
  }

  /** Dot product of two clusters' sums. */
  private dotClusters(a: number, b: number): number {
    const da = this.dense[a]; const db = this.dense[b];
    if (da && db) {
      let s = 0;
      for (let t = 0; t < da.length; t++) s += da[t]! * db[t]!;
      return s;
    }
    const [listSide, other] = da ? [b, a] : [a, b];
    let s = 0;
    for (const m of this.members[listSide]!) s += this.dotSum(m, other);
    return s;
  }

  /** Cosine between two clusters' centroids. */
  between(a: number, b: number): number {
    if (this.size[a]! <= 0 || this.size[b]! <= 0) return 0;
    return this.dotClusters(a, b) / Math.sqrt(this.norm2[a]! * this.norm2[b]!);
  }

  /** Moves everything in cluster `from` into cluster `into`. */
  merge(into: number, from: number): void {
    this.norm2[into] = this.norm2[into]! + this.norm2[from]! + 2 * this.dotClusters(into, from);
    const fromDense = this.dense[from];
    if (fromDense && !this.dense[into]) this.promote(into);
    const dense = this.dense[into];
    if (dense && fromDense) {
      for (let t = 0; t < dense.length; t++) dense[t]! += fromDense[t]!;
    } else if (dense) {
      const { start, term, weight } = this.vec;
      for (const m of this.members[from]!) for (let k = start[m]!; k < start[m + 1]!; k++) dense[term[k]!]! += weight[k]!;
    } else {
      this.members[into]!.push(...this.members[from]!);
    }
    if (dense) this.norm2[into] = Math.max(squaredNorm(dense), 1e-12);
    this.size[into]! += this.size[from]!;
    this.size[from] = 0;
    this.norm2[from] = 1e-12;
    this.members[from] = [];
    this.dense[from] = null;
    if (!this.dense[into] && this.size[into]! >= this.promoteAt) this.promote(into);
  }
}

function squaredNorm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}
