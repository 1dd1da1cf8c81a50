import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from '@fastify/cookie';
import CsrfTokens from '@fastify/csrf';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { type AppContext, closeContext, createContext } from '../src/context.js';
import { DEMO_TOPICS, generateOpinions } from '../src/modules/opinions/analysis/demo-corpus.js';
import { SESSION_COOKIE, createSession, hashToken } from '../src/platform/auth/sessions.js';
import { measure, startChild, stopChild } from './measure.js';
import { citizenPhone, staffUsername } from './opinions-seed.js';

// The voice channel's scenarios for `npm run bench` (issue 3's performance targets):
//   opinions.submit         POST /api/v1/opinions as signed-in citizens (bearer tokens), each
//                           request a different citizen and text; afterwards the database
//                           must hold exactly one opinion, one timeline event and the outbox
//                           rows for every 201 — target ≥ 1,000/s on SQLite
//   opinions.track          the tracking page a citizen sees after proving code + last four
//                           digits (GET /opinions/track/:code with the proof cookie)
//   opinions.track.api      POST /api/v1/opinions/track {code, last4}
//   opinions.list           the public list with a filter (/opinions?category=traffic)
//   opinions.search         Chinese search over all public opinions (/opinions?q=停车)
//   opinions.*.uncached     the same pages with a different filter or query and a cache-
//                           busting parameter on every request: what the database and the
//                           renderer cost when the shared page cache cannot answer
//   opinions.inbox          a body's inbox (/handle/opinions?body=ID) as that body's staff
//   opinions.inbox.uncached the same with a cache-busting parameter (informational: the cost
//                           of a view right after a recorded change)
//   — each p99 under 50 ms at 50 connections
//   opinions.hotspots       the hotspot job over the last 30 days — target under 5 s
// Tracking, list, search and inbox rotate over many opinions / queries where that is what
// visitors do. Every app process is fresh, the baseline is measured right before.

export interface BenchRow {
  scenario: string; auth?: 'anon' | 'signed-in'; rps?: number; p50_ms?: number; p99_ms?: number;
  baseline_rps?: number; ratio?: number; seconds?: number; note?: string;
}

export interface OpinionFixtures {
  inbox: { bodyId: number; bodyName: string; opinions: number; cookie: string };
  citizenCookie: string;
  /** Opinions whose senders "prove" code + last four digits. */
  tracked: { id: number; code: string; last4: string }[];
  /** Bearer tokens of distinct citizens. */
  tokens: string[];
  targets: { regionIds: number[]; bodyIds: number[]; memberIds: number[] };
}

const TRACKED = 1000;
const SENDERS = 2000;

const PROOF_COOKIE = 'xs_opinions';
const signedCookie = (name: string, value: string, secret: string) => `${name}=${encodeURIComponent(sign(value, secret))}`;
const csrfTokens = CsrfTokens();
/** The CSRF secret cookie a browser keeps after its first page (so pages do not issue a new one each time). */
const csrfCookie = (secret: string) => signedCookie('xs_csrf', csrfTokens.secretSync(), secret);

