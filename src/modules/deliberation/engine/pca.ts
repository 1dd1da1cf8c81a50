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
import { colDot, orthonormaliseBlock, rotateBlock, smallestSingularValue, symmetricEigen } from './block-linalg.js';
import { gramOperator, sparseOperator } from './scatter-operators.js';

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
