import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { int, validate } from '../../platform/validation.js';
import { answerInThread, inThread } from './public-thread.js';

// Per-body handling statistics for the public scorecard, computed from the opinions
// themselves in one pass over the period (see migration 0011: the pass reads one index).
// A deadline is a China date; something done by the end of that day (23:59:59.999 +08:00,
// i.e. 15:59:59.999Z) is on time — `onTime` in clocks.ts, done in SQL on ISO UTC text.

export interface Counts {
  received: number;
  accepted: number; acceptedOnTime: number;
  replied: number; repliedOnTime: number;
  /** Rated; of those, satisfied or basically satisfied with the handling / with the result. */
  rated: number; satHandling: number; satResult: number;
  /** Not accepted past the acceptance deadline, or not replied past the reply deadline, as of today. */
  overdue: number;
}
export interface BodyStats extends Counts { bodyId: number; name: string; nameEn: string | null }
export interface MonthStats extends Counts { month: string }
export interface OpinionStats {
  /** China dates, inclusive. */
  from: string; to: string;
  year: number | null;
  bodies: BodyStats[];
  total: Counts;
  trend: MonthStats[];
  /** Years with opinions, newest first (the period choices). */
  years: number[];
  computedAt: string;
}

const spec = { year: int({ label: (t) => t.opinionsPublic.statsPeriod, min: 2000, max: 2100, required: false }) };

/** `?year=2025`, or the last 12 months when absent; a bad year is a localised 400. */
export function parseStatsPeriod(query: unknown): { year: number | null } {
  return { year: validate(spec, query).year };
}

const zero = (): Counts => ({ received: 0, accepted: 0, acceptedOnTime: 0, replied: 0, repliedOnTime: 0, rated: 0, satHandling: 0, satResult: 0, overdue: 0 });
const KEYS = Object.keys(zero()) as (keyof Counts)[];
const add = (into: Counts, c: Counts): void => { for (const k of KEYS) into[k] += c[k]; };

/** The instant a China month starts, as ISO UTC. */
const monthStart = (y: number, m: number): string => new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000).toISOString();
const monthName = (y: number, m: number): string => `${y}-${String(m).padStart(2, '0')}`;

/** The months shown: the last 12 up to this one, or a year's (up to this month for the current year). */
export function periodMonths(year: number | null, now: Date): { y: number; m: number }[] {
  const today = chinaDate(now);
  const cy = Number(today.slice(0, 4));
  const cm = Number(today.slice(5, 7));
  if (year === null) return Array.from({ length: 12 }, (_, i) => { const k = cy * 12 + cm - 1 - (11 - i); return { y: Math.floor(k / 12), m: (k % 12) + 1 }; });
  const last = year === cy ? cm : year > cy ? 0 : 12;
  return Array.from({ length: last }, (_, i) => ({ y: year, m: i + 1 }));
}

interface Row {
  body: number; bucket: number | string;
  received: number | string; accepted: number | string; accepted_on_time: number | string; replied: number | string; replied_on_time: number | string;
  rated: number | string; sat_handling: number | string; sat_result: number | string; overdue: number | string;
}

export async function opinionStats(db: Executor, year: number | null, now: Date = new Date()): Promise<OpinionStats> {
  const months = periodMonths(year, now);
  const today = chinaDate(now);
  const years = await yearsWithOpinions(db, now);
  const base = { year, years, computedAt: now.toISOString(), bodies: [], total: zero(), trend: [] };
  if (months.length === 0) return { ...base, from: `${year}-01-01`, to: `${year}-01-01` };
  const first = months[0] as { y: number; m: number };
  const last = months[months.length - 1] as { y: number; m: number };
  const lastEnd = last.m === 12 ? { y: last.y + 1, m: 1 } : { y: last.y, m: last.m + 1 };
  const bounds = [...months.map((x) => monthStart(x.y, x.m)), monthStart(lastEnd.y, lastEnd.m)];
  // Month of each row by comparing with the month starts (exact in China time, no date functions per row).
  const bucket = sql.join(bounds.slice(1, -1).map((b, i) => sql`WHEN created_at < ${b} THEN ${sql.lit(i)}`), sql` `);
  const due = (col: string) => sql`(${sql.ref(col)} || 'T15:59:59.999Z')`;
  const rows = await sql<Row>`
    SELECT handler_body_id AS body, CASE ${bucket} ELSE ${sql.lit(months.length - 1)} END AS bucket,
      COUNT(*) AS received,
      SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS accepted,
      SUM(CASE WHEN accepted_at <= ${due('accept_due')} THEN 1 ELSE 0 END) AS accepted_on_time,
      SUM(CASE WHEN first_replied_at IS NOT NULL THEN 1 ELSE 0 END) AS replied,
      SUM(CASE WHEN first_replied_at <= ${due('reply_due')} THEN 1 ELSE 0 END) AS replied_on_time,
      SUM(CASE WHEN rating_handling IS NOT NULL THEN 1 ELSE 0 END) AS rated,
      SUM(CASE WHEN rating_handling >= 2 THEN 1 ELSE 0 END) AS sat_handling,
      SUM(CASE WHEN rating_result >= 2 THEN 1 ELSE 0 END) AS sat_result,
      SUM(CASE WHEN (status = 'received' AND accept_due < ${today}) OR (status = 'accepted' AND reply_due < ${today}) THEN 1 ELSE 0 END) AS overdue
    FROM opinions
    WHERE created_at >= ${bounds[0]} AND created_at < ${bounds[bounds.length - 1]}
    GROUP BY 1, 2`.execute(db);

  const trend: MonthStats[] = months.map((x) => ({ month: monthName(x.y, x.m), ...zero() }));
  const perBody = new Map<number, Counts>();
  const total = zero();
  for (const r of rows.rows) {
    const c: Counts = {
      received: Number(r.received), accepted: Number(r.accepted), acceptedOnTime: Number(r.accepted_on_time),
      replied: Number(r.replied), repliedOnTime: Number(r.replied_on_time), rated: Number(r.rated),
      satHandling: Number(r.sat_handling), satResult: Number(r.sat_result), overdue: Number(r.overdue),
    };
    const month = trend[Number(r.bucket)];
    if (month) add(month, c);
    const body = Number(r.body);
    if (!perBody.has(body)) perBody.set(body, zero());
    add(perBody.get(body) as Counts, c);
    add(total, c);
  }
  const ids = [...perBody.keys()];
  const names = ids.length ? await db.selectFrom('bodies').select(['id', 'name', 'name_en']).where('id', 'in', ids).execute() : [];
  const nameOf = new Map(names.map((b) => [b.id, b]));
  const bodies = ids.map((id) => ({ bodyId: id, name: nameOf.get(id)?.name ?? String(id), nameEn: nameOf.get(id)?.name_en ?? null, ...(perBody.get(id) as Counts) }))
    .sort((a, b) => b.received - a.received || a.name.localeCompare(b.name, 'zh-CN'));
  const lastDay = new Date(Date.parse(bounds[bounds.length - 1] as string) - 1);
  return { ...base, from: `${monthName(first.y, first.m)}-01`, to: chinaDate(lastDay) > today ? today : chinaDate(lastDay), bodies, total, trend };
}