/** Accounts, sessions, tokens and samples the scenarios need, from a seeded database. */
export async function opinionFixtures(ctx: AppContext, cookieSecret: string, citizens: number): Promise<OpinionFixtures> {
  const db = ctx.database.db;
  const now = new Date().toISOString();
  // The busiest special committee's inbox: the largest a body's staff would open.
  const committees = await db.selectFrom('bodies').select(['id', 'name']).where('kind', '=', 'special_committee').execute();
  const counts = await db.selectFrom('opinions').select(['handler_body_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('handler_body_id', 'in', committees.map((c) => c.id)).groupBy('handler_body_id').execute();
  const busiest = counts.sort((a, b) => Number(b.n) - Number(a.n))[0];
  if (!busiest) throw new Error('no opinions in any special committee: seed the voice channel first');
  const staff = await db.selectFrom('users').select('id').where('username', '=', staffUsername(busiest.handler_body_id)).executeTakeFirstOrThrow();
  // A returning browser: its session and the form-token secret it was given on its first page.
  const inboxCookie = `${signedCookie(SESSION_COOKIE, await createSession(db, staff.id), cookieSecret)}; ${csrfCookie(cookieSecret)}`;

  const range = await db.selectFrom('opinions').select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')]).executeTakeFirstOrThrow();
  const lo = Number(range.lo); const hi = Number(range.hi);
  const ids = Array.from({ length: TRACKED * 2 }, () => lo + Math.floor(Math.random() * (hi - lo + 1)));
  const tracked = (await db.selectFrom('opinions').select(['id', 'tracking_code', 'phone_last4']).where('id', 'in', ids)
    .where('phone_last4', 'is not', null).limit(TRACKED).execute()).map((r) => ({ id: r.id, code: r.tracking_code, last4: r.phone_last4! }));

  // Senders: a slice of the seeded citizens that changes from run to run (BENCH_REUSE sends
  // again into the same database, and the same sender's identical text would be a duplicate).
  const offset = (Math.floor(Date.now() / 1000) % Math.max(1, Math.floor(citizens / SENDERS))) * SENDERS;
  const phones = Array.from({ length: Math.min(SENDERS, citizens) }, (_, i) => citizenPhone((offset + i) % citizens));
  const senders = await db.selectFrom('user_pii').select('user_id').where('phone', 'in', phones).execute();
  const tokens = senders.map(() => `xs_${randomBytes(24).toString('base64url')}`);
  for (let i = 0; i < tokens.length; i += 500) {
    await db.insertInto('api_tokens').values(tokens.slice(i, i + 500).map((t, k) => ({
      name: 'bench', token_hash: hashToken(t), user_id: senders[i + k]!.user_id, created_by: null, created_at: now, last_used_at: now, revoked_at: null,
    }))).execute();
  }
  const citizen = senders[0]!.user_id;
  const citizenCookie = signedCookie(SESSION_COOKIE, await createSession(db, citizen), cookieSecret);

  const villages = await db.selectFrom('regions').select('id').where('level', '=', 'village').execute();
  const bodies = await db.selectFrom('bodies').select('id').where('kind', 'in', ['special_committee', 'liaison_group', 'member_studio', 'community_council']).execute();
  const today = now.slice(0, 10);
  const members = await db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('member_profiles', 'member_profiles.user_id', 'memberships.user_id').select('memberships.user_id').distinct()
    .where('users.status', '=', 'active').where('member_profiles.is_public', '=', 1).where('memberships.role', 'in', ['member', 'standing_member'])
    .where((eb) => eb.or([eb('memberships.ends_on', 'is', null), eb('memberships.ends_on', '>=', today)])).limit(200).execute();
  return {
    inbox: { bodyId: busiest.handler_body_id, bodyName: committees.find((c) => c.id === busiest.handler_body_id)!.name, opinions: Number(busiest.n), cookie: inboxCookie },
    citizenCookie, tracked, tokens,
    targets: { regionIds: villages.map((v) => v.id), bodyIds: bodies.map((b) => b.id), memberIds: members.map((m) => m.user_id) },
  };
}

export interface ScenarioEnv {
  env: NodeJS.ProcessEnv;
  appPort: number;
  basePort: number;
  load: { connections: number; seconds: number; warmup: number };
  wants: (scenario: string, auth: 'anon' | 'signed-in') => boolean;
  log: (line: string) => void;
  /** Node flags for the app processes (CPU profiles). */
  nodeArgs: string[];
}

interface Req { method: string; path: string; headers: Record<string, string>; body?: string }
interface HttpScenario { scenario: string; auth: 'anon' | 'signed-in'; next: () => Req; note: string }

const PAGE_HEADERS = { 'accept-encoding': 'gzip, deflate, br' };
const SERVER = new URL('./server.ts', import.meta.url).pathname;

// The parts of autocannon's API used here beyond bench/autocannon.d.ts's: a request rebuilt
// before every send, a fixed number of requests, the run's length, counts per status code.
interface CannonRequest {
  method?: string; path?: string; headers?: Record<string, string>; body?: string;
  setupRequest?: (req: CannonRequest) => CannonRequest; onResponse?: (status: number, body: string) => void;
}
interface CannonResult {
  requests: { average: number; total: number }; latency: { p50: number; p99: number }; duration: number;
  non2xx: number; errors: number; timeouts: number; statusCodeStats: Record<string, { count: number }>;
}
const cannon = autocannon as unknown as (o: { url: string; connections: number; duration?: number; amount?: number; requests: CannonRequest[] }) => Promise<CannonResult>;

/** Runs autocannon with a request rebuilt before every send. */
function drive(origin: string, next: () => Req, o: { connections: number; duration?: number; amount?: number; onResponse?: (status: number, body: string) => void }): Promise<CannonResult> {
  return cannon({
    url: origin, connections: o.connections, ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
    requests: [{ setupRequest: (req) => ({ ...req, ...next() }), ...(o.onResponse ? { onResponse: o.onResponse } : {}) }],
  });
}

/** The page/API scenarios (submission and hotspots are separate). */
function httpScenarios(f: OpinionFixtures, secret: string): HttpScenario[] {
  let ti = 0; let ai = 0; let li = 0; let si = 0; let bi = 0;
  const proof = f.tracked.map((o) => ({ path: `/opinions/track/${o.code}`, cookie: `${signedCookie(PROOF_COOKIE, String(o.id), secret)}; ${csrfCookie(secret)}` }));
  const categories = ['livelihood', 'elderly', 'education', 'health', 'traffic', 'environment', 'urban', 'agriculture', 'employment', 'safety', 'other'];
  const statuses = ['', 'accepted', 'replied', 'closed'];
  const regions = ['', ...f.targets.regionIds.slice(0, 12).map(String)];
  const words = [...new Set(DEMO_TOPICS.flatMap((tp) => [tp.name, [...tp.name].slice(0, 2).join('')]))];
  const bust = () => `v=${Date.now().toString(36)}-${(bi++).toString(36)}`;
  return [
    {
      scenario: 'opinions.track', auth: 'anon', note: `GET /opinions/track/:code with the proof cookie, ${proof.length} opinions in turn`,
      next: () => { const p = proof[ti++ % proof.length]!; return { method: 'GET', path: p.path, headers: { ...PAGE_HEADERS, cookie: p.cookie } }; },
    },
    {
      scenario: 'opinions.track.api', auth: 'anon', note: `POST /api/v1/opinions/track {code, last4}, ${f.tracked.length} opinions in turn`,
      next: () => {
        const o = f.tracked[ai++ % f.tracked.length]!;
        return { method: 'POST', path: '/api/v1/opinions/track', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' }, body: JSON.stringify({ code: o.code, last4: o.last4 }) };
      },
    },
    ...(['anon', 'signed-in'] as const).flatMap((auth): HttpScenario[] => {
      const h = auth === 'signed-in' ? { ...PAGE_HEADERS, cookie: f.citizenCookie } : PAGE_HEADERS;
      return [
        { scenario: 'opinions.list', auth, note: '/opinions?category=traffic', next: () => ({ method: 'GET', path: '/opinions?category=traffic', headers: h }) },
        { scenario: 'opinions.search', auth, note: '/opinions?q=停车', next: () => ({ method: 'GET', path: `/opinions?q=${encodeURIComponent('停车')}`, headers: h }) },
      ];
    }),
    {
      scenario: 'opinions.list.uncached', auth: 'anon',
      note: `${categories.length} categories × ${regions.length} places × ${statuses.length} statuses in turn, a cache-busting parameter on every request`,
      next: () => {
        const n = li++;
        const region = regions[Math.floor(n / categories.length) % regions.length];
        const status = statuses[Math.floor(n / (categories.length * regions.length)) % statuses.length];
        const q = [`category=${categories[n % categories.length]}`, region ? `region=${region}` : '', status ? `status=${status}` : '', bust()].filter(Boolean).join('&');
        return { method: 'GET', path: `/opinions?${q}`, headers: PAGE_HEADERS };
      },
    },
    {
      scenario: 'opinions.search.uncached', auth: 'anon', note: `${words.length} queries (topic names and their first two characters) in turn, a cache-busting parameter on every request`,
      next: () => ({ method: 'GET', path: `/opinions?q=${encodeURIComponent(words[si++ % words.length]!)}&${bust()}`, headers: PAGE_HEADERS }),
    },
    {
      scenario: 'opinions.inbox', auth: 'signed-in', note: `/handle/opinions?body=${f.inbox.bodyId} (${f.inbox.bodyName}, ${f.inbox.opinions} opinions) as its staff`,
      next: () => ({ method: 'GET', path: `/handle/opinions?body=${f.inbox.bodyId}`, headers: { ...PAGE_HEADERS, cookie: f.inbox.cookie } }),
    },
    {
      // What a view costs when the kept copy cannot answer (after any recorded change): the
      // whole list read and rendered. Filters and pages in turn, a cache-busting parameter each time.
      scenario: 'opinions.inbox.uncached', auth: 'signed-in', note: `/handle/opinions?body=${f.inbox.bodyId} with ${statuses.length} statuses × 3 pages in turn and a cache-busting parameter`,
      next: () => {
        const n = bi;
        const q = [`body=${f.inbox.bodyId}`, statuses[n % statuses.length] ? `status=${statuses[n % statuses.length]}` : '', `page=${1 + (Math.floor(n / statuses.length) % 3)}`, bust()].filter(Boolean).join('&');
        return { method: 'GET', path: `/handle/opinions?${q}`, headers: { ...PAGE_HEADERS, cookie: f.inbox.cookie } };
      },
    },
  ];
}

/**
 * The citizen's own way in, once: the lookup form, code + last four digits posted with its
 * CSRF token, the proof cookie it sets. (That POST is limited to 30 per address in ten
 * minutes, so the scenario signs the same cookie for its other opinions itself.)
 */
async function proveOnce(origin: string, o: { id: number; code: string; last4: string }, secret: string): Promise<string> {
  const form = await fetch(`${origin}/opinions/track`);
  const html = await form.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  if (!token) return `no CSRF token on /opinions/track (${form.status})`;
  const res = await fetch(`${origin}/opinions/track`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ code: o.code, last4: o.last4, _csrf: token }).toString(),
  });
  const proof = res.headers.getSetCookie().find((c) => c.startsWith(`${PROOF_COOKIE}=`))?.split(';')[0];
  if (res.status !== 303 || !proof) return `POST /opinions/track answered ${res.status} without a proof cookie`;
  const mine = signedCookie(PROOF_COOKIE, String(o.id), secret);
  const page = await fetch(`${origin}${res.headers.get('location')}`, { headers: { cookie: proof }, redirect: 'manual' });
  return page.status === 200 && proof === mine ? 'ok' : `the tracking page answered ${page.status} after the proof (cookie ${proof === mine ? 'as signed here' : 'differs from the one signed here'})`;
}

