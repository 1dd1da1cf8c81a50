/**
 * Deliberation at the size of the largest Polis conversation, through the database:
 *
 *   npx tsx bench/deliberation-votes.ts                    # SQLite (throwaway directory)
 *   DATABASE_URL=postgres://… npx tsx bench/deliberation-votes.ts   # PostgreSQL (throwaway schema)
 *   flags: --participants 33000 --statements 800 --votes 2000000 --seconds 20 --users 2000 --rate 500 --open 1000
 *          --sweep 50,100,250 --keep
 *
 * 1. Seeds one deliberation (planted opinion groups, seeded PRNG) straight into the tables, in bulk:
 *    participants, statements, the current votes and the vote log.
 * 2. Times a full recomputation through the job path: a `deliberation.recompute` job run by a
 *    JobWorker (reading every vote, the math in a worker thread, storing the result).
 * 3. Starts the app in a child process and records votes over HTTP (POST /api/v1/…/votes, bearer
 *    tokens of `--users` people, random statements) with autocannon at 50 connections: first with
 *    no worker (baseline), then with the job worker running in the app's process, where the votes
 *    themselves keep a recomputation going (the child reports each one) — once as fast as votes are
 *    answered (closed loop: latency is then mostly queueing behind 49 other connections), then with
 *    voters arriving on their own at fixed rates (--rate and --open votes/s, evenly spaced over up
 *    to 50 connections), where latency is service time plus any wait behind the recomputation.
 *    Each app process with the worker first takes one vote and waits for the recomputation it
 *    asks for (reported apart): a new process's compute thread reads every vote once and then holds
 *    them, so the measured window is the steady state, where each run reads only the log since.
 *    Each load also reports how long votes took inside the app (request head parsed → answer
 *    handed to the kernel: bench/vote-server.ts) and how long its event loop was held up.
 *    The paced load with the worker is also measured with the app's request thread alone on one
 *    core (bench/pin.ts; the sender and the app's other threads on the other), and at the lower
 *    rates of --sweep (still over up to 50 connections, each after 7 s at --rate, unmeasured, so
 *    that V8 has compiled the vote's code as in a server that has run for a while): where the p99
 *    crosses 5 ms.
 * 4. The floor: the same senders against a bare Fastify route that takes the JSON and answers
 *    (bench/baseline.ts, no database): the latency the machine, the senders and the loopback add
 *    to every answer, which no app can go below.
 * Prints a table and a JSON summary on the last line. The math alone, also at 100k × 2k × 10M:
 * bench/deliberation-math.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { type AppContext, closeContext, createContext } from '../src/context.js';
import { dropPgSchema, sql } from '../src/db/database.js';
import '../src/modules/deliberation/recompute.js';
import { createPrng } from '../src/modules/deliberation/engine/index.js';
import { statementHash } from '../src/modules/deliberation/model.js';
import { requestRecompute } from '../src/modules/deliberation/version.js';
import { hashToken, newToken } from '../src/platform/auth/sessions.js';
import { JobWorker } from '../src/platform/jobs/worker.js';
import { stopChild } from './measure.js';
import { openLoop, randomVote } from './open-loop.js';
import { pinAppThread } from './pin.js';
import { warmUp } from './warm-up.js';

const log = (l: string) => process.stdout.write(`${l}\n`);


interface Size { participants: number; statements: number; votes: number }

/** Planted groups: four camps, each with its own agree probability per statement; ~votes/participants votes each. */
function* plantedVotes(size: Size, seed: number): Generator<{ p: number; s: number[]; v: number[] }> {
  const rand = createPrng(seed);
  const groups = 4;
  const agreeP = new Float64Array(groups * size.statements);
  for (let j = 0; j < size.statements; j++) {
    const consensual = rand() < 1 / 3;
    for (let g = 0; g < groups; g++) agreeP[g * size.statements + j] = consensual ? 0.85 : rand() < 0.5 ? 0.15 + 0.2 * rand() : 0.65 + 0.2 * rand();
  }
  const order = Int32Array.from({ length: size.statements }, (_, j) => j);
  let left = size.votes;
  for (let i = 0; i < size.participants; i++) {
    const g = Math.floor(rand() * groups);
    const fair = left / (size.participants - i);
    const n = Math.max(1, Math.min(size.statements, Math.round(fair * (0.3 + 1.4 * rand()))));
    left -= n;
    for (let k = 0; k < n; k++) { const r = k + Math.floor(rand() * (size.statements - k)); const x = order[k]!; order[k] = order[r]!; order[r] = x; }
    const picked = Array.from(order.subarray(0, n)).sort((a, b) => a - b);
    const v = picked.map((j) => { const u = rand(); return u < 0.12 ? 0 : u < 0.12 + 0.88 * agreeP[g * size.statements + j]! ? 1 : -1; });
    yield { p: i, s: picked, v };
  }
}

