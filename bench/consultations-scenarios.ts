import { sign } from '@fastify/cookie';
import autocannon from 'autocannon';
import type { AppContext } from '../src/context.js';
import { ALL_STAGES, FORMS } from '../src/modules/consultations/model.js';
import { SESSION_COOKIE, createSession } from '../src/platform/auth/sessions.js';
import { measure, startChild, stopChild } from './measure.js';
import type { BenchRow, ScenarioEnv } from './opinions-scenarios.js';

// Consultation scenarios for `npm run bench` (issue 4's performance targets), on the volume
// bench/consultations-seed.ts writes:
//   consultations.list           /consultations, the public list (newest first)
//   consultations.list.filter    /consultations?form=community&year=<last year>
//   consultations.list.uncached  forms × years × stages in turn, a cache-busting parameter on
//                                every request: what the database and the renderer cost
//   consultations.detail         /consultations/:id of the consultation with the live session
//   consultations.live           /consultations/:id/live: 500 questions with their answers
//                                (shared copy per version of the session for viewers without a form)
//   consultations.live.participant  the same page for an invited member, who gets the question
//                                form: rendered for them on every request
//   deliberations.results        /deliberations/:id/results: 1,000 statements, computed result
//   consultations.plan           /consultations/plans/<current year>
// — each p99 under 50 ms at 50 connections. Every app process is fresh; the bare-HTTP
// baseline is measured right before each scenario.

export interface ConsultationFixtures {
  liveId: number; deliberationId: number; year: number; years: number[]; cookie: string;
  /** A member invited to the live session: the page holds the question form for them (not shared). */
  participantCookie: string | null;
  questions: number; statements: number; consultations: number;
}

/** The citizen whose session signed-in scenarios use (the seed's first citizen). */
export const BENCH_CITIZEN_PHONE = '17100000000';