export async function runOpinionScenarios(f: OpinionFixtures, e: ScenarioEnv): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const origin = `http://127.0.0.1:${e.appPort}`;
  const base = `http://127.0.0.1:${e.basePort}/`;
  if (e.wants('opinions.submit', 'signed-in')) rows.push(...(await submission(f, e, origin, base)));
  const secret = e.env.XS_COOKIE_SECRET ?? '';
  for (const sc of httpScenarios(f, secret)) {
    if (!e.wants(sc.scenario, sc.auth)) continue;
    const baseline = await measure(base, {}, e.load);
    e.log(`${sc.scenario} (${sc.auth}): baseline ${baseline.rps} req/s`);
    const app = await startChild(SERVER, e.env, e.nodeArgs);
    try {
      const first = sc.next();
      const probe = await fetch(origin + first.path, { method: first.method, headers: first.headers, body: first.body, redirect: 'manual' });
      const text = await probe.text();
      if (probe.status !== 200) {
        e.log(`SKIPPED ${sc.scenario} (${sc.auth}): ${first.method} ${first.path} answers ${probe.status}`);
        rows.push({ scenario: sc.scenario, auth: sc.auth, note: `SKIPPED: ${first.method} ${first.path.split('?')[0]} answers ${probe.status}` });
        continue;
      }
      if (sc.auth === 'signed-in' && first.method === 'GET' && !text.includes('/account')) e.log(`WARNING ${sc.scenario}: the page does not look signed in`);
      if (sc.scenario === 'opinions.track') {
        const proved = await proveOnce(origin, f.tracked[0]!, secret);
        if (proved !== 'ok') e.log(`WARNING opinions.track: ${proved}`);
      }
      await drive(origin, sc.next, { connections: e.load.connections, duration: e.load.warmup });
      const r = await drive(origin, sc.next, { connections: e.load.connections, duration: e.load.seconds });
      // autocannon counts a timeout (no answer within 10 s) as an error too; those requests
      // are missing from the latencies, so the percentiles flatter the run.
      const bad = r.non2xx + r.errors;
      if (bad) e.log(`WARNING ${sc.scenario} (${sc.auth}): ${r.non2xx} non-2xx, ${r.errors} errors or timeouts`);
      const rps = Math.round(r.requests.average);
      rows.push({
        scenario: sc.scenario, auth: sc.auth, rps, p50_ms: r.latency.p50, p99_ms: r.latency.p99, baseline_rps: baseline.rps,
        ratio: Number((rps / baseline.rps).toFixed(3)), note: bad ? `${sc.note}; ${r.non2xx} non-2xx, ${r.errors} errors or timeouts over 10 s (not in the percentiles)` : sc.note,
      });
    } finally {
      await stopChild(app);
    }
  }
  if (e.wants('opinions.hotspots', 'anon')) rows.push(await hotspots(e));
  return rows;
}

