/**
 * K-means in the 2-D projection, as polismath `clusters.clj` uses it: many small base clusters over
 * the placed participants, then groups of base clusters (weighted by their size) for k = 2..max,
 * keeping the k with the best silhouette measured over base clusters.
 *
 * Determinism: points arrive in participant-id order; initial centres come from k-means++ driven by
 * a seeded PRNG (and, for groups, also from farthest-point seeding); ties go to the lower index.
 */
import { createPrng } from './prng.js';

export interface Clustering {
  /** Cluster index of each point. */
  assign: Int32Array;
  cx: Float64Array;
  cy: Float64Array;
  /** Total weight per cluster. */
  weight: Float64Array;
  k: number;
}

/** k-means++ seeding (weighted); stops early when every point coincides with a chosen centre. */
function kmeansPlusPlus(xs: Float64Array, ys: Float64Array, w: Float64Array, k: number, rand: () => number): number[] {
  const n = xs.length;
  const chosen: number[] = [];
  if (n === 0 || k <= 0) return chosen;
  const d2 = new Float64Array(n);
  // First centre: weighted draw.
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]!;
  chosen.push(drawIndex(w, total, rand));
  for (let i = 0; i < n; i++) d2[i] = sq(xs[i]! - xs[chosen[0]!]!, ys[i]! - ys[chosen[0]!]!);
  const score = new Float64Array(n);
  while (chosen.length < k) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      score[i] = d2[i]! * w[i]!;
      sum += score[i]!;
    }
    if (!(sum > 0)) break;
    const c = drawIndex(score, sum, rand);
    chosen.push(c);
    const x = xs[c]!;
    const y = ys[c]!;
    for (let i = 0; i < n; i++) {
      const d = sq(xs[i]! - x, ys[i]! - y);
      if (d < d2[i]!) d2[i] = d;
    }
  }
  return chosen;
}

function drawIndex(score: Float64Array, total: number, rand: () => number): number {
  const target = rand() * total;
  let acc = 0;
  let last = 0;
  for (let i = 0; i < score.length; i++) {
    if (score[i]! <= 0) continue;
    acc += score[i]!;
    last = i;
    if (acc > target) return i;
  }
  return last;
}

/** Farthest-point seeding: start at the heaviest point, then repeatedly take the point farthest from all centres. */
function farthestPoint(xs: Float64Array, ys: Float64Array, w: Float64Array, k: number): number[] {
  const n = xs.length;
  if (n === 0) return [];
  let first = 0;
  for (let i = 1; i < n; i++) if (w[i]! > w[first]!) first = i;
  const chosen = [first];
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d2[i] = sq(xs[i]! - xs[first]!, ys[i]! - ys[first]!);
  while (chosen.length < k) {
    let best = -1;
    for (let i = 0; i < n; i++) if (d2[i]! > 0 && (best < 0 || d2[i]! > d2[best]!)) best = i;
    if (best < 0) break;
    chosen.push(best);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i]!, sq(xs[i]! - xs[best]!, ys[i]! - ys[best]!));
  }
  return chosen;
}

function sq(dx: number, dy: number): number {
  return dx * dx + dy * dy;
}

/**
 * Lloyd's algorithm with Hamerly's bounds (same assignments as plain Lloyd, far fewer distance
 * computations once centres settle). Empty clusters keep their last centre. Stops when no point
 * changes cluster, when the centres have settled, or after maxIterations.
 */
export function lloyd(
  xs: Float64Array,
  ys: Float64Array,
  w: Float64Array,
  seeds: number[],
  maxIterations: number,
): Clustering {
  const n = xs.length;
  const k = seeds.length;
  const cx = Float64Array.from(seeds, (i) => xs[i]!);
  const cy = Float64Array.from(seeds, (i) => ys[i]!);
  const assign = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const half = new Float64Array(k);
  const sumX = new Float64Array(k);
  const sumY = new Float64Array(k);
  const weight = new Float64Array(k);
  const drift = new Float64Array(k);
  for (let i = 0; i < n; i++) nearestTwo(i);
  // Converged when no centre moves more than 0.5 % of the points' RMS distance from their mean
  // (polismath stops when centres move less than an absolute 0.01, about 0.5 % of a typical spread;
  // a relative bound does not depend on the scale of the projection).
  let mx = 0;
  let my = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    mx += w[i]! * xs[i]!;
    my += w[i]! * ys[i]!;
    wsum += w[i]!;
  }
  mx /= wsum || 1;
  my /= wsum || 1;
  let spread = 0;
  for (let i = 0; i < n; i++) spread += w[i]! * sq(xs[i]! - mx, ys[i]! - my);
  const settle = 5e-3 * Math.sqrt(spread / (wsum || 1));
  function nearestTwo(i: number): void {
    let b1 = 0;
    let d1 = Infinity;
    let d2 = Infinity;
    for (let c = 0; c < k; c++) {
      const d = sq(xs[i]! - cx[c]!, ys[i]! - cy[c]!);
      if (d < d1) {
        d2 = d1;
        d1 = d;
        b1 = c;
      } else if (d < d2) d2 = d;
    }
    assign[i] = b1;
    upper[i] = Math.sqrt(d1);
    lower[i] = Math.sqrt(d2);
  }
  for (let iter = 0; iter < maxIterations; iter++) {
    sumX.fill(0);
    sumY.fill(0);
    weight.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i]!;
      sumX[c]! += w[i]! * xs[i]!;
      sumY[c]! += w[i]! * ys[i]!;
      weight[c]! += w[i]!;
    }
    let maxDrift = 0;
    let maxAt = -1;
    let secondDrift = 0;
    for (let c = 0; c < k; c++) {
      if (weight[c]! > 0) {
        const nx = sumX[c]! / weight[c]!;
        const ny = sumY[c]! / weight[c]!;
        drift[c] = Math.sqrt(sq(nx - cx[c]!, ny - cy[c]!));
        cx[c] = nx;
        cy[c] = ny;
      } else drift[c] = 0;
      if (drift[c]! > maxDrift) {
        secondDrift = maxDrift;
        maxDrift = drift[c]!;
        maxAt = c;
      } else if (drift[c]! > secondDrift) secondDrift = drift[c]!;
    }
    if (maxDrift <= settle && iter > 0) break;
    for (let c = 0; c < k; c++) {
      let m = Infinity;
      for (let d = 0; d < k; d++) if (d !== c) m = Math.min(m, sq(cx[c]! - cx[d]!, cy[c]! - cy[d]!));
      half[c] = Math.sqrt(m) / 2;
    }
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = assign[i]!;
      upper[i]! += drift[a]!;
      lower[i]! -= a === maxAt ? secondDrift : maxDrift;
      const bound = Math.max(half[a]!, lower[i]!);
      if (upper[i]! < bound) continue;
      upper[i] = Math.sqrt(sq(xs[i]! - cx[a]!, ys[i]! - cy[a]!));
      if (upper[i]! < bound) continue;
      nearestTwo(i);
      if (assign[i] !== a) changed++;
    }
    if (changed === 0) break;
  }
  weight.fill(0);
  for (let i = 0; i < n; i++) weight[assign[i]!]! += w[i]!;
  return { assign, cx, cy, weight, k };
}

