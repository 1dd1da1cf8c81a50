/**
 * The scatter matrix CᵀC applied to a block of b vectors (PCA's power iteration), from the sparse
 * centred vote matrix: straight from its rows, or through the dense n × n matrix formed once.
 */
import type { VoteMatrix } from './matrix.js';

/** Columns of the iteration block, stored interleaved: entry (statement j, column t) at j · b + t. */
export type Apply = (v: Float64Array, w: Float64Array) => void;

/** W = CᵀC V straight from the sparse rows: two passes over each row, all b columns at once. */
export function sparseOperator(m: VoteMatrix, c: Float64Array, b: number): Apply {
  if (b === 4) return sparseOperator4(m, c);
  const { rowPtr, col } = m;
  const nRows = m.participantIds.length;
  const u = new Float64Array(b);
  return (v, w) => {
    w.fill(0);
    for (let r = 0; r < nRows; r++) {
      const s = rowPtr[r]!;
      const e = rowPtr[r + 1]!;
      u.fill(0);
      for (let k = s; k < e; k++) {
        const x = c[k]!;
        const base = col[k]! * b;
        for (let t = 0; t < b; t++) u[t]! += x * v[base + t]!;
      }
      for (let k = s; k < e; k++) {
        const x = c[k]!;
        const base = col[k]! * b;
        for (let t = 0; t < b; t++) w[base + t]! += x * u[t]!;
      }
    }
  };
}

/** The same for the usual block of four, with the four sums in locals (twice as fast in V8). */
function sparseOperator4(m: VoteMatrix, c: Float64Array): Apply {
  const { rowPtr, col } = m;
  const nRows = m.participantIds.length;
  return (v, w) => {
    w.fill(0);
    for (let r = 0; r < nRows; r++) {
      const s = rowPtr[r]!;
      const e = rowPtr[r + 1]!;
      let u0 = 0;
      let u1 = 0;
      let u2 = 0;
      let u3 = 0;
      for (let k = s; k < e; k++) {
        const x = c[k]!;
        const base = col[k]! << 2;
        u0 += x * v[base]!;
        u1 += x * v[base + 1]!;
        u2 += x * v[base + 2]!;
        u3 += x * v[base + 3]!;
      }
      for (let k = s; k < e; k++) {
        const x = c[k]!;
        const base = col[k]! << 2;
        w[base]! += x * u0;
        w[base + 1]! += x * u1;
        w[base + 2]! += x * u2;
        w[base + 3]! += x * u3;
      }
    }
  };
}

/** The scatter matrix G = CᵀC, dense n × n, summed row by row of C. */
function scatterMatrix(m: VoteMatrix, c: Float64Array): Float64Array {
  const n = m.columnIds.length;
  const g = new Float64Array(n * n);
  const { rowPtr, col } = m;
  for (let r = 0; r < m.participantIds.length; r++) {
    const s = rowPtr[r]!;
    const e = rowPtr[r + 1]!;
    for (let a = s; a < e; a++) {
      const ca = c[a]!;
      if (ca === 0) continue;
      const base = col[a]! * n;
      for (let k = a; k < e; k++) g[base + col[k]!]! += ca * c[k]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) g[j * n + i] = g[i * n + j]!;
  return g;
}

/** W = G V with G = CᵀC formed once; cheaper per iteration when statements are few relative to votes. */
export function gramOperator(m: VoteMatrix, c: Float64Array, b: number): Apply {
  const n = m.columnIds.length;
  const g = scatterMatrix(m, c);
  const acc = new Float64Array(b);
  return (v, w) => {
    for (let i = 0; i < n; i++) {
      const row = i * n;
      acc.fill(0);
      for (let j = 0; j < n; j++) {
        const x = g[row + j]!;
        const base = j * b;
        for (let t = 0; t < b; t++) acc[t]! += x * v[base + t]!;
      }
      for (let t = 0; t < b; t++) w[i * b + t] = acc[t]!;
    }
  };
}
