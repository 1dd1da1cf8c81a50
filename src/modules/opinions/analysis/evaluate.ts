import { Rng } from '../../demo/prng.js';
import { OpinionRouter, type RouteInput, type RouterOptions } from './router.js';

// Honest numbers for the router and the hotspot finder: a seeded train/test split with
// per-label precision and recall, and external clustering scores against known topics.

export interface LabelledExample extends RouteInput {
  label: string;
  /** Examples a staff member could reasonably have routed elsewhere (reported apart). */
  ambiguous?: boolean;
}

export interface RouterEvaluation {
  train: number;
  test: number;
  accuracy: number;
  /** Accuracy on the test examples not marked ambiguous, when some are. */
  clearAccuracy: number | null;
  macroF1: number;
  perLabel: { label: string; precision: number; recall: number; f1: number; support: number }[];
  /** rows: actual label, columns: suggested label, in `confusion.labels` order. */
  confusion: { labels: string[]; matrix: number[][] };
  /** Share of test examples suggested with at least `min` confidence, and accuracy among them. */
  byConfidence: { min: number; share: number; accuracy: number }[];
  /** Expected calibration error over ten confidence bins (0 = confidence means accuracy). */
  calibrationError: number;
  router: OpinionRouter;
}

export function evaluateRouter(
  examples: readonly LabelledExample[],
  opts: { testFraction?: number; seed?: number; options?: Partial<RouterOptions> } = {},
): RouterEvaluation {
  const testFraction = opts.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError('testFraction must be in (0, 1)');
  const order = shuffle(examples.length, opts.seed ?? 1);
  const nTest = Math.round(examples.length * testFraction);
  const pick = (ix: number[]): LabelledExample[] => ix.map((i) => examples[i]!);
  return trainAndTest(pick(order.slice(nTest)), pick(order.slice(0, nTest)), opts.options);
}

/** Trains a router on `train` (in order) and scores its suggestions on `test`. */
export function trainAndTest(
  train: readonly LabelledExample[], test: readonly LabelledExample[], options?: Partial<RouterOptions>,
): RouterEvaluation {
  const nTest = test.length;
  const router = new OpinionRouter(options);
  for (const ex of train) router.learn(ex, ex.label);
  const labels = [...new Set([...router.labels, ...train.map((e) => e.label), ...test.map((e) => e.label)])].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  let right = 0; let clear = 0; let clearRight = 0;
  const scored: { confidence: number; ok: boolean }[] = [];
  for (const ex of test) {
    const s = router.suggest(ex, false);
    const predicted = s?.label ?? '';
    const ok = predicted === ex.label;
    if (ok) right++;
    if (!ex.ambiguous) { clear++; if (ok) clearRight++; }
    scored.push({ confidence: s?.confidence ?? 0, ok });
    const p = at.get(predicted);
    if (p !== undefined) matrix[at.get(ex.label)!]![p]!++;
  }
  const perLabel = labels.map((label, k) => {
    const tp = matrix[k]![k]!;
    const support = matrix[k]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[k]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  const present = perLabel.filter((p) => p.support > 0);
  return {
    train: train.length,
    test: nTest,
    accuracy: nTest ? right / nTest : 0,
    clearAccuracy: clear < nTest && clear > 0 ? clearRight / clear : null,
    macroF1: present.length ? present.reduce((a, p) => a + p.f1, 0) / present.length : 0,
    perLabel,
    confusion: { labels, matrix },
    byConfidence: [0.5, 0.7, 0.9].map((min) => {
      const kept = scored.filter((s) => s.confidence >= min);
      return { min, share: nTest ? kept.length / nTest : 0, accuracy: kept.length ? kept.filter((s) => s.ok).length / kept.length : 0 };
    }),
    calibrationError: calibrationError(scored),
    router,
  };
}

function calibrationError(scored: readonly { confidence: number; ok: boolean }[]): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, ok: 0 }));
  for (const s of scored) {
    const b = bins[Math.min(9, Math.floor(s.confidence * 10))]!;
    b.n++; b.conf += s.confidence; if (s.ok) b.ok++;
  }
  return scored.length ? bins.reduce((a, b) => a + Math.abs(b.conf - b.ok), 0) / scored.length : 0;
}

/** A seeded permutation of 0..n-1. */
export function shuffle(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export interface ClusteringScores {
  /** Share of clustered items whose cluster's most common true class is theirs. */
  purity: number;
  /** Adjusted Rand index over all items, unclustered ones counted as singletons (1 = perfect). */
  ari: number;
  /** Mean over true classes of the share of the class in its largest cluster. */
  completeness: number;
  /** Share of items placed in some cluster. */
  coverage: number;
  /** Clusters whose second most common class holds over 20% of them (merged families). */
  mixedClusters: number;
}

/** `predicted[i]` is item i's cluster (negative: none); `truth[i]` its true class. */
export function clusteringScores(predicted: readonly number[], truth: readonly string[]): ClusteringScores {
  const n = predicted.length;
  const byCluster = new Map<number, Map<string, number>>();
  const byClass = new Map<string, Map<number, number>>();
  let clustered = 0;
  for (let i = 0; i < n; i++) {
    const c = predicted[i]!;
    const t = truth[i]!;
    if (!byClass.has(t)) byClass.set(t, new Map());
    if (c < 0) continue;
    clustered++;
    if (!byCluster.has(c)) byCluster.set(c, new Map());
    bump(byCluster.get(c)!, t);
    bump(byClass.get(t)!, c);
  }
  let pure = 0; let mixed = 0;
  for (const counts of byCluster.values()) {
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const size = sorted.reduce((a, b) => a + b, 0);
    pure += sorted[0]!;
    if ((sorted[1] ?? 0) > 0.2 * size) mixed++;
  }
  const classSize = new Map<string, number>();
  for (const t of truth) classSize.set(t, (classSize.get(t) ?? 0) + 1);
  let completeness = 0;
  for (const [t, counts] of byClass) completeness += Math.max(0, ...counts.values()) / classSize.get(t)!;
  // ARI from the contingency table; unclustered items are singleton clusters (no pairs).
  const c2 = (x: number): number => (x * (x - 1)) / 2;
  let sumCells = 0; let sumA = 0;
  for (const counts of byCluster.values()) {
    let size = 0;
    for (const v of counts.values()) { sumCells += c2(v); size += v; }
    sumA += c2(size);
  }
  let sumB = 0;
  for (const size of classSize.values()) sumB += c2(size);
  const expected = (sumA * sumB) / c2(n);
  const max = (sumA + sumB) / 2;
  return {
    purity: clustered ? pure / clustered : 0,
    ari: max === expected ? 0 : (sumCells - expected) / (max - expected),
    completeness: byClass.size ? completeness / byClass.size : 0,
    coverage: n ? clustered / n : 0,
    mixedClusters: mixed,
  };
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