/** Drops clusters without members and renumbers the rest, keeping their order. */
export function compact(c: Clustering): Clustering {
  const map = new Int32Array(c.k).fill(-1);
  let k = 0;
  for (let j = 0; j < c.k; j++) if (c.weight[j]! > 0) map[j] = k++;
  if (k === c.k) return c;
  const cx = new Float64Array(k);
  const cy = new Float64Array(k);
  const weight = new Float64Array(k);
  for (let j = 0; j < c.k; j++) {
    const t = map[j]!;
    if (t < 0) continue;
    cx[t] = c.cx[j]!;
    cy[t] = c.cy[j]!;
    weight[t] = c.weight[j]!;
  }
  return { assign: c.assign.map((a) => map[a]!), cx, cy, weight, k };
}

export function withinSumOfSquares(xs: Float64Array, ys: Float64Array, w: Float64Array, c: Clustering): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const a = c.assign[i]!;
    s += w[i]! * sq(xs[i]! - c.cx[a]!, ys[i]! - c.cy[a]!);
  }
  return s;
}

/**
 * Base clusters: k-means++ seeded Lloyd runs over the placed participants (unit weights), keeping the
 * lowest within-cluster sum of squares over `restarts` runs (earlier run wins ties).
 */
export function baseClustering(xs: Float64Array, ys: Float64Array, k: number, maxIterations: number, seed: number, restarts = 1): Clustering {
  const w = new Float64Array(xs.length).fill(1);
  const rand = createPrng(`base:${seed}`);
  let best: Clustering | null = null;
  let bestCost = Infinity;
  for (let r = 0; r < Math.max(1, restarts); r++) {
    const c = compact(lloyd(xs, ys, w, kmeansPlusPlus(xs, ys, w, Math.min(k, xs.length), rand), maxIterations));
    const cost = withinSumOfSquares(xs, ys, w, c);
    if (best === null || cost < bestCost - 1e-12 * Math.abs(bestCost)) {
      best = c;
      bestCost = cost;
    }
  }
  return best!;
}

/**
 * Group clustering of weighted base-cluster centres for one k: several deterministic starts
 * (farthest-point, then seeded k-means++ draws), keeping the lowest within-cluster sum of squares;
 * the earlier start wins ties.
 */
export function groupClustering(
  xs: Float64Array,
  ys: Float64Array,
  w: Float64Array,
  k: number,
  maxIterations: number,
  seed: number,
  restarts = 12,
): Clustering {
  const rand = createPrng(`group:${seed}:${k}`);
  const starts = [farthestPoint(xs, ys, w, k)];
  for (let r = 0; r < restarts; r++) starts.push(kmeansPlusPlus(xs, ys, w, k, rand));
  let best: Clustering | null = null;
  let bestCost = Infinity;
  for (const s of starts) {
    const c = compact(lloyd(xs, ys, w, s, maxIterations));
    const cost = withinSumOfSquares(xs, ys, w, c);
    if (best === null || cost < bestCost - 1e-12 * Math.abs(bestCost)) {
      best = c;
      bestCost = cost;
    }
  }
  return best!;
}

/**
 * Silhouette as polismath computes it: the plain mean over points (base clusters) of
 * (b - a) / max(a, b), where a is the mean distance to the others in the same cluster and b the
 * smallest mean distance to another cluster; a point alone in its cluster scores 0.
 */
export function silhouette(xs: Float64Array, ys: Float64Array, assign: Int32Array, k: number): number {
  const n = xs.length;
  if (n === 0 || k < 2) return 0;
  const sums = new Float64Array(k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[assign[i]!]!++;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = assign[i]!;
    if (sizes[own] === 1) continue;
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sums[assign[j]!]! += Math.sqrt(sq(xs[i]! - xs[j]!, ys[i]! - ys[j]!));
    }
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (b === Infinity) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}
