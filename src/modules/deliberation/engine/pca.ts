/**
 * PCA as Polis does it (polismath `pca.clj`): missing votes are imputed with the statement's mean,
 * so after centring they are zero and the centred matrix stays sparse. The first two principal
 * axes come from power iteration on the scatter matrix CᵀC — here a block of four vectors at once
 * (subspace iteration with a Rayleigh–Ritz step every round), from fixed pseudo-random start vectors
 * (hashes of the column index, instead of Polis's random one), run until the plane of the two
 * leading Ritz vectors stops moving.
 * Only the order of ids matters, so relabelling ids without reordering them changes nothing.
 *
 * Participants are projected with Polis's sparsity correction: only their own votes enter the dot
 * product, scaled by sqrt(statements / votes cast) so that someone who voted on few statements is
 * not pulled to the centre.
 */
import { hashUnit } from './prng.js';
import type { VoteMatrix } from './matrix.js';

export interface PcaResult {
  centre: Float64Array;
  pc1: Float64Array;
  pc2: Float64Array;
  eigenvalues: [number, number];
  iterations: number;
  converged: boolean;
}

/** Column means (passes are 0) and the centred non-zero values of the CSR. */
export function centreColumns(m: VoteMatrix): { centre: Float64Array; centred: Float64Array } {
  const nCols = m.columnIds.length;
  const sum = new Float64Array(nCols);
  const cnt = new Float64Array(nCols);
  for (let k = 0; k < m.col.length; k++) {
    sum[m.col[k]!]! += m.val[k]!;
    cnt[m.col[k]!]!++;
  }
  const centre = new Float64Array(nCols);
  for (let j = 0; j < nCols; j++) centre[j] = cnt[j]! > 0 ? sum[j]! / cnt[j]! : 0;
  const centred = new Float64Array(m.col.length);
  for (let k = 0; k < m.col.length; k++) centred[k] = m.val[k]! - centre[m.col[k]!]!;
  return { centre, centred };
}

/** Columns of the iteration block, stored interleaved: entry (statement j, column t) at j · b + t. */
type Apply = (v: Float64Array, w: Float64Array) => void;

/** W = CᵀC V straight from the sparse rows: two passes over each row, all b columns at once. */
function sparseOperator(m: VoteMatrix, c: Float64Array, b: number): Apply {
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
function gramOperator(m: VoteMatrix, c: Float64Array, b: number): Apply {
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

/** Inner product of block columns s and t of x and y (same interleaved layout). */
function colDot(x: Float64Array, s: number, y: Float64Array, t: number, b: number, n: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += x[j * b + s]! * y[j * b + t]!;
  return sum;
}

/**
 * Modified Gram–Schmidt on the block's columns in order, in place. A column with no length left
 * (relative to `scale`) becomes 0 and stays out of the basis; returns how many columns remain.
 */
function orthonormaliseBlock(v: Float64Array, b: number, n: number, scale: number): number {
  let rank = 0;
  for (let t = 0; t < b; t++) {
    for (let s = 0; s < t; s++) {
      const p = colDot(v, s, v, t, b, n);
      if (p !== 0) for (let j = 0; j < n; j++) v[j * b + t]! -= p * v[j * b + s]!;
    }
    const norm = Math.sqrt(colDot(v, t, v, t, b, n));
    if (norm > scale * 1e-12) {
      for (let j = 0; j < n; j++) v[j * b + t]! /= norm;
      rank++;
    } else {
      for (let j = 0; j < n; j++) v[j * b + t] = 0;
    }
  }
  return rank;
}

/**
 * Eigen-decomposition of a small symmetric matrix (b × b, row-major) by cyclic Jacobi rotations:
 * returns the eigenvalues in descending order and the eigenvectors as the columns of a b × b
 * row-major matrix in the same order. Fixed sweep order, so the same input gives the same output.
 */
export function symmetricEigen(h: Float64Array, b: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(h);
  const q = new Float64Array(b * b);
  for (let i = 0; i < b; i++) q[i * b + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < b; i++) {
      diag += a[i * b + i]! * a[i * b + i]!;
      for (let j = i + 1; j < b; j++) off += a[i * b + j]! * a[i * b + j]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < b; p++) {
      for (let r = p + 1; r < b; r++) {
        const apr = a[p * b + r]!;
        if (apr === 0) continue;
        const theta = (a[r * b + r]! - a[p * b + p]!) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < b; k++) {
          const akp = a[k * b + p]!;
          const akr = a[k * b + r]!;
          a[k * b + p] = cos * akp - sin * akr;
          a[k * b + r] = sin * akp + cos * akr;
        }
        for (let k = 0; k < b; k++) {
          const apk = a[p * b + k]!;
          const ark = a[r * b + k]!;
          a[p * b + k] = cos * apk - sin * ark;
          a[r * b + k] = sin * apk + cos * ark;
        }
        for (let k = 0; k < b; k++) {
          const qkp = q[k * b + p]!;
          const qkr = q[k * b + r]!;
          q[k * b + p] = cos * qkp - sin * qkr;
          q[k * b + r] = sin * qkp + cos * qkr;
        }
      }
    }
  }
  const order = Array.from({ length: b }, (_, i) => i).sort((x, y) => a[y * b + y]! - a[x * b + x]! || x - y);
  const values = new Float64Array(b);
  const vectors = new Float64Array(b * b);
  order.forEach((src, dst) => {
    values[dst] = a[src * b + src]!;
    for (let k = 0; k < b; k++) vectors[k * b + dst] = q[k * b + src]!;
  });
  return { values, vectors };
}

