import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@fastify/cookie';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/context.js';
import { sql } from '../src/db/database.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { SESSION_COOKIE, createSession } from '../src/platform/auth/sessions.js';
import { type ConsultationFixtures, consultationFixtures, consultationTargets, runConsultationScenarios } from './consultations-scenarios.js';
import { seedConsultations } from './consultations-seed.js';
import { runStandalone } from './consultations-standalone.js';
import { type Measured, measure, startChild, stopChild } from './measure.js';
import { type OpinionFixtures, opinionFixtures, opinionTargets, runOpinionScenarios } from './opinions-scenarios.js';
import { seedOpinions } from './opinions-seed.js';
import { checkTokens, seedVolume } from './volume.js';

// npm run bench — seeds a throwaway database (SQLite, or PostgreSQL in a throwaway schema
// when BENCH_DATABASE_URL is set) with the demo county plus realistic volume, starts the
// app and a bare Fastify baseline each in a child process, drives them with autocannon
// from this process, and writes bench/results/latest.json. Never part of `npm test`.

const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const VOLUME = { members: num('BENCH_MEMBERS', 5000), news: num('BENCH_NEWS', 98_000), pages: num('BENCH_PAGES', 2000) };
// The voice channel (issue 3): BENCH_OPINIONS opinions from BENCH_CITIZENS citizens (0 skips it).
const OPINIONS = { count: num('BENCH_OPINIONS', 1_000_000), citizens: num('BENCH_CITIZENS', 50_000) };
// Consultations (issue 4): BENCH_CONSULTATIONS over BENCH_CONSULTATION_YEARS years, a live session of
// BENCH_QUESTIONS questions and a deliberation of BENCH_STATEMENTS statements (0 consultations skips it).
const CONSULTATIONS = {
  consultations: num('BENCH_CONSULTATIONS', 2000), years: num('BENCH_CONSULTATION_YEARS', 5), questions: num('BENCH_QUESTIONS', 500),
  statements: num('BENCH_STATEMENTS', 1000), voters: num('BENCH_VOTERS', 3000), votesEach: num('BENCH_VOTES_EACH', 80),
};
const LOAD = { connections: num('BENCH_CONNECTIONS', 50), seconds: num('BENCH_SECONDS', 10), warmup: num('BENCH_WARMUP', 3) };
const APP_PORT = num('BENCH_PORT', 3911);
const BASE_PORT = APP_PORT + 1;
const RESULTS = new URL('./results/latest.json', import.meta.url);
const log = (l: string) => process.stdout.write(`${l}\n`);

interface Row { scenario: string; auth?: 'anon' | 'signed-in'; rps?: number; p50_ms?: number; p99_ms?: number; baseline_rps?: number; ratio?: number; seconds?: number; note?: string; summary?: unknown }

const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
// BENCH_ONLY=opinions runs every voice-channel scenario (and seeds no news volume).
const isVoice = (s: string) => s === 'opinions' || s.startsWith('opinions.');
const VOICE = OPINIONS.count > 0 && (!ONLY || [...ONLY].some(isVoice));
// BENCH_ONLY=consultations runs every consultation page scenario (consultations.*, deliberations.*);
// BENCH_ONLY=deliberation runs issue 4's standalone benchmarks (consultations-standalone.ts) and seeds nothing.
const isConsult = (s: string) => s === 'consultations' || s.startsWith('consultations.') || s.startsWith('deliberations.');
const isStandalone = (s: string) => s === 'deliberation' || s.startsWith('deliberation.') || s === 'live.sse';
const CONSULT = CONSULTATIONS.consultations > 0 && (!ONLY || [...ONLY].some(isConsult));
const STANDALONE = !ONLY || [...ONLY].some(isStandalone);
const PORTAL = !ONLY || [...ONLY].some((s) => !isVoice(s) && !isConsult(s) && !isStandalone(s));
const SEEDED = PORTAL || VOICE || CONSULT;
const pgUrl = process.env.BENCH_DATABASE_URL;
const schema = pgUrl ? `bench_${randomBytes(5).toString('hex')}` : undefined;
// BENCH_KEEP=1 keeps the seeded SQLite directory; BENCH_REUSE=<that directory> measures it again without seeding.
const reuse = !pgUrl && process.env.BENCH_REUSE ? process.env.BENCH_REUSE : undefined;
const dataDir = reuse ?? mkdtempSync(join(tmpdir(), 'xs-bench-'));
const secretFile = join(dataDir, 'bench-cookie-secret');
const env: NodeJS.ProcessEnv = {
  ...process.env, XS_DATA_DIR: dataDir, DATABASE_URL: pgUrl ?? '',
  XS_COOKIE_SECRET: existsSync(secretFile) ? readFileSync(secretFile, 'utf8') : randomBytes(32).toString('base64url'),
  XS_PG_SCHEMA: schema ?? '', PORT: String(APP_PORT), LOG_LEVEL: 'warn', XS_WORKER_INLINE: 'false', NODE_ENV: 'production',
};