/** Distinct opinions to send, as JSON bodies (a fresh corpus seed per run). */
function payloads(n: number, t: OpinionFixtures['targets']): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  let k = 0;
  for (const d of generateOpinions(n * 2, Date.now() % 1_000_000_007)) {
    if (out.length >= n) break;
    const key = `${d.title}\n${d.text}`;
    if (seen.has(key) || d.title.length < 4 || d.text.length < 10) continue;
    seen.add(key);
    const r = k++ % 20;
    const target = r < 13 ? { target: 'body', targetBodyId: t.bodyIds[k % t.bodyIds.length] }
      : r < 19 || t.memberIds.length === 0 ? { target: 'route' } : { target: 'member', targetMemberId: t.memberIds[k % t.memberIds.length] };
    out.push(JSON.stringify({ kind: 'opinion', title: d.title, body: d.text, category: d.category, regionId: t.regionIds[k % t.regionIds.length], ...target, public: k % 5 < 3 }));
  }
  if (out.length < n) throw new Error(`only ${out.length} distinct opinions to send`);
  return out;
}

interface Counts { opinions: number; submitted: number; citizenNotices: number; inboxNotices: number; sms: number; jobs: number }

async function counts(ctx: AppContext, since: Record<string, number>): Promise<Counts> {
  const db = ctx.database.db;
  const n = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
  return {
    opinions: await n(db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', since.opinions!).executeTakeFirst()),
    submitted: await n(db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', since.audit!)
      .where('stream_type', '=', 'opinion').where('action', '=', 'submitted').executeTakeFirst()),
    citizenNotices: await n(db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', since.notifications!)
      .where('link', 'like', '/opinions/track?code=%').executeTakeFirst()),
    inboxNotices: await n(db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', since.notifications!)
      .where('link', 'like', '/handle/opinions/%').executeTakeFirst()),
    sms: await n(db.selectFrom('sms_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', since.sms!).executeTakeFirst()),
    jobs: await n(db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', since.jobs!).where('kind', '=', 'sms.send').executeTakeFirst()),
  };
}

async function lastIds(ctx: AppContext): Promise<Record<string, number>> {
  const db = ctx.database.db;
  const out: Record<string, number> = {};
  for (const [k, table] of [['opinions', 'opinions'], ['audit', 'audit_events'], ['notifications', 'notifications'], ['sms', 'sms_messages'], ['jobs', 'jobs']] as const) {
    out[k] = Number((await db.selectFrom(table).select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  }
  return out;
}

/** Waits until no more opinions arrive (requests the load generator gave up on may still be committing). */
async function quiet(ctx: AppContext): Promise<void> {
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const n = Number((await ctx.database.db.selectFrom('opinions').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
    if (n === last) return;
    last = n;
    await sleep(1000);
  }
}

/**
 * Submission throughput. Warm-up for the usual seconds, then a fixed number of requests
 * (the warm-up's rate × the measured seconds). Then the database is counted: every tracking
 * code acknowledged with a 201 must be there, and the new opinions, their 'submitted'
 * timeline events and the citizens' notices (the outbox) must be equal in number — one
 * transaction each. Opinions beyond the 201s are requests whose answer the load generator
 * did not wait for (in flight when it stopped, or past its 10 s timeout).
 */
async function submission(f: OpinionFixtures, e: ScenarioEnv, origin: string, base: string): Promise<BenchRow[]> {
  const baseline = await measure(base, {}, e.load);
  e.log(`opinions.submit (signed-in): baseline ${baseline.rps} req/s`);
  const bodies = payloads(60_000, f.targets);
  const run = randomBytes(4).toString('hex');
  let k = 0;
  // Each citizen sends from an address of their own (behind the trusted proxy header), as
  // citizens do; the limits per sender and per address are raised for this process only.
  const next = (): Req => {
    const i = k++;
    const c = i % f.tokens.length;
    return {
      method: 'POST', path: '/api/v1/opinions', body: bodies[i % bodies.length]!,
      headers: {
        authorization: `Bearer ${f.tokens[c]}`, 'content-type': 'application/json', 'idempotency-key': `bench-${run}-${i}`,
        'x-forwarded-for': `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`,
      },
    };
  };
  const env = { ...e.env, XS_OPINIONS_PER_SENDER_HOUR: '1000000', XS_OPINIONS_PER_IP_HOUR: '1000000', XS_TRUST_PROXY: 'true' };
  const ctx = await createContext(loadConfig(e.env, { logLevel: 'warn', workerInline: false }));
  const app = await startChild(SERVER, env, e.nodeArgs).catch(async (err: unknown) => {
    await closeContext(ctx);
    throw err;
  });
  try {
    const first = next();
    const probe = await fetch(origin + first.path, { method: 'POST', headers: first.headers, body: first.body });
    if (probe.status !== 201) {
      const why = `POST /api/v1/opinions answers ${probe.status}: ${(await probe.text()).slice(0, 200)}`;
      e.log(`SKIPPED opinions.submit: ${why}`);
      return [{ scenario: 'opinions.submit', auth: 'signed-in', note: `SKIPPED: ${why}` }];
    }
    const warm = await drive(origin, next, { connections: e.load.connections, duration: e.load.warmup });
    await quiet(ctx);
    const before = await lastIds(ctx);
    const amount = Math.max(1000, Math.round((warm.requests.total / Math.max(warm.duration, 1)) * e.load.seconds));
    const acknowledged: string[] = [];
    const r = await drive(origin, next, {
      connections: e.load.connections, amount,
      onResponse: (status, body) => {
        const code = status === 201 ? /"trackingCode":"([0-9A-Z]+)"/.exec(body)?.[1] : undefined;
        if (code) acknowledged.push(code);
      },
    });
    await quiet(ctx);
    const c = await counts(ctx, before);
    let found = 0;
    for (let i = 0; i < acknowledged.length; i += 500) {
      found += Number((await ctx.database.db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', '>', before.opinions!).where('tracking_code', 'in', acknowledged.slice(i, i + 500)).executeTakeFirstOrThrow()).n);
    }
    const created = r.statusCodeStats['201']?.count ?? 0;
    const other = Object.entries(r.statusCodeStats).filter(([s]) => s !== '201').map(([s, v]) => `${v.count}×${s}`).join(', ');
    const unanswered = c.opinions - created;
    const ok = found === acknowledged.length && acknowledged.length === created && c.submitted === c.opinions && c.citizenNotices === c.opinions
      && c.inboxNotices >= c.opinions && c.sms >= c.opinions && c.jobs === c.sms && unanswered >= 0 && unanswered <= e.load.connections + r.errors;
    const check = `${created} × 201, all ${found} acknowledged codes in the database; ${c.opinions} new opinions = ${c.submitted} 'submitted' events = ${c.citizenNotices} citizen notices`
      + ` (+ ${c.inboxNotices} inbox notices, ${c.sms} SMS queued as ${c.jobs} jobs)${unanswered ? `; ${unanswered} committed whose answer the load generator did not wait for` : ''}`
      + `${other ? `; other answers ${other}` : ''}${r.errors ? `; ${r.errors} errors or timeouts` : ''}`;
    e.log(`opinions.submit: ${check}: ${ok ? 'consistent' : 'INCONSISTENT'}`);
    const rps = Math.round(created / r.duration);
    return [{
      scenario: 'opinions.submit', auth: 'signed-in', rps, p50_ms: r.latency.p50, p99_ms: r.latency.p99, baseline_rps: baseline.rps,
      ratio: Number((rps / baseline.rps).toFixed(3)),
      note: `POST /api/v1/opinions with bearer tokens of ${f.tokens.length} citizens and an Idempotency-Key, ${r.requests.total} answered in ${r.duration.toFixed(1)} s; ${check}; ${ok ? 'consistent' : 'INCONSISTENT'}`,
    }];
  } finally {
    await closeContext(ctx);
    await stopChild(app);
  }
}

/** The hotspot job in a fresh process (bench/opinions-hotspots.ts prints one JSON line). */
async function hotspots(e: ScenarioEnv): Promise<BenchRow> {
  const script = new URL('./opinions-hotspots.ts', import.meta.url).pathname;
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: e.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    child.stdout.on('data', (b: Buffer) => { s += b.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`opinions-hotspots.ts exited with ${code}`))));
  });
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
    job?: { seconds: number; opinions: number; groups: number; publicOpinions: number; publicGroups: number };
    steps: { opinions: number; loadSeconds: number; tokenizeSeconds: number; clusterSeconds: number; groups: number };
  };
  const s = r.steps;
  const steps = `steps over ${s.opinions} accepted opinions of the last 30 days: read ${s.loadSeconds} s, tokenize ${s.tokenizeSeconds} s, cluster ${s.clusterSeconds} s (${s.groups} groups)`;
  if (r.job) {
    e.log(`opinions.hotspots: job ${r.job.seconds} s; ${steps}`);
    return { scenario: 'opinions.hotspots', seconds: r.job.seconds, note: `hotspot-job runHotspots (both scopes: ${r.job.opinions} opinions → ${r.job.groups} groups, ${r.job.publicOpinions} public → ${r.job.publicGroups}; stored); ${steps}` };
  }
  const total = Number((s.loadSeconds + s.tokenizeSeconds + s.clusterSeconds).toFixed(2));
  e.log(`opinions.hotspots: no hotspot job to run; ${steps}`);
  return { scenario: 'opinions.hotspots', seconds: total, note: `hotspot-job.ts not found: read + tokenize + cluster measured directly; ${steps}` };
}

/** Which voice-channel targets each row meets, printed under the table. */
export function opinionTargets(rows: BenchRow[], dialect: 'sqlite' | 'postgres'): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    if (!r.scenario.startsWith('opinions.')) continue;
    let target = '';
    let met: boolean | null = null;
    if (r.scenario === 'opinions.seed') target = `seeded in ${r.seconds?.toFixed(0)} s`;
    else if (r.scenario === 'opinions.submit' && r.rps !== undefined) {
      target = `${r.rps} req/s, target ≥ 1000${dialect === 'sqlite' ? '' : ' (on SQLite)'}`;
      met = dialect === 'sqlite' ? r.rps >= 1000 : null;
    } else if (r.scenario === 'opinions.hotspots' && r.seconds !== undefined) {
      target = `${r.seconds} s, target < 5 s`; met = r.seconds < 5;
    } else if (r.rps === 0) {
      target = 'no request answered within 10 s, target p99 < 50 ms'; met = false;
    } else if (r.p99_ms !== undefined && r.scenario.endsWith('.uncached')) {
      target = `p99 ${r.p99_ms} ms (informational: past the cache, no target of its own)`;
    } else if (r.p99_ms !== undefined) {
      target = `p99 ${r.p99_ms} ms, target < 50 ms`; met = r.p99_ms < 50;
    }
    const status = met === null ? '' : met ? ' met' : ' MISSED';
    lines.push(`${r.scenario}${r.auth ? ` (${r.auth})` : ''}: ${target}${status}${r.note ? ` — ${r.note}` : ''}`);
  }
  return lines;
}