/** Ids and a fresh signed-in session from a database the consultation seed filled. */
export async function consultationFixtures(ctx: AppContext, cookieSecret: string): Promise<ConsultationFixtures | null> {
  const db = ctx.database.db;
  const live = await db.selectFrom('consultation_questions').select(['consultation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('consultation_id').orderBy('n', 'desc').limit(1).executeTakeFirst();
  const delib = await db.selectFrom('deliberation_statements').select(['deliberation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('deliberation_id').orderBy('n', 'desc').limit(1).executeTakeFirst();
  const citizen = await db.selectFrom('user_pii').select('user_id').where('phone', '=', BENCH_CITIZEN_PHONE).executeTakeFirst();
  if (!live || !delib || !citizen) return null;
  const years = (await db.selectFrom('consultations').select('year').distinct().where('is_public', '=', 1).orderBy('year', 'desc').execute()).map((r) => r.year);
  const total = await db.selectFrom('consultations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const token = await createSession(db, citizen.user_id);
  const member = await db.selectFrom('consultation_participants').select('user_id').where('consultation_id', '=', live.consultation_id)
    .where('kind', '=', 'member').where('user_id', 'is not', null).orderBy('id').limit(1).executeTakeFirst();
  const participantCookie = member?.user_id ? `${SESSION_COOKIE}=${encodeURIComponent(sign(await createSession(db, member.user_id), cookieSecret))}` : null;
  return {
    participantCookie,
    liveId: live.consultation_id, deliberationId: delib.deliberation_id, year: years[0] ?? new Date().getUTCFullYear(), years,
    cookie: `${SESSION_COOKIE}=${encodeURIComponent(sign(token, cookieSecret))}`, questions: Number(live.n), statements: Number(delib.n), consultations: Number(total.n),
  };
}

interface Scenario { scenario: string; auth: 'anon' | 'signed-in'; note: string; next: () => string; cookie?: string }

function scenarios(f: ConsultationFixtures): Scenario[] {
  let u = 0;
  const lastYear = f.years[1] ?? f.year;
  const pages: Scenario[] = (['anon', 'signed-in'] as const).flatMap((auth) => [
    { scenario: 'consultations.list', auth, note: `/consultations (${f.consultations} consultations)`, next: () => '/consultations' },
    { scenario: 'consultations.detail', auth, note: `/consultations/${f.liveId}`, next: () => `/consultations/${f.liveId}` },
    { scenario: 'consultations.live', auth, note: `/consultations/${f.liveId}/live (${f.questions} questions with their answers)`, next: () => `/consultations/${f.liveId}/live` },
  ]);
  return [
    ...pages,
    ...(f.participantCookie ? [{
      scenario: 'consultations.live.participant', auth: 'signed-in' as const, cookie: f.participantCookie,
      note: `/consultations/${f.liveId}/live as an invited member (with the question form, not shared)`, next: () => `/consultations/${f.liveId}/live`,
    }] : []),
    { scenario: 'consultations.list.filter', auth: 'anon', note: `/consultations?form=community&year=${lastYear}`, next: () => `/consultations?form=community&year=${lastYear}` },
    {
      scenario: 'consultations.list.uncached', auth: 'anon',
      note: `${FORMS.length} forms × ${f.years.length} years × ${ALL_STAGES.length + 1} stages in turn, page 1 or 2, a cache-busting parameter on every request`,
      next: () => {
        const n = u++;
        const form = FORMS[n % FORMS.length];
        const year = f.years[Math.floor(n / FORMS.length) % f.years.length];
        const stage = ['', ...ALL_STAGES][Math.floor(n / (FORMS.length * f.years.length)) % (ALL_STAGES.length + 1)];
        return `/consultations?form=${form}&year=${year}${stage ? `&stage=${stage}` : ''}${n % 3 === 0 ? '&page=2' : ''}&v=${Date.now().toString(36)}-${n.toString(36)}`;
      },
    },
    { scenario: 'deliberations.results', auth: 'anon', note: `/deliberations/${f.deliberationId}/results (${f.statements} statements)`, next: () => `/deliberations/${f.deliberationId}/results` },
    { scenario: 'consultations.plan', auth: 'anon', note: `/consultations/plans/${f.year}`, next: () => `/consultations/plans/${f.year}` },
  ];
}

interface CannonResult { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; timeouts: number }
const cannon = autocannon as unknown as (o: Record<string, unknown>) => Promise<CannonResult>;

const SERVER = new URL('./server.ts', import.meta.url).pathname;

export async function runConsultationScenarios(f: ConsultationFixtures, e: ScenarioEnv): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const origin = `http://127.0.0.1:${e.appPort}`;
  for (const sc of scenarios(f)) {
    if (!e.wants(sc.scenario, sc.auth)) continue;
    const baseline = await measure(`http://127.0.0.1:${e.basePort}/`, {}, e.load);
    e.log(`${sc.scenario} (${sc.auth}): baseline ${baseline.rps} req/s`);
    const app = await startChild(SERVER, e.env, e.nodeArgs);
    try {
      // As a phone browser asks: pages are stored gzipped, so this measures what visitors get.
      const cookie = sc.cookie ?? f.cookie;
      const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...(sc.auth === 'signed-in' ? { cookie } : {}) };
      const first = sc.next();
      const probe = await fetch(origin + first, { headers: sc.auth === 'signed-in' ? { cookie } : {}, redirect: 'manual' });
      const body = await probe.text();
      if (probe.status !== 200) {
        e.log(`SKIPPED ${sc.scenario} (${sc.auth}): ${first} answers ${probe.status}`);
        rows.push({ scenario: sc.scenario, auth: sc.auth, note: `SKIPPED: ${first.split('?')[0]} answers ${probe.status}` });
        continue;
      }
      if (sc.auth === 'signed-in' && !body.includes('/account')) e.log(`WARNING ${sc.scenario}: the page does not look signed in`);
      const run = (duration: number) => cannon({ url: origin, connections: e.load.connections, duration, requests: [{ setupRequest: (req: object) => ({ ...req, method: 'GET', path: sc.next(), headers }) }] });
      await run(e.load.warmup);
      const r = await run(e.load.seconds);
      const bad = r.non2xx + r.errors + r.timeouts;
      if (bad) e.log(`WARNING ${sc.scenario} (${sc.auth}): ${r.non2xx} non-2xx, ${r.errors + r.timeouts} errors or timeouts`);
      const rps = Math.round(r.requests.average);
      rows.push({
        scenario: sc.scenario, auth: sc.auth, rps, p50_ms: r.latency.p50, p99_ms: r.latency.p99, baseline_rps: baseline.rps, ratio: Number((rps / baseline.rps).toFixed(3)),
        note: bad ? `${sc.note}; ${r.non2xx} non-2xx, ${r.errors + r.timeouts} errors or timeouts over 10 s (not in the percentiles)` : sc.note,
      });
    } finally {
      await stopChild(app);
    }
  }
  return rows;
}

/** Which consultation targets each row meets, printed under the table. */
export function consultationTargets(rows: BenchRow[]): string[] {
  return rows.filter((r) => r.scenario.startsWith('consultations.') || r.scenario.startsWith('deliberations.')).map((r) => {
    if (r.seconds !== undefined && r.p99_ms === undefined) return `${r.scenario}: ${r.seconds.toFixed(1)} s${r.note ? ` — ${r.note}` : ''}`;
    if (r.p99_ms === undefined) return `${r.scenario}${r.auth ? ` (${r.auth})` : ''}: ${r.note ?? ''}`;
    const met = r.rps !== 0 && r.p99_ms < 50;
    return `${r.scenario}${r.auth ? ` (${r.auth})` : ''}: p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, ${r.ratio} × baseline, target p99 < 50 ms ${met ? 'met' : 'MISSED'} — ${r.note ?? ''}`;
  });
}
