/**
 * Who holds SQLite's write lock while votes arrive and recomputations run, and how long the app's
 * request thread waits for it. Runs the app with its job worker (bench/vote-server.ts) under
 * strace, on a copy of a data directory kept by the vote bench, sends votes at --rate for
 * --seconds (after a first recomputation, as the vote bench does), then prints, per thread, for
 * the measured window:
 *   - how long it held SQLite's WAL locks (write, checkpoint, read mark 0): count, p99, max, total;
 *   - its fsync calls and how long they took;
 *   - the sleeps of SQLite's busy handler (a connection waiting for a lock in its thread).
 *
 *   npx tsx bench/deliberation-votes.ts --seconds 1 --rate 0 --open 0 --sweep 0 --keep   # prints "kept <dir>"
 *   npx tsx bench/wal-locks.ts <dir> [--rate 500] [--seconds 10] [--no-strace] [--before <rate>] [--no-worker]
 *
 * --before <rate>: first --seconds of votes at that rate, unmeasured (a process that has been
 * answering votes for a while, its code compiled by V8's optimising tiers). --no-worker: no job
 * worker, so no recomputation.
 *
 * SQLite takes its WAL locks as byte-range locks on the -shm file (bytes 120–127: write,
 * checkpoint, recover, read marks 0–4); between connections of one process it settles them in
 * memory, but each lock a process takes or drops is one fcntl call, by the thread whose
 * connection does so. strace stops only those calls (seccomp-bpf) and the few others named
 * below, but it still slows them: latencies printed under it are not the app's. --no-strace runs
 * the same load without it, for the latencies.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { hashToken, newToken } from '../src/platform/auth/sessions.js';
import { stopChild } from './measure.js';
import { openLoop } from './open-loop.js';
import { warmUp } from './warm-up.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rate: { type: 'string', default: '500' }, seconds: { type: 'string', default: '10' }, 'no-strace': { type: 'boolean', default: false },
    before: { type: 'string', default: '0' }, 'no-worker': { type: 'boolean', default: false },
  },
});
const kept = positionals[0];
if (!kept) throw new Error('usage: wal-locks.ts <data dir kept by bench/deliberation-votes.ts --keep> [--rate 500] [--seconds 10] [--no-strace]');
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const traced = !values['no-strace'];

// A copy: the run writes votes (and tokens) into it.
const dir = mkdtempSync(join(tmpdir(), 'xs-wal-locks-'));
cpSync(kept, dir, { recursive: true });
const traceFile = join(dir, 'strace.txt');

/** Fresh API tokens for the kept voters (the vote bench keeps only their hashes). */
function voters(file: string): { id: number; statementIds: number[]; tokens: string[] } {
  const db = new SQLite(file);
  try {
    const id = db.prepare('SELECT max(id) FROM deliberations').pluck().get() as number;
    const statementIds = db.prepare("SELECT id FROM deliberation_statements WHERE deliberation_id = ? AND status = 'accepted' ORDER BY id").pluck().all(id) as number[];
    const users = db.prepare('SELECT DISTINCT user_id FROM api_tokens ORDER BY user_id').pluck().all() as number[];
    const now = new Date().toISOString();
    const add = db.prepare("INSERT INTO api_tokens (name, token_hash, user_id, created_by, created_at, last_used_at, revoked_at) VALUES ('wal-locks', ?, ?, NULL, ?, NULL, NULL)");
    const tokens: string[] = [];
    db.transaction(() => { for (const u of users) { const t = `xs_${newToken()}`; add.run(hashToken(t), u, now); tokens.push(t); } })();
    return { id, statementIds, tokens };
  } finally {
    db.close();
  }
}

