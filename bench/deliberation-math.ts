/**
 * Deliberation math benchmark: synthetic conversations with planted opinion groups (seeded PRNG),
 * the full recomputation timed per stage, and recovery of the planted groups (adjusted Rand index).
 *
 *   npx tsx bench/deliberation-math.ts            # 33k × 800 × 2M and 100k × 2k × 10M
 *   npx tsx bench/deliberation-math.ts --small    # only the first size
 *
 * Pure math on one core; prints a table and a JSON summary on the last line.
 */
import { performance } from 'node:perf_hooks';
import { adjustedRandIndex, computeOpinionGroups, createPrng, nextStatement, renderOpinionMapSvg, type VoteColumns } from '../src/modules/deliberation/engine/index.js';

interface Size {
  name: string;
  participants: number;
  statements: number;
  votes: number;
  groups: number;
}

const SIZES: Size[] = [
  { name: '33k×800×2M', participants: 33_000, statements: 800, votes: 2_000_000, groups: 4 },
  { name: '100k×2k×10M', participants: 100_000, statements: 2_000, votes: 10_000_000, groups: 4 },
];

/** Planted groups: each group has its own agree/disagree tendency on every divisive statement. */
function generate(size: Size, seed: number): { votes: VoteColumns; planted: Int32Array; participantIds: Int32Array } {
  const rand = createPrng(seed);
  const { participants: n, statements: m, groups: g } = size;
  // Uneven group shares, e.g. 40 / 30 / 20 / 10 %.
  const shares = Array.from({ length: g }, (_, i) => g - i);
  const total = shares.reduce((a, b) => a + b, 0);
  const planted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let r = rand() * total;
    let k = 0;
    while (r >= shares[k]!) r -= shares[k++]!;
    planted[i] = k;
  }
  // Groups sit on a circle in a 2-D latent opinion space; each statement has a loading on that space
  // and a bias (a third are near-consensual: small loading, strong bias). Agree probability of a
  // group = sigmoid(3 · loading · position + bias).
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const agreeP = new Float64Array(g * m);
  for (let s = 0; s < m; s++) {
    const consensual = rand() < 1 / 3;
    const l1 = gauss() * (consensual ? 0.15 : 1);
    const l2 = gauss() * (consensual ? 0.15 : 1);
    const bias = consensual ? (rand() < 0.5 ? -1.5 : 1.5) : 0.4 * gauss();
    for (let k = 0; k < g; k++) {
      const a = (2 * Math.PI * k) / g;
      agreeP[k * m + s] = 1 / (1 + Math.exp(-(3 * (l1 * Math.cos(a) + l2 * Math.sin(a)) + bias)));
    }
  }
  const mean = size.votes / n;
  const counts = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    // Log-normal-ish activity around the mean, at least 1 vote.
    const z = gauss();
    counts[i] = Math.max(1, Math.min(m, Math.round(mean * Math.exp(0.6 * z - 0.18))));
    sum += counts[i]!;
  }
  const pIds = new Int32Array(sum);
  const sIds = new Int32Array(sum);
  const vals = new Int8Array(sum);
  const mark = new Int32Array(m).fill(-1);
  let w = 0;
  // Participant ids are shuffled relative to groups; statement ids are offset to look like real ids.
  const participantIds = new Int32Array(n);
  for (let i = 0; i < n; i++) participantIds[i] = 1000 + i * 7;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = participantIds[i]!;
    participantIds[i] = participantIds[j]!;
    participantIds[j] = t;
  }
  for (let i = 0; i < n; i++) {
    const k = planted[i]!;
    for (let c = 0; c < counts[i]!; ) {
      const s = Math.floor(rand() * m);
      if (mark[s] === i) continue;
      mark[s] = i;
      c++;
      const r = rand();
      pIds[w] = participantIds[i]!;
      sIds[w] = 50_000 + s * 3;
      vals[w] = r < 0.12 ? 0 : r < 0.12 + 0.88 * agreeP[k * m + s]! ? 1 : -1;
      w++;
    }
  }
  // Votes arrive in random order.
  for (let i = w - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    let t = pIds[i]!;
    pIds[i] = pIds[j]!;
    pIds[j] = t;
    t = sIds[i]!;
    sIds[i] = sIds[j]!;
    sIds[j] = t;
    t = vals[i]!;
    vals[i] = vals[j]!;
    vals[j] = t;
  }
  return { votes: { participantIds: pIds, statementIds: sIds, values: vals }, planted, participantIds };
}