/** Y = X Q for an interleaved block X (n × b) and a b × b row-major Q. */
function rotateBlock(x: Float64Array, q: Float64Array, b: number, n: number, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const base = j * b;
    for (let t = 0; t < b; t++) {
      let s = 0;
      for (let k = 0; k < b; k++) s += x[base + k]! * q[k * b + t]!;
      out[base + t] = s;
    }
  }
}

/** Columns in the iteration block: the two axes sought plus two more, so that the plane of the top two converges at the rate λ₅/λ₂ rather than λ₃/λ₂. */
const BLOCK = 4;

/**
 * Subspace iteration with a Rayleigh–Ritz step every round: the block V (orthonormal columns) is
 * multiplied by CᵀC, the small matrix Vᵀ CᵀC V is diagonalised, and the Ritz vectors of the two
 * largest Ritz values are the current axes. Iteration stops when the plane of those two stops
 * moving. The extra columns matter when the second and third eigenvalues are close — with several
 * opinion groups of similar size they often are — where iterating on two columns alone needs
 * hundreds of rounds.
 */
export function powerIterationPca(m: VoteMatrix, maxIterations: number, tolerance: number): PcaResult {
  const n = m.columnIds.length;
  const { centre, centred } = centreColumns(m);
  const pc1 = new Float64Array(n);
  const pc2 = new Float64Array(n);
  let frob = 0;
  for (let k = 0; k < centred.length; k++) frob += centred[k]! * centred[k]!;
  if (n === 0 || frob === 0) return { centre, pc1, pc2, eigenvalues: [0, 0], iterations: 0, converged: true };
  const b = Math.min(BLOCK, n);

  // Operator: start with the sparse rows (two passes per iteration); if the iteration runs long,
  // switch to the Gram matrix CᵀC once the sparse work done equals the cost of forming it (ski
  // rental: never more than twice the better choice). Weights measured in V8: a scattered Gram
  // update costs about as much as two streamed multiply-adds of the sparse pass, a dense one about
  // half of one. The switch point depends only on the sizes, so every run takes the same path.
  let gramBuild = 0;
  for (let r = 0; r < m.participantIds.length; r++) {
    const len = m.rowPtr[r + 1]! - m.rowPtr[r]!;
    gramBuild += (len * (len + 1)) / 2;
  }
  const sparseCost = 2 * b * centred.length;
  const gramCost = 4.5 * gramBuild;
  const switchAt = n <= 3000 && 2.5 * b * n * n < sparseCost ? Math.ceil(gramCost / sparseCost) : Infinity;
  let apply = sparseOperator(m, centred, b);

  // Fixed start: hashes of the column index (the first column leans towards all-ones).
  const v = new Float64Array(n * b);
  for (let j = 0; j < n; j++) {
    v[j * b] = 1 + 0.5 * hashUnit(j, 1);
    for (let t = 1; t < b; t++) v[j * b + t] = hashUnit(j, t + 1);
  }
  orthonormaliseBlock(v, b, n, 1);
  const w = new Float64Array(n * b);
  const h = new Float64Array(b * b);
  const ritz = new Float64Array(n * b);
  const prev1 = new Float64Array(n);
  const prev2 = new Float64Array(n);
  let havePrev = false;
  let iterations = 0;
  let converged = false;
  let values: Float64Array = new Float64Array(b);
  while (iterations < maxIterations) {
    if (iterations === switchAt) apply = gramOperator(m, centred, b);
    apply(v, w);
    iterations++;
    for (let s = 0; s < b; s++) {
      for (let t = s; t < b; t++) {
        const x = (colDot(v, s, w, t, b, n) + colDot(v, t, w, s, b, n)) / 2;
        h[s * b + t] = x;
        h[t * b + s] = x;
      }
    }
    const eig = symmetricEigen(h, b);
    values = eig.values;
    rotateBlock(v, eig.vectors, b, n, ritz);
    const tiny = frob * 1e-12;
    const rank = values[0]! > tiny ? (b > 1 && values[1]! > tiny ? 2 : 1) : 0;
    if (rank === 0) break;
    // How far the plane of the two leading Ritz vectors moved since the last round.
    let moved = Infinity;
    if (havePrev) {
      let a11 = 0;
      let a12 = 0;
      let a21 = 0;
      let a22 = 0;
      for (let j = 0; j < n; j++) {
        const r1 = ritz[j * b]!;
        const r2 = rank === 2 ? ritz[j * b + 1]! : 0;
        a11 += prev1[j]! * r1;
        a12 += prev1[j]! * r2;
        a21 += prev2[j]! * r1;
        a22 += prev2[j]! * r2;
      }
      moved = rank === 2 ? 1 - smallestSingularValue(a11, a12, a21, a22) : 1 - Math.abs(a11);
    }
    for (let j = 0; j < n; j++) {
      prev1[j] = ritz[j * b]!;
      prev2[j] = rank === 2 ? ritz[j * b + 1]! : 0;
    }
    havePrev = true;
    if (moved <= tolerance) {
      converged = true;
      break;
    }
    // Next block: CᵀC times the Ritz vectors, in order, made orthonormal.
    rotateBlock(w, eig.vectors, b, n, v);
    orthonormaliseBlock(v, b, n, frob);
  }
  const l1 = values[0]! > frob * 1e-12 ? values[0]! : 0;
  const l2 = l1 > 0 && b > 1 && values[1]! > frob * 1e-12 ? values[1]! : 0;
  if (l1 === 0) return { centre, pc1, pc2, eigenvalues: [0, 0], iterations, converged: true };
  pc1.set(prev1);
  if (l2 > 0) pc2.set(prev2);
  return finish(m, centre, pc1, pc2, [l1, l2], iterations, converged);
}