async function seed(ctx: AppContext, size: Size, users: number): Promise<{ id: number; statementIds: number[]; tokens: string[]; votes: number; seconds: number }> {
  const started = Date.now();
  const db = ctx.database.db;
  const now = new Date().toISOString();
  const body = await db.insertInto('bodies').values({ name: '县政协', kind: 'committee', parent_id: null, name_en: null, region_id: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const d = await db.insertInto('deliberations').values({
    consultation_id: null, body_id: body.id, title: '大规模网络议政', description: '', moderation: 'open', status: 'open', max_groups: 5,
    source: 'native', external_id: null, created_by: null, created_at: now, updated_at: now, closed_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  const pidOf = new Int32Array(size.participants);
  const sidOf = new Int32Array(size.statements);
  let votes = 0;
  if (ctx.database.dialect === 'sqlite') {
    const s = ctx.database.sqlite!;
    s.transaction(() => {
      const ip = s.prepare('INSERT INTO deliberation_participants (deliberation_id, user_id, external_id, created_at) VALUES (?, NULL, ?, ?)');
      for (let i = 0; i < size.participants; i++) pidOf[i] = Number(ip.run(d.id, `b${i}`, now).lastInsertRowid);
      const is = s.prepare("INSERT INTO deliberation_statements (deliberation_id, author_participant_id, body, body_hash, status, is_meta, is_seed, external_id, moderated_by, moderated_at, created_at) VALUES (?, NULL, ?, ?, 'accepted', 0, 1, NULL, NULL, NULL, ?)");
      for (let j = 0; j < size.statements; j++) sidOf[j] = Number(is.run(d.id, `观点 ${j + 1}`, statementHash(`观点 ${j + 1}`), now).lastInsertRowid);
      const iv = s.prepare('INSERT INTO deliberation_votes (deliberation_id, participant_id, statement_id, value, voted_at) VALUES (?, ?, ?, ?, ?)');
      const il = s.prepare('INSERT INTO deliberation_vote_log (deliberation_id, participant_id, statement_id, value, voted_at) VALUES (?, ?, ?, ?, ?)');
      for (const r of plantedVotes(size, 7)) {
        for (let k = 0; k < r.s.length; k++) {
          iv.run(d.id, pidOf[r.p], sidOf[r.s[k]!], r.v[k], now);
          il.run(d.id, pidOf[r.p], sidOf[r.s[k]!], r.v[k], now);
          votes++;
        }
      }
    })();
  } else {
    const pool = ctx.database.pool!;
    const q = (text: string, values: unknown[]) => pool.query(text, values);
    const ps = (await q('INSERT INTO deliberation_participants (deliberation_id, user_id, external_id, created_at) SELECT $1, NULL, x, $2 FROM unnest($3::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n RETURNING id',
      [d.id, now, Array.from({ length: size.participants }, (_, i) => `b${i}`)])).rows as Array<{ id: number }>;
    ps.map((r) => r.id).sort((a, b) => a - b).forEach((id, i) => { pidOf[i] = id; });
    const texts = Array.from({ length: size.statements }, (_, j) => `观点 ${j + 1}`);
    const ss = (await q("INSERT INTO deliberation_statements (deliberation_id, author_participant_id, body, body_hash, status, is_meta, is_seed, external_id, moderated_by, moderated_at, created_at) SELECT $1, NULL, b, h, 'accepted', 0, 1, NULL, NULL, NULL, $2 FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(b, h, n) ORDER BY n RETURNING id",
      [d.id, now, texts, texts.map(statementHash)])).rows as Array<{ id: number }>;
    ss.map((r) => r.id).sort((a, b) => a - b).forEach((id, j) => { sidOf[j] = id; });
    let P: number[] = [];
    let S: number[] = [];
    let V: number[] = [];
    const flush = async () => {
      if (!P.length) return;
      for (const table of ['deliberation_votes', 'deliberation_vote_log']) {
        await q(`INSERT INTO ${table} (deliberation_id, participant_id, statement_id, value, voted_at) SELECT $1, p, s, v, $2 FROM unnest($3::int[], $4::int[], $5::int[]) AS t(p, s, v)`, [d.id, now, P, S, V]);
      }
      P = []; S = []; V = [];
    };
    for (const r of plantedVotes(size, 7)) {
      for (let k = 0; k < r.s.length; k++) { P.push(pidOf[r.p]!); S.push(sidOf[r.s[k]!]!); V.push(r.v[k]!); votes++; }
      if (P.length >= 100_000) await flush();
    }
    await flush();
  }
  await db.updateTable('deliberations').set({ votes_version: votes }).where('id', '=', d.id).execute();
  // People who vote over HTTP, each with an API token.
  const tokens: string[] = [];
  for (let i = 0; i < users; i += 500) {
    const n = Math.min(500, users - i);
    const rows = await db.insertInto('users').values(Array.from({ length: n }, (_, k) => ({ display_name: `投票人${i + k}`, username: null, password_hash: null, totp_secret: null, is_admin: 0, locale: null, created_at: now, erased_at: null })))
      .returning('id').execute();
    const batch = rows.map(() => `xs_${newToken()}`);
    await db.insertInto('api_tokens').values(rows.map((r, k) => ({ name: 'bench', token_hash: hashToken(batch[k]!), user_id: r.id, created_by: null, created_at: now, last_used_at: null, revoked_at: null }))).execute();
    tokens.push(...batch);
  }
  if (ctx.database.dialect === 'postgres') await sql`ANALYZE`.execute(db);
  return { id: d.id, statementIds: Array.from(sidOf), tokens, votes, seconds: (Date.now() - started) / 1000 };
}

/** Runs the recompute job once through a JobWorker; returns its wall time and the stages it reported. */
async function recomputeThroughJob(ctx: AppContext, id: number): Promise<{ ms: number; cpuMs: number; loadMs: number; mathMs: number; kind: string; delta: boolean; stagesMs: Record<string, number> }> {
  await requestRecompute(ctx.database.db, id);
  let info: { loadMs?: number; mathMs?: number; kind?: string; delta?: boolean; stagesMs?: Record<string, number> } = {};
  const worker = new JobWorker(ctx, { log: { info: (o: unknown, msg?: string) => { if (msg === 'deliberation recomputed') info = o as typeof info; }, warn: () => {}, error: (o: unknown) => log(`worker error ${String(o)}`) } as never });
  // CPU of the whole process (this one does nothing else meanwhile): read, math and store, all threads.
  const c = process.cpuUsage();
  const t = performance.now();
  const ran = await worker.runOnce();
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(c);
  if (ran !== 1 || !info.kind) throw new Error('the recompute job did not run');
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, loadMs: info.loadMs ?? 0, mathMs: info.mathMs ?? 0, kind: info.kind, delta: info.delta ?? false, stagesMs: info.stagesMs ?? {} };
}

/** The app (bench/vote-server.ts), or another script printing "ready <address>" (the bare baseline). */
function startServer(env: NodeJS.ProcessEnv, lines: string[], script?: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=<dir>: each app process writes a V8 CPU profile there (1 ms samples) when stopped.
    const prof = env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`, '--cpu-prof-interval=1000'] : [];
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', script ?? new URL('./vote-server.ts', import.meta.url).pathname], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = /^ready (\S+)/.exec(line);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const inApp = (m: ReturnType<typeof childMeasure>) => (m ? `p50 ${m.p50} ms, p90 ${m.p90} ms, p99 ${m.p99} ms, max ${m.max} ms` : 'not reported');

/** What the app child printed when stopped: event loop held up ('loop') or votes inside the app ('served'). */
function childMeasure(lines: string[], tag: 'loop' | 'served'): { p50: number; p90?: number; p99: number; max: number; count?: number } | null {
  const l = lines.find((x) => x.startsWith(`${tag} `));
  return l ? (JSON.parse(l.slice(tag.length + 1)) as { p50: number; p99: number; max: number }) : null;
}


type Cannon = (o: Record<string, unknown>) => Promise<{ latency: { p50: number; p99: number; p90: number; max: number }; requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number; statusCodeStats?: Record<string, { count: number }> }>;

/** The app's vote route, or with no deliberation the bare baseline's (bench/baseline.ts). */
function votePath(id: number | null): string { return id === null ? '/votes' : `/api/v1/deliberations/${id}/votes`; }

/**
 * The machine's floor: the same senders against a bare Fastify route that takes the vote's JSON
 * and answers (no database, no auth), in a child process like the app. Whatever latency this has
 * the app cannot beat: it is the senders, the loopback and the two cores' scheduling.
 */
async function floor(seconds: number, rate: number, open: number, sweep: number[], statementIds: number[], tokens: string[]) {
  const lines: string[] = [];
  const bare = await startServer({ ...process.env, PORT: '0' }, lines, new URL('./baseline.ts', import.meta.url).pathname);
  try {
    const closed = await voteLoad(bare.url, null, statementIds, tokens, seconds);
    const paced = rate > 0 ? await openLoop(bare.url, votePath(null), statementIds, tokens, seconds, rate) : null;
    const fast = open > 0 ? await openLoop(bare.url, votePath(null), statementIds, tokens, seconds, open) : null;
    const single = await voteLoad(bare.url, null, statementIds, tokens, seconds, 0, 1);
    const swept = [];
    for (const r of sweep) swept.push({ rate: r, ...(await openLoop(bare.url, votePath(null), statementIds, tokens, seconds, r)) });
    return { closed, paced, open: fast, single, swept };
  } finally {
    await stopChild(bare.child);
  }
}

async function voteLoad(url: string, id: number | null, statementIds: number[], tokens: string[], seconds: number, rate = 0, connections = 50, beforeMeasure?: () => void) {
  const rand = createPrng(99);
  const run = autocannon as unknown as Cannon;
  const opts = (duration: number) => ({
    url: `${url}${votePath(id)}`, connections, duration, ...(rate > 0 ? { overallRate: rate } : {}),
    requests: [{
      method: 'POST',
      setupRequest: (req: Record<string, unknown>) => {
        const { body, authorization } = randomVote(rand, statementIds, tokens);
        return { ...req, headers: { 'content-type': 'application/json', authorization }, body };
      },
    }],
  });
  await run(opts(3));
  beforeMeasure?.();
  const r = await run(opts(seconds));
  return { rps: Math.round(r.requests.average), total: r.requests.total, p50_ms: r.latency.p50, p90_ms: r.latency.p90, p99_ms: r.latency.p99, max_ms: r.latency.max, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      participants: { type: 'string', default: '33000' }, statements: { type: 'string', default: '800' }, votes: { type: 'string', default: '2000000' },
      seconds: { type: 'string', default: '20' }, users: { type: 'string', default: '2000' }, keep: { type: 'boolean', default: false },
      rate: { type: 'string', default: '500' }, open: { type: 'string', default: '1000' }, sweep: { type: 'string', default: '50,100,250' },
    },
  });
  const size: Size = { participants: Number(values.participants), statements: Number(values.statements), votes: Number(values.votes) };
  const seconds = Number(values.seconds);
  const pgUrl = process.env.DATABASE_URL || undefined;
  const schema = pgUrl ? `bench_dv_${randomBytes(4).toString('hex')}` : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'xs-bench-dv-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XS_DATA_DIR: dataDir, XS_PG_SCHEMA: schema ?? '', XS_COOKIE_SECRET: randomBytes(32).toString('base64url'), NODE_ENV: 'production', LOG_LEVEL: 'silent' };
  const engine = pgUrl ? 'postgresql' : 'sqlite';
  const ctx = await createContext(loadConfig(env, { logLevel: 'silent' }));
  try {
    log(`Seeding ${size.participants} participants × ${size.statements} statements × ${size.votes} votes into ${engine}${schema ? ` (schema ${schema})` : ` (${dataDir})`}…`);
    const s = await seed(ctx, size, Number(values.users));
    log(`  ${s.votes} votes (and as many vote-log rows), ${s.tokens.length} voters with API tokens, in ${s.seconds.toFixed(1)} s`);
    const full = await recomputeThroughJob(ctx, s.id);
    log(`Full recomputation through the job (read votes + math in a worker thread + store): ${full.ms.toFixed(0)} ms wall, ${full.cpuMs.toFixed(0)} ms CPU (read ${full.loadMs.toFixed(0)} ms, math ${full.mathMs.toFixed(0)} ms, ${full.kind}); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    log(`  stages (ms): ${Object.entries(full.stagesMs).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const again = await recomputeThroughJob(ctx, s.id).catch(() => null);
    // The first run above also started the process's compute thread (loading the engine through
    // tsx in it), which happens once per process, and left it holding the votes. A vote later
    // (changed and logged as the vote writer does, with the new version), the thread reads only
    // the log since and computes the whole conversation again.
    const first = sql`(SELECT min(participant_id) FROM deliberation_votes WHERE deliberation_id = ${s.id})`;
    const firstStatement = sql`(SELECT min(statement_id) FROM deliberation_votes WHERE deliberation_id = ${s.id} AND participant_id = ${first})`;
    await sql`UPDATE deliberations SET votes_version = votes_version + 1 WHERE id = ${s.id}`.execute(ctx.database.db);
    await sql`INSERT INTO deliberation_vote_log (deliberation_id, participant_id, statement_id, value, voted_at, votes_version)
      SELECT deliberation_id, participant_id, statement_id, CASE WHEN value = 1 THEN -1 ELSE 1 END, voted_at, (SELECT votes_version FROM deliberations WHERE id = ${s.id})
      FROM deliberation_votes WHERE deliberation_id = ${s.id} AND participant_id = ${first} AND statement_id = ${firstStatement}`.execute(ctx.database.db);
    await sql`UPDATE deliberation_votes SET value = CASE WHEN value = 1 THEN -1 ELSE 1 END
      WHERE deliberation_id = ${s.id} AND participant_id = ${first} AND statement_id = ${firstStatement}`.execute(ctx.database.db);
    const warm = await recomputeThroughJob(ctx, s.id);
    log(`After one more vote, the thread already running: ${warm.ms.toFixed(0)} ms wall, ${warm.cpuMs.toFixed(0)} ms CPU (read ${warm.loadMs.toFixed(0)} ms${warm.delta ? ', only the log since the votes the thread held' : ', every vote'}, math ${warm.mathMs.toFixed(0)} ms, ${warm.kind})`);
    await closeContext(ctx);

    const lines: string[] = [];
    log(`Recording votes over HTTP, 50 connections, ${seconds} s, no worker (baseline)…`);
    const srv = await startServer({ ...env, BENCH_WORKER: '0' }, lines);
    const baseline = await voteLoad(srv.url, s.id, s.statementIds, s.tokens, seconds, 0, 50, () => srv.child.kill('SIGUSR2'));
    await stopChild(srv.child);
    const baseLoop = childMeasure(lines, 'loop');
    const baseServed = childMeasure(lines, 'served');
    log(`  ${baseline.rps} votes/s, p50 ${baseline.p50_ms} ms, p90 ${baseline.p90_ms} ms, p99 ${baseline.p99_ms} ms, max ${baseline.max_ms} ms (non-2xx ${baseline.non2xx}, errors ${baseline.errors})`);
    log(`  inside the app: ${inApp(baseServed)}; its event loop was held up: p99 ${baseLoop?.p99.toFixed(1)} ms, max ${baseLoop?.max.toFixed(1)} ms`);

    log(`The floor: the same senders against a bare Fastify route (bench/baseline.ts: takes the JSON, answers, no database), ${seconds} s each…`);
    const sweepRates = values.sweep.split(',').map(Number).filter((r) => r > 0);
    const bare = await floor(seconds, Number(values.rate), Number(values.open), sweepRates, s.statementIds, s.tokens);
    const show = (r: { rps: number; p50_ms: number; p90_ms: number; p99_ms: number; max_ms: number }) => `${r.rps}/s, p50 ${r.p50_ms} ms, p90 ${r.p90_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms`;
    log(`  50 connections as fast as answered: ${show(bare.closed)}`);
    if (bare.paced) log(`  open loop at ${values.rate}/s: ${show(bare.paced)} (sender late p99 ${bare.paced.sender_late_ms.p99} ms)`);
    if (bare.open) log(`  open loop at ${values.open}/s: ${show(bare.open)} (sender late p99 ${bare.open.sender_late_ms.p99} ms)`);
    log(`  one connection: ${show(bare.single)}`);
    for (const r of bare.swept) log(`  open loop at ${r.rate}/s: ${show(r)} (sender late p99 ${r.sender_late_ms.p99} ms)`);

    const withWorker = async (rate: number, connections = 50, open = false, worker = true, pin = false, warmRate = 0) => {
      log(open
        ? `Recording votes over HTTP, open loop at ${rate} votes/s over up to 50 connections, ${seconds} s, ${worker ? "with the job worker in the app's process" : 'no worker (baseline)'}${pin ? ", the app's request thread alone on core 0 (its other threads and the sender on core 1)" : ''}…`
        : `Recording votes over HTTP, ${connections} connection${connections > 1 ? 's' : ''}${rate ? ` at ${rate} votes/s` : ' as fast as they are answered'}, ${seconds} s, with the job worker in the app's process…`);
      lines.length = 0;
      const server = await startServer({ ...env, BENCH_WORKER: worker ? '1' : '0' }, lines);
      if (worker) {
        const first = await warmUp(server.url, s.id, s.statementIds[0]!, s.tokens[0]!, lines);
        log(`  first, one vote and the new process's first recomputation, before the measured window (its thread reads every vote once, then holds them): ${first}`);
      }
      if (warmRate > 0) {
        const w = await openLoop(server.url, votePath(s.id), s.statementIds, s.tokens, 5, warmRate);
        log(`  then ${w.total + 2 * warmRate} votes at ${warmRate}/s, unmeasured: a process that has answered votes for a while (V8 has compiled the vote's code), as a server is after its first minutes at a low rate`);
      }
      const unpin = pin ? pinAppThread(server.child.pid!) : null;
      if (pin && !unpin) log('  (could not pin threads here: measured unpinned)');
      const mark = () => server.child.kill('SIGUSR2');
      const during = open ? await openLoop(server.url, votePath(s.id), s.statementIds, s.tokens, seconds, rate, mark) : await voteLoad(server.url, s.id, s.statementIds, s.tokens, seconds, rate, connections, mark);
      unpin?.();
      const t1 = Date.now();
      await new Promise((r) => setTimeout(r, 200));
      await stopChild(server.child);
      // Recomputations as intervals (start → end, or the end of the window if still running).
      const starts = lines.filter((l) => l.startsWith('started ')).map((l) => Number(l.slice(8)));
      const ends = lines.filter((l) => l.startsWith('recomputed ')).map((l) => JSON.parse(l.slice(11)) as { at: number; kind: string; delta?: boolean; loadMs?: number; mathMs?: number; storeMs?: number });
      const from = t1 - seconds * 1000;
      const spans = starts.map((start, i) => ({ start, end: ends[i]?.at ?? Number.POSITIVE_INFINITY, kind: ends[i]?.kind ?? 'running', ms: ends[i] ? Math.round((ends[i]!.loadMs ?? 0) + (ends[i]!.mathMs ?? 0)) : null, read: ends[i] ? `read ${ends[i]!.loadMs ?? 0}${ends[i]!.delta ? ' (log since)' : ''}` : '' }))
        .filter((r) => r.end >= from && r.start <= t1 && r.kind !== 'current');
      const busyMs = spans.reduce((a, r) => a + Math.min(r.end, t1) - Math.max(r.start, from), 0);
      const busy = Math.round((100 * busyMs) / (seconds * 1000));
      const measured = spans;
      log(`  ${during.rps} votes/s, p50 ${during.p50_ms} ms, p90 ${during.p90_ms} ms, p99 ${during.p99_ms} ms, max ${during.max_ms} ms (non-2xx ${during.non2xx}, errors ${during.errors})`);
      const senderLate = 'sender_late_ms' in during ? (during.sender_late_ms as { p50: number; p99: number }) : null;
      if (senderLate) log(`  the sender itself was late (included above): p50 ${senderLate.p50} ms, p99 ${senderLate.p99} ms`);
      log(`  storing each result (in the app's thread): ${ends.filter((e) => e.kind === 'computed').map((e) => `${e.storeMs} ms`).join(', ')}`);
      log(`  ${measured.length} recomputations overlapped the measured ${seconds} s (one was running ${busy} % of the time); each (read + math): ${measured.map((r) => (r.ms === null ? 'still running' : `${r.ms} ms (${r.read})`)).join(', ')}`);
      for (const l of lines.filter((x) => x.startsWith('error') || x.startsWith('warn'))) log(`  child: ${l.slice(0, 300)}`);
      const loop = childMeasure(lines, 'loop');
      const served = childMeasure(lines, 'served');
      const cpu = lines.find((l) => l.startsWith('busy '));
      const cpuPerVote = cpu ? (JSON.parse(cpu.slice(5)) as { loopMsPerVote: number; processCpuMsPerVote: number }) : null;
      log(`  inside the app: ${inApp(served)}; its event loop was held up: p99 ${loop?.p99.toFixed(1)} ms, max ${loop?.max.toFixed(1)} ms`);
      if (cpuPerVote) log(`  the event loop's busy time per vote: ${cpuPerVote.loopMsPerVote} ms (the process's CPU, all threads: ${cpuPerVote.processCpuMsPerVote} ms)`);
      return { ...during, rate, warm_rate: warmRate, recomputations: measured.length, busy_percent: busy, event_loop_delay_ms: loop, inside_app_ms: served, cpu_per_vote_ms: cpuPerVote };
    };
    const saturated = await withWorker(0);
    // Voters arriving on their own at --rate votes/s, evenly spaced over up to 50 connections
    // (autocannon's own rate option sends each connection's share in bursts: a bare Node server
    // measured p99 42 ms at 200 requests/s over 50 connections that way, 3 ms over one).
    const paced = Number(values.rate) > 0 ? await withWorker(Number(values.rate), 50, true) : null;
    // The same arrivals with no recomputation at all: what the recomputation adds to the tail.
    const pacedAlone = Number(values.rate) > 0 ? await withWorker(Number(values.rate), 50, true, false) : null;
    // The same, with the app's request thread on a core no other thread uses (bench/pin.ts): what
    // the vote costs when the sender is not taking turns with it on the same two cores.
    const pacedPinned = Number(values.rate) > 0 ? await withWorker(Number(values.rate), 50, true, true, true) : null;
    // One voter at a time (closed loop, one connection): the latency is the service time of a
    // vote while recomputations run, with no queue of other voters in front of it.
    const single = await withWorker(0, 1);
    // Voters arriving on their own at --open votes/s (default 1,000: far above any real
    // consultation's peak), over up to 50 connections.
    const open = Number(values.open) > 0 ? await withWorker(Number(values.open), 50, true) : null;
    // The same arrivals at lower rates (a real consultation's peak is tens of votes a second):
    // the rate up to which a vote is answered within 5 ms at p99 while recomputations run.
    const sweep: Array<Awaited<ReturnType<typeof withWorker>>> = [];
    // Each first takes 7 s of votes at --rate (openLoop's 2 s start and 5 s): at 50 votes/s a fresh process's 100 warm-up votes
    // leave V8's optimising compiler mostly unused, and each vote then took about 2.3 ms of the
    // event loop against 0.8 ms at 500/s (1.6 ms after 5,000 votes at 500/s: the rest is cold
    // caches between votes; bench/wal-locks.ts --no-worker, busy per vote).
    for (const rate of sweepRates) sweep.push(await withWorker(rate, 50, true, true, false, Number(values.rate)));
    const summary = {
      engine, size, seed_seconds: s.seconds, load_average: loadavg(), recompute_ms: Math.round(full.ms), recompute_cpu_ms: Math.round(full.cpuMs), recompute_read_ms: Math.round(full.loadMs), recompute_math_ms: Math.round(full.mathMs), recompute_stages_ms: full.stagesMs,
      recompute_warm_ms: Math.round(warm.ms), recompute_warm_delta: warm.delta, recompute_warm_read_ms: Math.round(warm.loadMs), recompute_warm_math_ms: Math.round(warm.mathMs),
      rerun_unchanged_ms: again ? Math.round(again.ms) : null, votes_baseline: { ...baseline, event_loop_delay_ms: baseLoop, inside_app_ms: baseServed }, floor_bare_http: bare, votes_with_worker: saturated, votes_with_worker_paced: paced, votes_paced_no_worker: pacedAlone, votes_with_worker_paced_request_thread_alone: pacedPinned, votes_with_worker_one_connection: single, votes_with_worker_open_loop: open,
      votes_with_worker_sweep: sweep,
    };
    log(JSON.stringify(summary));
  } finally {
    if (!values.keep) {
      if (pgUrl && schema) await dropPgSchema(pgUrl, schema);
      rmSync(dataDir, { recursive: true, force: true });
    } else log(`kept ${schema ?? dataDir}`);
  }
}

await main();
