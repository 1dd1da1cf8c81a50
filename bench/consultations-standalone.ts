import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import type { BenchRow } from './opinions-scenarios.js';

// Issue 4's standalone benchmarks, run by `npm run bench` (full run, or BENCH_ONLY=deliberation)
// as child processes, one after the other; each prints a JSON summary on its last line, which
// goes into bench/results/latest.json (`summary`) and a row of the table:
//   bench/deliberation-math.ts   the math alone: 33k × 800 × 2M (target: full recomputation
//                                under 2 s on one core) and 100k × 2k × 10M (reported)
//   bench/deliberation-votes.ts  33k × 800 × 2M through the database: recomputation through the
//                                job, and votes over HTTP at 50 connections (target p99 < 5 ms
//                                while recomputations run; closed loop and paced at --rate)
//   bench/live-sse.ts            2,000 SSE connections, each update to all within 1 s
// They are heavy (minutes, gigabytes): BENCH_DELIBERATION_SIZE=small runs reduced sizes that
// only show the wiring works (no target is judged then).

export interface StandaloneOptions {
  /** PostgreSQL URL for deliberation-votes.ts (it makes and drops its own schema). */
  pgUrl?: string;
  small: boolean;
  log: (line: string) => void;
}

interface Child { summary: Record<string, unknown> | null; code: number | null; seconds: number; tail: string[] }

function runChild(script: string, args: string[], env: NodeJS.ProcessEnv, log: (l: string) => void): Promise<Child> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL(script, import.meta.url).pathname, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (!line.startsWith('{')) log(`  | ${line}`);
    });
    // 'close': after the output has ended, so every line (the summary last) has been read.
    child.on('close', (code) => {
      const last = lines.filter((l) => l.trim()).at(-1) ?? '';
      let summary: Record<string, unknown> | null = null;
      try { summary = last.startsWith('{') ? JSON.parse(last) as Record<string, unknown> : null; } catch { summary = null; }
      resolve({ summary, code, seconds: (Date.now() - started) / 1000, tail: lines.slice(-5) });
    });
  });
}

const failed = (scenario: string, script: string, c: Child): BenchRow & { summary: null } =>
  ({ scenario, summary: null, note: `FAILED: ${script} exited with ${c.code} after ${c.seconds.toFixed(0)} s and printed no JSON summary (${c.tail.join(' / ').slice(0, 300)})` });

type Row = BenchRow & { summary?: unknown };

