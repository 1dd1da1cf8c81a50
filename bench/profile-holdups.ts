/**
 * What holds up an app process's event loop: reads a V8 CPU profile (BENCH_CPU_PROF=<dir> on
 * bench/deliberation-votes.ts writes one per app process and thread; the main thread's has
 * thread id 0 in its name) and lists, for the runs of busy samples of at least --min ms, where
 * their time went (the two innermost frames of this repository's src/, and the leaf).
 *
 *   npx tsx bench/profile-holdups.ts <file.cpuprofile> [--min 3] [--last 10.4]
 *
 * --last: only the last seconds of the profile (the bench's measured window ends 0.2 s before
 * the process is stopped). Profiles are sampled (1 ms with the bench's setting): a run's time
 * is approximate, and its stacks are samples, not a trace.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Frame { functionName: string; url: string }
interface ProfileNode { id: number; callFrame: Frame; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
interface Run { start: number; us: number; labels: Map<string, number> }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { min: { type: 'string', default: '3' }, last: { type: 'string', default: '0' } } });
const file = positionals[0];
if (!file) throw new Error('usage: profile-holdups.ts <file.cpuprofile> [--min ms] [--last s]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const minUs = Number(values.min) * 1000;
const totalUs = p.timeDeltas.reduce((a, b) => a + b, 0);
const fromUs = Number(values.last) > 0 ? totalUs - Number(values.last) * 1e6 : 0;

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)']);

function label(id: number): string {
  const leaf = byId.get(id)!.callFrame.functionName || '(anonymous)';
  if (SPECIAL.has(leaf)) return leaf;
  const ours: string[] = [];
  for (let cur: number | undefined = id; cur !== undefined && ours.length < 2; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (f.url.includes('/src/') && !f.url.includes('node_modules')) ours.push(`${f.functionName || '(anonymous)'}@${f.url.split('/src/')[1]}`);
  }
  return `${ours.join(' < ') || '(outside src)'} | ${leaf}`;
}

const runs: Run[] = [];
let run: Run | null = null;
let t = 0;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i] ?? 0;
  if (t < fromUs) continue;
  const idle = byId.get(p.samples[i]!)!.callFrame.functionName === '(idle)';
  if (idle) {
    if (run) runs.push(run);
    run = null;
    continue;
  }
  run ??= { start: t, us: 0, labels: new Map() };
  const us = p.timeDeltas[i + 1] ?? 1000; // this sample stands for the time until the next
  run.us += us;
  const l = label(p.samples[i]!);
  run.labels.set(l, (run.labels.get(l) ?? 0) + us);
}
if (run) runs.push(run);

const long = runs.filter((r) => r.us >= minUs);
const ms = (us: number) => (us / 1000).toFixed(1);
const total = new Map<string, number>();
for (const r of long) for (const [l, us] of r.labels) total.set(l, (total.get(l) ?? 0) + us);
console.log(`${file}: ${(t / 1e6).toFixed(1)} s profiled${fromUs ? `, the last ${values.last} s read` : ''}; ${long.length} busy runs of ${values.min} ms or more, ${ms(long.reduce((a, r) => a + r.us, 0))} ms in all`);
for (const [l, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${ms(us).padStart(7)} ms  ${l}`);
console.log('  the longest runs:');
for (const r of [...long].sort((a, b) => b.us - a.us).slice(0, 6)) {
  const top = [...r.labels].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, us]) => `${ms(us)} ms ${l}`).join('; ');
  console.log(`  ${ms(r.us).padStart(7)} ms at ${(r.start / 1e6).toFixed(2)} s: ${top}`);
}