const only = process.argv.includes('--small') ? SIZES.slice(0, 1) : SIZES;
const summary: Record<string, unknown>[] = [];
// Warm-up on a small conversation so the timings below measure compiled code (a worker process
// recomputes many conversations; the first call of a fresh process is ~2x slower).
computeOpinionGroups({ votes: generate({ name: 'warm-up', participants: 3000, statements: 200, votes: 150_000, groups: 3 }, 7).votes });
for (const size of only) {
  const t0 = performance.now();
  const { votes, planted, participantIds } = generate(size, 20240601);
  const genMs = performance.now() - t0;
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const result = computeOpinionGroups({ votes });
  const totalMs = performance.now() - t1;
  const cpuMs = process.cpuUsage(cpu0).user / 1000;

  const plantedById = new Map<number, number>();
  participantIds.forEach((id, i) => plantedById.set(id, planted[i]!));
  const a: number[] = [];
  const b: number[] = [];
  for (const [id, g] of result.groupByParticipant) {
    a.push(plantedById.get(id)!);
    b.push(g);
  }
  const ari = adjustedRandIndex(a, b);
  const t2 = performance.now();
  const svg = renderOpinionMapSvg(result);
  const svgMs = performance.now() - t2;
  const t3 = performance.now();
  for (let i = 0; i < 1000; i++) nextStatement(result, { votedStatementIds: [], seed: i });
  const nextMs = (performance.now() - t3) / 1000;

  const row = {
    size: size.name,
    participants: result.counts.participants,
    statements: result.counts.statements,
    votes: result.counts.votes,
    placed: result.counts.placed,
    plantedGroups: size.groups,
    k: result.k,
    silhouette: Number(result.silhouette.toFixed(4)),
    ari: Number(ari.toFixed(4)),
    plantedRecovered: result.k === size.groups && ari >= 0.9,
    pcaIterations: result.axes.iterations,
    totalMs: Math.round(totalMs),
    totalCpuMs: Math.round(cpuMs),
    stagesMs: Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, Math.round(v)])),
    stagesCpuMs: Object.fromEntries(Object.entries(result.cpuTimings).map(([k, v]) => [k, Math.round(v)])),
    svgBytes: Buffer.byteLength(svg),
    svgMs: Math.round(svgMs),
    nextStatementMs: Number(nextMs.toFixed(2)),
    generateMs: Math.round(genMs),
  };
  summary.push(row);
  console.log(`\n${size.name}: total ${row.totalMs} ms wall (${row.totalCpuMs} ms CPU), k=${row.k} (planted ${size.groups}), ARI ${row.ari}, placed ${row.placed}/${row.participants}`);
  for (const [stage, ms] of Object.entries(row.stagesMs)) console.log(`  ${stage.padEnd(14)} ${String(ms).padStart(6)} ms wall ${String(row.stagesCpuMs[stage]).padStart(6)} ms CPU`);
  console.log(`  svg ${row.svgBytes} bytes in ${row.svgMs} ms; nextStatement ${row.nextStatementMs} ms; pca iterations ${row.pcaIterations}`);
}
console.log(JSON.stringify({ bench: 'deliberation-math', node: process.version, results: summary }));
if (summary.some((r) => !r.plantedRecovered)) {
  console.error('planted groups NOT recovered (k differs or ARI < 0.9)');
  process.exitCode = 1;
}
