/**
 * PCA as Polis does it (polismath `pca.clj`): missing votes are imputed with the statement's mean,
 * so after centring they are zero and the centred matrix stays sparse. The first two principal
 * axes come from power iteration on the scatter matrix CᵀC — here both at once (simultaneous
 * iteration with a final Rayleigh–Ritz rotation), from a fixed pseudo-random start vector (a hash of
 * the column index, instead of Polis's random one), and run until the plane they span stops moving.
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

type Apply = (v1: Float64Array, v2: Float64Array, w1: Float64Array, w2: Float64Array) => void;

/** w = CᵀC v straight from the sparse rows: two passes over each row. */
function sparseOperator(m: VoteMatrix, c: Float64Array): Apply {
  const { rowPtr, col } = m;
  const nRows = m.participantIds.length;
  return (v1, v2, w1, w2) => {
    w1.fill(0);
    w2.fill(0);
    for (let r = 0; r < nRows; r++) {
      const s = rowPtr[r]!;
      const e = rowPtr[r + 1]!;
      let u1 = 0;
      let u2 = 0;
      for (let k = s; k < e; k++) {
        const j = col[k]!;
        u1 += c[k]! * v1[j]!;
        u2 += c[k]! * v2[j]!;
      }
      if (u1 === 0 && u2 === 0) continue;
      for (let k = s; k < e; k++) {
        const j = col[k]!;
        w1[j]! += c[k]! * u1;
        w2[j]! += c[k]! * u2;
      }
    }
  };
}

/** w = G v with G = CᵀC formed once; cheaper per iteration when statements are few relative to votes. */
function gramOperator(m: VoteMatrix, c: Float64Array): Apply {
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
      for (let b = a; b < e; b++) g[base + col[b]!]! += ca * c[b]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) g[j * n + i] = g[i * n + j]!;
  return (v1, v2, w1, w2) => {
    for (let i = 0; i < n; i++) {
      const base = i * n;
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < n; j++) {
        const x = g[base + j]!;
        s1 += x * v1[j]!;
        s2 += x * v2[j]!;
      }
      w1[i] = s1;
      w2[i] = s2;
    }
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Gram–Schmidt in place; returns the norms before normalising. A vector with no remaining length becomes 0. */
function orthonormalise(v1: Float64Array, v2: Float64Array, scale: number): [number, number] {
  const n1 = Math.sqrt(dot(v1, v1));
  if (!(n1 > scale * 1e-12)) {
    v1.fill(0);
    v2.fill(0);
    return [0, 0];
  }
  for (let i = 0; i < v1.length; i++) v1[i]! /= n1;
  const p = dot(v1, v2);
  for (let i = 0; i < v2.length; i++) v2[i]! -= p * v1[i]!;
  const n2 = Math.sqrt(dot(v2, v2));
  if (!(n2 > scale * 1e-12)) {
    v2.fill(0);
    return [n1, 0];
  }
  for (let i = 0; i < v2.length; i++) v2[i]! /= n2;
  return [n1, n2];
}

export function powerIterationPca(m: VoteMatrix, maxIterations: number, tolerance: number): PcaResult {
  const n = m.columnIds.length;
  const { centre, centred } = centreColumns(m);
  const pc1 = new Float64Array(n);
  const pc2 = new Float64Array(n);
  let frob = 0;
  for (let k = 0; k < centred.length; k++) frob += centred[k]! * centred[k]!;
  if (n === 0 || frob === 0) return { centre, pc1, pc2, eigenvalues: [0, 0], iterations: 0, converged: true };

  // Operator: start with the sparse rows (two passes per iteration); if the iteration runs long,
  // switch to the Gram matrix CᵀC once the sparse work done equals the cost of forming it (ski
  // rental: never more than twice the better choice). Weights measured in V8: a scattered Gram
  // update costs about as much as four streamed multiply-adds. The switch point depends only on the
  // sizes, so every run takes the same path.
  let gramBuild = 0;
  for (let r = 0; r < m.participantIds.length; r++) {
    const len = m.rowPtr[r + 1]! - m.rowPtr[r]!;
    gramBuild += (len * (len + 1)) / 2;
  }
  const sparseCost = 6 * centred.length;
  const gramCost = 4 * gramBuild;
  const switchAt = n <= 3000 && 1.2 * n * n < sparseCost ? Math.ceil(gramCost / sparseCost) : Infinity;
  let apply = sparseOperator(m, centred);

  const v1 = new Float64Array(n);
  const v2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    v1[j] = 1 + 0.5 * hashUnit(j, 1);
    v2[j] = hashUnit(j, 2);
  }
  orthonormalise(v1, v2, 1);
  const w1 = new Float64Array(n);
  const w2 = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  let rank = 2;
  while (iterations < maxIterations) {
    if (iterations === switchAt) apply = gramOperator(m, centred);
    apply(v1, v2, w1, w2);
    iterations++;
    const h11 = dot(v1, w1);
    const h12 = dot(v1, w2);
    const h22 = dot(v2, w2);
    // Next basis, and how far the spanned plane moved: smallest singular value of Vᵀ V'.
    const x1 = Float64Array.from(w1);
    const x2 = Float64Array.from(w2);
    const [n1, n2] = orthonormalise(x1, x2, frob);
    rank = n1 === 0 ? 0 : n2 === 0 ? 1 : 2;
    const a = dot(v1, x1);
    const b = dot(v1, x2);
    const c = dot(v2, x1);
    const d = dot(v2, x2);
    const moved = rank === 2 ? 1 - smallestSingularValue(a, b, c, d) : 1 - Math.abs(a);
    if (rank === 0) break;
    if (moved <= tolerance) {
      converged = true;
      // Rayleigh–Ritz on the converged plane: rotate (v1, v2) to the eigenvectors of Vᵀ C ᵀC V.
      if (rank === 2) {
        const [l1, l2, cos, sin] = symmetricEigen2(h11, h12, h22);
        for (let j = 0; j < n; j++) {
          pc1[j] = cos * v1[j]! + sin * v2[j]!;
          pc2[j] = -sin * v1[j]! + cos * v2[j]!;
        }
        return finish(m, centre, pc1, pc2, [l1, l2], iterations, true);
      }
      pc1.set(v1);
      return finish(m, centre, pc1, pc2, [h11, 0], iterations, true);
    }
    v1.set(x1);
    v2.set(x2);
  }
  if (rank === 0) return { centre, pc1, pc2, eigenvalues: [0, 0], iterations, converged: true };
  apply(v1, v2, w1, w2);
  const [l1, l2, cos, sin] = symmetricEigen2(dot(v1, w1), dot(v1, w2), dot(v2, w2));
  for (let j = 0; j < n; j++) {
    pc1[j] = cos * v1[j]! + sin * v2[j]!;
    pc2[j] = rank === 2 ? -sin * v1[j]! + cos * v2[j]! : 0;
  }
  return finish(m, centre, pc1, pc2, [l1, rank === 2 ? l2 : 0], iterations, converged);
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

/** Eigen-decomposition of [[a, b], [b, c]]: [λ1 ≥ λ2, cos θ, sin θ] with (cos, sin) the λ1 eigenvector. */
function symmetricEigen2(a: number, b: number, c: number): [number, number, number, number] {
  const mean = (a + c) / 2;
  const disc = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l1 = mean + disc;
  const l2 = mean - disc;
  if (b === 0) return a >= c ? [a, c, 1, 0] : [c, a, 0, 1];
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  return [l1, l2, Math.cos(theta), Math.sin(theta)];
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