function smallestSingularValue(a: number, b: number, c: number, d: number): number {
  // Singular values of [[a, b], [c, d]]: sqrt of the eigenvalues of MᵀM.
  const p = a * a + c * c;
  const q = a * b + c * d;
  const r = b * b + d * d;
  const mean = (p + r) / 2;
  const disc = Math.sqrt(((p - r) / 2) ** 2 + q * q);
  return Math.sqrt(Math.max(0, mean - disc));
}

/**
 * Sign convention: the largest-magnitude loading is positive. Loadings within 1e-9 (relative) of the
 * largest count as tied and the first (smallest statement id) decides, so rounding noise between two
 * equal loadings cannot flip an axis.
 */
function fixSign(pc: Float64Array): void {
  let mag = 0;
  for (let j = 0; j < pc.length; j++) mag = Math.max(mag, Math.abs(pc[j]!));
  if (mag === 0) return;
  let best = 0;
  while (Math.abs(pc[best]!) < mag * (1 - 1e-9)) best++;
  if (pc[best]! < 0) for (let j = 0; j < pc.length; j++) pc[j] = -pc[j]! || 0;
}

function finish(
  _m: VoteMatrix,
  centre: Float64Array,
  pc1: Float64Array,
  pc2: Float64Array,
  eigenvalues: [number, number],
  iterations: number,
  converged: boolean,
): PcaResult {
  fixSign(pc1);
  fixSign(pc2);
  return { centre, pc1, pc2, eigenvalues, iterations, converged };
}

/**
 * Polis's sparsity-aware projection of every participant: p = sqrt(n / votes) · Σ (vote − centre) · pc
 * over the participant's own votes. `extra` is added to both n and votes: polismath zeroes the columns
 * of moderated-out statements instead of deleting them, so every participant counts as having
 * passed on each of them (weightless in the dot product, but it softens the scaling).
 */
export function projectParticipants(m: VoteMatrix, pca: PcaResult, extra: number): { x: Float64Array; y: Float64Array; voteCount: Int32Array } {
  const nRows = m.participantIds.length;
  const nCols = m.columnIds.length;
  const x = new Float64Array(nRows);
  const y = new Float64Array(nRows);
  const voteCount = new Int32Array(nRows);
  const { pc1, pc2, centre } = pca;
  for (let r = 0; r < nRows; r++) {
    const s = m.rowPtr[r]!;
    const e = m.rowPtr[r + 1]!;
    voteCount[r] = e - s;
    if (e === s) continue;
    let p1 = 0;
    let p2 = 0;
    for (let k = s; k < e; k++) {
      const j = m.col[k]!;
      const d = m.val[k]! - centre[j]!;
      p1 += d * pc1[j]!;
      p2 += d * pc2[j]!;
    }
    const scale = Math.sqrt((nCols + extra) / (e - s + extra));
    x[r] = p1 * scale;
    y[r] = p2 * scale;
  }
  return { x, y, voteCount };
}

/**
 * Polis's comment extremity: the length of the projection of a participant who agreed with only
 * this statement. Statements that split the room score high.
 */
export function statementExtremity(pca: PcaResult, extra: number): Float64Array {
  const n = pca.centre.length;
  const out = new Float64Array(n);
  const scale = Math.sqrt(n + extra);
  for (let j = 0; j < n; j++) {
    const d = 1 - pca.centre[j]!;
    out[j] = scale * Math.abs(d) * Math.hypot(pca.pc1[j]!, pca.pc2[j]!);
  }
  return out;
}