function start(env: NodeJS.ProcessEnv, lines: string[]): Promise<{ child: ChildProcess; url: string; pid: number }> {
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile per thread of the app (1 ms samples), as in the vote bench.
  const prof = env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`, '--cpu-prof-interval=1000'] : [];
  const node = [process.execPath, ...prof, '--import', 'tsx', new URL('./vote-server.ts', import.meta.url).pathname];
  const child = traced
    ? spawn('strace', ['-f', '--seccomp-bpf', '-T', '-ttt', '-e', 'trace=fcntl,openat,fsync,fdatasync,clock_nanosleep,nanosleep', '-o', traceFile, ...node], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(node[0]!, node.slice(1), { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      lines.push(l);
      const m = /^ready (\S+)/.exec(l);
      if (!m) return;
      // Under strace the app is strace's child.
      const pid = traced ? Number(execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n')[0]) : child.pid!;
      resolve({ child, url: m[1]!, pid });
    });
    child.on('exit', (code) => reject(new Error(`app exited with ${code}`)));
  });
}

/** Thread ids of `pid` by what they are: the nice-19 one is the deliberation compute thread. */
function threadRoles(pid: number): Map<number, string> {
  const roles = new Map<number, string>([[pid, 'request thread']]);
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[19 - 3] === '19') roles.set(Number(t), 'compute thread');
    } catch { /* ended meanwhile */ }
  }
  return roles;
}

interface Call { tid: number; at: number; name: string; args: string; ret: string; secs: number }

/** strace -f -ttt -T output as whole calls (an interrupted call's two halves joined). */
function parseTrace(text: string): Call[] {
  const calls: Call[] = [];
  const open = new Map<number, { at: number; head: string }>();
  for (const line of text.split('\n')) {
    let m = /^(\d+)\s+([\d.]+) (.*) <unfinished \.\.\.>$/.exec(line);
    if (m) { open.set(Number(m[1]), { at: Number(m[2]), head: m[3]! }); continue; }
    let whole: string | null = null;
    let tid = 0;
    let at = 0;
    m = /^(\d+)\s+([\d.]+) <\.\.\. \w+ resumed>(.*)$/.exec(line);
    if (m) {
      tid = Number(m[1]);
      const o = open.get(tid);
      if (!o) continue;
      open.delete(tid);
      whole = o.head + m[3]!;
      at = o.at;
    } else {
      m = /^(\d+)\s+([\d.]+) (.*)$/.exec(line);
      if (!m) continue;
      tid = Number(m[1]);
      at = Number(m[2]);
      whole = m[3]!;
    }
    const c = /^(\w+)\((.*)\)\s+= (\S+).*<([\d.]+)>$/.exec(whole);
    if (c) calls.push({ tid, at, name: c[1]!, args: c[2]!, ret: c[3]!, secs: Number(c[4]) });
  }
  return calls;
}

const LOCKS: Record<number, string> = { 120: 'write', 121: 'checkpoint', 123: 'read mark 0' };
const ms = (s: number) => (s * 1000).toFixed(1);
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

function report(calls: Call[], from: number, to: number, roles: Map<number, string>): void {
  const role = (tid: number) => roles.get(tid) ?? `thread ${tid}`;
  const fd = calls.find((c) => c.name === 'openat' && c.args.includes('-shm"'))?.ret;
  const holding = new Map<string, number>();
  const holds = new Map<string, number[]>();
  for (const c of calls) {
    if (c.name !== 'fcntl' || !c.args.startsWith(`${fd},`)) continue;
    const m = /l_type=(F_WRLCK|F_UNLCK).*l_start=(\d+), l_len=(\d+)/.exec(c.args);
    if (!m) continue;
    for (let b = Number(m[2]); b < Number(m[2]) + Number(m[3]); b++) {
      if (!LOCKS[b]) continue;
      const key = `${c.tid}\t${b}`;
      if (m[1] === 'F_WRLCK') holding.set(key, c.at);
      else if (holding.has(key)) {
        const since = holding.get(key)!;
        holding.delete(key);
        if (since >= from && since <= to) {
          if (!holds.has(key)) holds.set(key, []);
          holds.get(key)!.push(c.at - since);
        }
      }
    }
  }
  // The thread that checkpoints is the checkpointer's (db/checkpointer.ts).
  for (const key of holds.keys()) {
    const [tid, b] = key.split('\t').map(Number) as [number, number];
    if (b === 121 && !roles.has(tid)) roles.set(tid, 'checkpointer thread');
  }
  console.log(`SQLite WAL locks held (exclusive), ${seconds} s window:`);
  for (const [key, xs] of [...holds].sort()) {
    const [tid, b] = key.split('\t').map(Number) as [number, number];
    xs.sort((a, b2) => a - b2);
    console.log(`  ${role(tid)}: ${LOCKS[b]} lock ${xs.length}×, p99 ${ms(q(xs, 0.99))} ms, max ${ms(xs.at(-1)!)} ms, ${ms(xs.reduce((a, x) => a + x, 0))} ms in all`);
  }
  const inWindow = calls.filter((c) => c.at >= from && c.at <= to);
  const byThread = (name: RegExp) => {
    const m = new Map<number, number[]>();
    for (const c of inWindow) {
      if (!name.test(c.name)) continue;
      if (!m.has(c.tid)) m.set(c.tid, []);
      m.get(c.tid)!.push(c.secs);
    }
    return m;
  };
  console.log('fsync:');
  for (const [tid, xs] of byThread(/^f(data)?sync$/)) {
    xs.sort((a, b) => a - b);
    console.log(`  ${role(tid)}: ${xs.length}×, p50 ${ms(q(xs, 0.5))} ms, max ${ms(xs.at(-1)!)} ms, ${ms(xs.reduce((a, x) => a + x, 0))} ms in all`);
  }
  console.log("sleeps (SQLite's busy handler waiting for a lock):");
  const sleeps = byThread(/sleep$/);
  if (sleeps.size === 0) console.log('  none');
  for (const [tid, xs] of sleeps) console.log(`  ${role(tid)}: ${xs.length}×, ${ms(xs.reduce((a, x) => a + x, 0))} ms in all`);
}

async function main(): Promise<void> {
  const { id, statementIds, tokens } = voters(join(dir, 'xieshang.db'));
  const env = { ...process.env, XS_DATA_DIR: dir, XS_PG_SCHEMA: '', DATABASE_URL: '', XS_COOKIE_SECRET: newToken(), NODE_ENV: 'production', LOG_LEVEL: 'silent', BENCH_WORKER: values['no-worker'] ? '0' : '1' };
  const lines: string[] = [];
  const app = await start(env, lines);
  try {
    if (!values['no-worker']) console.log(`first recomputation (reads every vote): ${await warmUp(app.url, id, statementIds[0]!, tokens[0]!, lines)}`);
    if (Number(values.before) > 0) await openLoop(app.url, `/api/v1/deliberations/${id}/votes`, statementIds, tokens, seconds, Number(values.before));
    const roles = threadRoles(app.pid);
    let from = 0;
    const r = await openLoop(app.url, `/api/v1/deliberations/${id}/votes`, statementIds, tokens, seconds, rate, () => {
      from = Date.now() / 1000;
      process.kill(app.pid, 'SIGUSR2');
    });
    const to = Date.now() / 1000;
    console.log(`${rate} votes/s for ${seconds} s${traced ? ' (under strace)' : ''}: end to end p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms (non-2xx ${r.non2xx})`);
    process.kill(app.pid, 'SIGTERM');
    await new Promise((resolve) => app.child.once('exit', resolve));
    const label: Record<string, string> = { served: 'inside the app', loop: 'event loop held up', busy: 'busy' };
    for (const l of lines.filter((x) => /^(served|loop|busy) /.test(x))) console.log(`  ${label[l.slice(0, l.indexOf(' '))]}: ${l.slice(l.indexOf(' ') + 1)}`);
    if (traced) report(parseTrace(readFileSync(traceFile, 'utf8')), from, to, roles);
  } finally {
    if (app.child.exitCode === null) await stopChild(app.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