type Seeded = { rows: Row[]; cookie: string; sectorId: number; newsId: number; voice: OpinionFixtures | null; consult: ConsultationFixtures | null };

async function seed(): Promise<Seeded> {
  checkTokens();
  writeFileSync(secretFile, env.XS_COOKIE_SECRET!);
  const ctx = await createContext(loadConfig(env));
  try {
    if (reuse) return await reused(ctx);
    log(`Seeding ${pgUrl ? `PostgreSQL schema ${schema}` : `SQLite in ${dataDir}`}…`);
    let t = Date.now();
    const demo = await seedDemo(ctx, { log: (l) => log(`  ${l.split('\n')[0]}`) });
    const demoSeconds = (Date.now() - t) / 1000;
    t = Date.now();
    const { newsIds } = PORTAL ? await seedVolume(ctx, demo.structure, VOLUME, log) : { newsIds: [] };
    const volumeSeconds = (Date.now() - t) / 1000;
    log(PORTAL ? `  volume seeded in ${volumeSeconds.toFixed(1)} s` : '  (no news volume: only voice-channel or consultation scenarios)');
    const db = ctx.database.db;
    if (ctx.database.dialect === 'postgres') await sql`ANALYZE`.execute(db);
    const voiceRows: Row[] = [];
    if (VOICE) {
      log(`Seeding the voice channel: ${OPINIONS.count} opinions from ${OPINIONS.citizens} citizens…`);
      const o = await seedOpinions(ctx, { ...OPINIONS, log });
      log(`  ${o.opinions} opinions (${o.publicOpinions} public, ${o.lastThirtyDays} in the last 30 days), ${o.events} timeline events in ${o.seconds.toFixed(1)} s`);
      log(`  by status: ${Object.entries(o.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      voiceRows.push({ scenario: 'opinions.seed', seconds: o.seconds });
    }
    if (CONSULT) {
      log(`Seeding consultations: ${CONSULTATIONS.consultations} over ${CONSULTATIONS.years} years, a live session of ${CONSULTATIONS.questions} questions, a deliberation of ${CONSULTATIONS.statements} statements…`);
      const c = await seedConsultations(ctx, { ...CONSULTATIONS, log });
      voiceRows.push({ scenario: 'consultations.seed', seconds: c.seconds, summary: c,
        note: `${c.consultations} consultations (${c.publicConsultations} public), ${c.plans} plans with ${c.planItems} items, ${c.participants} participants, ${c.registrations} registrations, `
          + `${c.recommendations} recommendations, ${c.auditEvents} audit events; live session ${c.questions} questions / ${c.answers} answers; deliberation ${c.statements} statements, ${c.votes} votes, result in ${c.recomputeMs} ms (${c.groups} groups)` });
    }
    const citizen = await db.insertInto('users').values({ display_name: '市民张先生', username: null, password_hash: null, totp_secret: null, is_admin: 0, locale: null,
      created_at: new Date().toISOString(), erased_at: null }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('user_pii').values({ user_id: citizen.id, phone: '16600000001', real_name: null, id_number: null, email: null, updated_at: new Date().toISOString() }).execute();
    const token = await createSession(db, citizen.id);
    const cookie = `${SESSION_COOKIE}=${encodeURIComponent(sign(token, env.XS_COOKIE_SECRET!))}`;
    const sector = await db.selectFrom('sectors').select('id').where('name', '=', '教育界').executeTakeFirstOrThrow();
    const news = newsIds.length ? newsIds[Math.floor(newsIds.length / 2)]! : (await db.selectFrom('news').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    return {
      rows: [{ scenario: 'demo.seed', seconds: demoSeconds }, ...(PORTAL ? [{ scenario: 'bench.seed_volume', seconds: volumeSeconds }] : []), ...voiceRows],
      cookie, sectorId: sector.id, newsId: news, voice: VOICE ? await opinionFixtures(ctx, env.XS_COOKIE_SECRET!, OPINIONS.citizens) : null,
      consult: CONSULT ? await consultationFixtures(ctx, env.XS_COOKIE_SECRET!) : null,
    };
  } finally {
    await closeContext(ctx);
  }
}

/** The ids and a fresh session from a database an earlier run seeded and kept. */
async function reused(ctx: Awaited<ReturnType<typeof createContext>>): Promise<Seeded> {
  const db = ctx.database.db;
  log(`Reusing the database in ${dataDir}`);
  const citizen = await db.selectFrom('user_pii').select('user_id').where('phone', '=', '16600000001').executeTakeFirstOrThrow();
  const token = await createSession(db, citizen.user_id);
  const sector = await db.selectFrom('sectors').select('id').where('name', '=', '教育界').executeTakeFirstOrThrow();
  const ids = await db.selectFrom('news').select('id').orderBy('id').execute();
  const voice = VOICE && (await db.selectFrom('opinions').select('id').limit(1).executeTakeFirst())
    ? await opinionFixtures(ctx, env.XS_COOKIE_SECRET!, OPINIONS.citizens) : null;
  if (VOICE && !voice) log('This database holds no opinions: the voice-channel scenarios are skipped (seed without BENCH_REUSE).');
  const consult = CONSULT ? await consultationFixtures(ctx, env.XS_COOKIE_SECRET!) : null;
  if (CONSULT && !consult) log('This database holds no seeded consultations: the consultation scenarios are skipped (seed without BENCH_REUSE).');
  return { rows: [], cookie: `${SESSION_COOKIE}=${encodeURIComponent(sign(token, env.XS_COOKIE_SECRET!))}`, sectorId: sector.id, newsId: ids[Math.floor(ids.length / 2)]!.id, voice, consult };
}

async function run(): Promise<void> {
  const rows: Row[] = [];
  if (SEEDED) await measureApp(rows);
  if (STANDALONE) {
    log(`Issue 4's standalone benchmarks${process.env.BENCH_DELIBERATION_SIZE === 'small' ? ' (reduced sizes)' : ''}, one after the other…`);
    rows.push(...await runStandalone({ pgUrl, small: process.env.BENCH_DELIBERATION_SIZE === 'small', log }));
  }
  save(rows);
  printTable(rows);
  if (rows.some((r) => r.scenario.startsWith('opinions.'))) {
    log(`\nVoice channel on ${pgUrl ? 'PostgreSQL' : 'SQLite'} (targets of issue 3):`);
    for (const line of opinionTargets(rows, pgUrl ? 'postgres' : 'sqlite')) log(`  ${line}`);
  }
  const consultLines = consultationTargets(rows);
  if (consultLines.length) {
    log(`\nConsultations on ${pgUrl ? 'PostgreSQL' : 'SQLite'} (targets of issue 4; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}):`);
    for (const line of consultLines) log(`  ${line}`);
  }
  const standalone = rows.filter((r) => r.scenario.startsWith('deliberation.') || r.scenario === 'live.sse');
  if (standalone.length) {
    log(`\nIssue 4's standalone benchmarks (${pgUrl ? 'deliberation-votes on PostgreSQL' : 'SQLite'}):`);
    for (const r of standalone) log(`  ${r.scenario}: ${r.note}`);
  }
}

async function measureApp(out: Row[]): Promise<void> {
  const { rows, cookie, sectorId, newsId, voice, consult } = await seed();
  const scenarios: [string, string][] = [
    ['portal.home', '/'], ['members.directory', `/members?sector=${sectorId}`], ['news.item', `/news/${newsId}`],
    ['search', `/search?q=${encodeURIComponent('养老')}`],
  ];
  // The baseline runs beside the app and is measured right before each scenario, so both
  // see the same machine (other work on it shifts both numbers alike).
  const base = await startChild(new URL('./baseline.ts', import.meta.url).pathname, { ...env, PORT: String(BASE_PORT) });
  try {
    await runScenarios(rows, scenarios, cookie);
    if (voice) {
      rows.push(...await runOpinionScenarios(voice, {
        env, appPort: APP_PORT, basePort: BASE_PORT, load: LOAD, log,
        nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
        wants: (scenario, auth) => !ONLY || ONLY.has('opinions') || ONLY.has(scenario) || ONLY.has(`${scenario}:${auth}`),
      }));
    }
    if (consult) {
      rows.push(...await runConsultationScenarios(consult, {
        env, appPort: APP_PORT, basePort: BASE_PORT, load: LOAD, log,
        nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
        wants: (scenario, auth) => !ONLY || ONLY.has('consultations') || ONLY.has(scenario) || ONLY.has(`${scenario}:${auth}`),
      }));
    }
  } finally {
    await stopChild(base);
    out.push(...rows);
  }
}

async function runScenarios(rows: Row[], scenarios: [string, string][], cookie: string): Promise<void> {
  // Each scenario gets a fresh app process: a scenario that leaves a backlog of slow
  // requests behind must not bleed into the next one's numbers. The warm-up fills caches.
  // BENCH_PROFILE=dir writes a CPU profile of each app process there (to find what is slow).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  for (const [scenario, path] of scenarios) {
    for (const auth of ['anon', 'signed-in'] as const) {
      if (ONLY && !ONLY.has(`${scenario}:${auth}`) && !ONLY.has(scenario)) continue;
      const baseline = await measure(`http://127.0.0.1:${BASE_PORT}/`, {}, LOAD);
      log(`${scenario} (${auth}): baseline ${baseline.rps} req/s`);
      const app = await startChild(new URL('./server.ts', import.meta.url).pathname, env, profile);
      try {
        // Ask as a phone browser does: every browser sends Accept-Encoding, and pages are
        // stored gzipped, so this measures what visitors actually get.
        const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...(auth === 'signed-in' ? { cookie } : {}) };
        const url = `http://127.0.0.1:${APP_PORT}${path}`;
        const probe = await fetch(url, { headers: auth === 'signed-in' ? { cookie } : {}, redirect: 'manual' });
        const body = await probe.text();
        if (probe.status !== 200) {
          log(`SKIPPED ${scenario} (${auth}): ${path} answers ${probe.status}`);
          continue;
        }
        if (auth === 'signed-in' && !body.includes('/account')) log(`WARNING ${scenario}: the signed-in page does not look signed in`);
        const m = await measure(url, headers, LOAD);
        if (m.non2xx || m.errors) log(`WARNING ${scenario} (${auth}): ${m.non2xx} non-2xx, ${m.errors} errors or timeouts (requests over 10 s are missing from the latencies)`);
        rows.push({ scenario, auth, rps: m.rps, p50_ms: m.p50_ms, p99_ms: m.p99_ms, baseline_rps: baseline.rps, ratio: Number((m.rps / baseline.rps).toFixed(3)) });
      } finally {
        await stopChild(app);
      }
    }
  }
}