/** From the first opinion's year to this year, newest first (one index lookup). */
async function yearsWithOpinions(db: Executor, now: Date): Promise<number[]> {
  const r = await db.selectFrom('opinions').select((eb) => eb.fn.min('created_at').as('first')).executeTakeFirst();
  const cy = Number(chinaDate(now).slice(0, 4));
  const fy = r?.first ? Number(chinaDate(String(r.first)).slice(0, 4)) : cy;
  const out: number[] = [];
  for (let y = cy; y >= Math.max(fy, cy - 20); y--) out.push(y);
  return out;
}

/** A share as a whole percentage, or null when there is nothing to divide by. */
export const percent = (n: number, of: number): number | null => (of > 0 ? Math.round((n / of) * 1000) / 10 : null);

const STATS_TASK = 'opinions.stats';

/**
 * The statistics for the page. On SQLite the pass (about a second over a year of a million
 * opinions) runs in a worker thread on its own read-only connection — WAL lets it read while
 * the app writes — so the synchronous driver does not hold up other requests meanwhile.
 * PostgreSQL runs it on its side.
 */
export async function statsForPage(ctx: AppContext, year: number | null, now: Date = new Date()): Promise<OpinionStats> {
  const file = ctx.config.sqliteFile;
  if (ctx.database.dialect === 'sqlite' && file && file !== ':memory:') {
    return inThread<OpinionStats>(import.meta.url, STATS_TASK, { file, year, now: now.toISOString() });
  }
  return opinionStats(ctx.database.db, year, now);
}

/** How long computed statistics are served before they are recomputed (in the background). */
export const STATS_FRESH_MS = 5 * 60_000;
const kept = new WeakMap<AppContext, Map<string, { at: number; value: Promise<OpinionStats>; refreshing: boolean }>>();

/**
 * Statistics as the page shows them: computed at most every STATS_FRESH_MS per period and
 * kept across page-cache invalidations (a handler's action clears the pages, not these), so
 * a busy day does not recompute the pass on every change. Older ones are served while a
 * fresh pass runs; the page says when they were computed.
 */
export function cachedStats(ctx: AppContext, year: number | null, now: Date = new Date()): Promise<OpinionStats> {
  let byKey = kept.get(ctx);
  if (!byKey) kept.set(ctx, (byKey = new Map()));
  const key = String(year);
  const hit = byKey.get(key);
  const fresh = () => {
    const value = statsForPage(ctx, year, now);
    const entry = { at: now.getTime(), value, refreshing: false };
    value.then(() => byKey.set(key, entry), () => { if (byKey.get(key) === entry) byKey.delete(key); else if (hit) hit.refreshing = false; });
    return entry;
  };
  if (!hit) {
    const entry = fresh();
    byKey.set(key, entry);
    return entry.value;
  }
  if (now.getTime() - hit.at > STATS_FRESH_MS && !hit.refreshing) {
    hit.refreshing = true;
    fresh();
  }
  return hit.value;
}

answerInThread(STATS_TASK, async (d: { file: string; year: number | null; now: string }) => {
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: new SQLite(d.file, { readonly: true, fileMustExist: true }) }) });
  try {
    return await opinionStats(db, d.year, new Date(d.now));
  } finally {
    await db.destroy();
  }
});