export async function runStandalone(o: StandaloneOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const small = o.small ? ' (reduced size: wiring only, no target judged)' : '';
  const env = { ...process.env, DATABASE_URL: o.pgUrl ?? '' };

  // ---- The math alone.
  o.log(`deliberation-math.ts${o.small ? ' --small' : ''}…`);
  const math = await runChild('./deliberation-math.ts', o.small ? ['--small'] : [], env, o.log);
  if (!math.summary) rows.push(failed('deliberation.math', 'deliberation-math.ts', math));
  else {
    const results = (math.summary.results ?? []) as Array<{ size: string; totalMs: number; totalCpuMs: number; k: number; plantedGroups: number; ari: number; placed: number; participants: number }>;
    for (const r of results) {
      const judged = r.size === '33k×800×2M' && !o.small;
      rows.push({
        scenario: `deliberation.math ${r.size}`, seconds: r.totalMs / 1000, summary: r,
        note: `full recomputation ${r.totalMs} ms wall, ${r.totalCpuMs} ms CPU; k=${r.k} (planted ${r.plantedGroups}), ARI ${r.ari}`
          + (r.size === '33k×800×2M' ? `; target < 2 s on one core${judged ? (r.totalCpuMs < 2000 && r.totalMs < 2000 ? ' met' : ' MISSED') : small}` : '; reported'),
      });
    }
  }

  // ---- Votes through the database while recomputations run.
  const args = o.small ? ['--participants', '3000', '--statements', '200', '--votes', '100000', '--users', '300', '--seconds', '5'] : [];
  o.log(`deliberation-votes.ts ${args.join(' ')} on ${o.pgUrl ? 'PostgreSQL' : 'SQLite'}…`);
  const votes = await runChild('./deliberation-votes.ts', args, env, o.log);
  if (!votes.summary) rows.push(failed('deliberation.votes', 'deliberation-votes.ts', votes));
  else {
    type V = { rps: number; p50_ms: number; p99_ms: number; max_ms: number; non2xx: number; errors: number; rate?: number; recomputations?: number; busy_percent?: number; event_loop_delay_ms?: { p99: number; max: number } | null; inside_app_ms?: { p99: number } | null; warm_rate?: number };
    const s = votes.summary as { size: { participants: number; statements: number; votes: number }; recompute_ms: number; recompute_cpu_ms: number; recompute_read_ms: number; recompute_math_ms: number;
      votes_baseline: V; votes_with_worker: V; votes_with_worker_paced: V | null; votes_with_worker_paced_request_thread_alone?: V | null; votes_with_worker_sweep?: V[];
      floor_bare_http?: { closed: V; paced: V | null; swept?: V[] } };
    const size = `${s.size.participants}×${s.size.statements}×${s.size.votes}`;
    rows.push({ scenario: 'deliberation.recompute', seconds: s.recompute_ms / 1000, summary: s, note: `${size} through the recompute job: ${s.recompute_ms} ms wall, ${s.recompute_cpu_ms} ms CPU (read ${s.recompute_read_ms} ms, math ${s.recompute_math_ms} ms)${small}` });
    const vrow = (scenario: string, v: V | null, what: string, judged: boolean) => {
      if (!v) return;
      const extra = v.recomputations !== undefined ? `; ${v.recomputations} recomputations overlapped (one running ${v.busy_percent} % of the time)` : '';
      const loop = v.event_loop_delay_ms ? `; event loop held up p99 ${v.event_loop_delay_ms.p99.toFixed(1)} ms` : '';
      const inside = v.inside_app_ms ? `; inside the app p99 ${v.inside_app_ms.p99} ms` : '';
      rows.push({
        scenario, auth: 'signed-in', rps: v.rps, p50_ms: v.p50_ms, p99_ms: v.p99_ms,
        note: `POST /api/v1/deliberations/:id/votes, ${size}, ${what}${extra}${inside}${loop}; ${v.non2xx} non-2xx, ${v.errors} errors`
          + (judged ? `; target p99 < 5 ms${small || (v.p99_ms < 5 ? ' met' : ' MISSED')}` : ''),
      });
    };
    vrow('deliberation.votes', s.votes_baseline, 'no job worker (closed loop, 50 connections)', false);
    vrow('deliberation.votes.recompute', s.votes_with_worker, 'with the job worker recomputing in the app process (closed loop, 50 connections)', true);
    vrow('deliberation.votes.recompute.paced', s.votes_with_worker_paced, `with the job worker, offered at ${s.votes_with_worker_paced?.rate ?? '?'} votes/s over 50 connections`, true);
    vrow('deliberation.votes.recompute.paced.alone', s.votes_with_worker_paced_request_thread_alone ?? null, "the same, the app's request thread alone on one core (the sender and the compute thread on the other)", true);
    for (const v of s.votes_with_worker_sweep ?? []) vrow(`deliberation.votes.recompute.paced.${v.rate}`, v, `with the job worker, offered at ${v.rate} votes/s over up to 50 connections${v.warm_rate ? ` (after 7 s at ${v.warm_rate}/s, unmeasured)` : ''}`, true);
    // The floor: the same senders on a bare route with no database (no target: what no app can beat here).
    const f = s.floor_bare_http;
    if (f) {
      rows.push({ scenario: 'deliberation.votes.floor', rps: f.closed.rps, p50_ms: f.closed.p50_ms, p99_ms: f.closed.p99_ms, note: 'the floor: a bare Fastify route taking the vote JSON, no database, 50 connections closed loop' });
      if (f.paced) rows.push({ scenario: 'deliberation.votes.floor.paced', rps: f.paced.rps, p50_ms: f.paced.p50_ms, p99_ms: f.paced.p99_ms, note: `the floor, offered at ${s.votes_with_worker_paced?.rate ?? '?'} requests/s over 50 connections` });
      for (const v of f.swept ?? []) rows.push({ scenario: `deliberation.votes.floor.paced.${v.rate}`, rps: v.rps, p50_ms: v.p50_ms, p99_ms: v.p99_ms, note: `the floor, offered at ${v.rate} requests/s over up to 50 connections` });
    }
  }

  // ---- Live updates to SSE connections.
  const sseEnv = { ...env, ...(o.small ? { LIVE_CLIENTS: '200', LIVE_UPDATES: '5' } : {}) };
  o.log(`live-sse.ts with ${sseEnv.LIVE_CLIENTS ?? 2000} connections…`);
  const sse = await runChild('./live-sse.ts', [], sseEnv, o.log);
  if (!sse.summary) rows.push(failed('live.sse', 'live-sse.ts', sse));
  else {
    const s = sse.summary as { connected: number; clients: number; updates: number; p50_ms: number; p99_ms: number; worst_update_ms: number; incomplete_updates: number; dropped: number };
    const met = s.connected === s.clients && s.incomplete_updates === 0 && s.worst_update_ms < 1000;
    rows.push({
      scenario: 'live.sse', p50_ms: s.p50_ms, p99_ms: s.p99_ms, seconds: s.worst_update_ms / 1000, summary: s,
      note: `${s.connected}/${s.clients} SSE connections, ${s.updates} updates; worst update reached everyone in ${s.worst_update_ms} ms; ${s.incomplete_updates} updates missed someone, ${s.dropped} slow readers dropped; target every update to all within 1 s${small || (met ? ' met' : ' MISSED')}`,
    });
  }
  o.log(`load average after the standalone benchmarks: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  return rows;
}