/** Replaces this benchmark's rows in latest.json and keeps rows other benchmarks wrote. */
function save(rows: Row[]): void {
  const mine = new Set(rows.map((r) => `${r.scenario}|${r.auth ?? ''}`));
  const old: Row[] = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : [];
  const kept = old.filter((r) => !mine.has(`${r.scenario}|${r.auth ?? ''}`));
  writeFileSync(RESULTS, `${JSON.stringify([...kept, ...rows], null, 2)}\n`);
}

function printTable(rows: Row[]): void {
  const head = ['scenario', 'auth', 'req/s', 'p50 ms', 'p99 ms', 'baseline', 'ratio', 'seconds'];
  const body = rows.map((r) => [r.scenario, r.auth ?? '', r.rps ?? '', r.p50_ms ?? '', r.p99_ms ?? '', r.baseline_rps ?? '', r.ratio ?? '', r.seconds?.toFixed(1) ?? ''].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  for (const line of [head, widths.map((w) => '-'.repeat(w)), ...body]) log(line.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  log(`\n${LOAD.connections} connections, ${LOAD.seconds} s per scenario after ${LOAD.warmup} s warm-up; results in bench/results/latest.json`);
}

try {
  await run();
} finally {
  if (process.env.BENCH_KEEP || reuse) log(`Kept ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
  if (pgUrl && schema) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}
