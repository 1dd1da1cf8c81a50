import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB, OpinionStatus } from '../../db/schema.js';
import { OPINION_STATUSES } from '../../db/schema.js';
import { workingDaysBetween } from '../../platform/calendar/index.js';
import { ForbiddenError } from '../../platform/errors.js';
import { cleanText, isRealDate } from '../../platform/validation.js';
import { todayInChina } from './clocks.js';
import type { HandlerAccess } from './handler-access.js';
import { OPEN_STATUSES } from './model.js';

// The handlers' inbox: its scope, filters, rows and exports (rights: handler-access.ts; the
// overdue board and departments' items: supervision-queries.ts).

// ---------------------------------------------------------------------------------------
// The inbox

export type InboxScope = { kind: 'mine'; userId: number } | { kind: 'body'; bodyId: number };

const idParam = (raw: unknown): number | null => (typeof raw === 'string' && /^\d{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null);

/** `?mine=1` or `?body=ID` (which must be a body the person handles); otherwise the first inbox they have. */
export function parseScope(query: Record<string, unknown>, a: HandlerAccess): InboxScope {
  if (query.mine === '1' && a.hasMine) return { kind: 'mine', userId: a.user.id };
  const body = idParam(query.body);
  if (body !== null) {
    if (!a.handle.has(body)) throw new ForbiddenError();
    return { kind: 'body', bodyId: body };
  }
  if (query.body !== undefined && query.body !== '') throw new ForbiddenError();
  if (a.hasMine) return { kind: 'mine', userId: a.user.id };
  const first = a.bodies.find((b) => a.handle.has(b.id));
  if (!first) throw new ForbiddenError();
  return { kind: 'body', bodyId: first.id };
}

export const STATUS_FILTERS = ['open', ...OPINION_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type InboxSort = 'new' | 'due';

export interface InboxFilters {
  status: StatusFilter | null;
  category: string | null;
  region: number | null;
  /** Accept or reply due on or before this date (the clock that is running). */
  dueBy: string | null;
  overdue: boolean;
  q: string | null;
  sort: InboxSort;
  page: number;
}

const str = (raw: unknown): string | null => {
  const s = cleanText(raw);
  return typeof s === 'string' && s !== '' ? s : null;
};

/** Query-string filters; anything odd is simply no filter (never an error, never a 500). */
export function parseFilters(query: Record<string, unknown>): InboxFilters {
  const status = str(query.status);
  const category = str(query.category);
  const dueBy = str(query.due);
  const q = str(query.q);
  const page = typeof query.page === 'string' && /^\d{1,5}$/.test(query.page) && Number(query.page) > 0 ? Number(query.page) : 1;
  return {
    status: status && (STATUS_FILTERS as readonly string[]).includes(status) ? (status as StatusFilter) : null,
    category: category && /^[a-z0-9_-]{1,40}$/.test(category) ? category : null,
    region: idParam(query.region),
    dueBy: dueBy && isRealDate(dueBy) ? dueBy : null,
    overdue: query.overdue === '1',
    q: q ? [...q.replace(/\n/g, ' ')].slice(0, 50).join('') : null,
    sort: query.sort === 'due' ? 'due' : 'new',
    page,
  };
}

/** The filters as query parameters (links, pagination, exports keep them). */
export function filterQuery(scope: InboxScope, f: InboxFilters): Record<string, string> {
  const q: Record<string, string> = scope.kind === 'mine' ? { mine: '1' } : { body: String(scope.bodyId) };
  if (f.status) q.status = f.status;
  if (f.category) q.category = f.category;
  if (f.region) q.region = String(f.region);
  if (f.dueBy) q.due = f.dueBy;
  if (f.overdue) q.overdue = '1';
  if (f.q) q.q = f.q;
  if (f.sort !== 'new') q.sort = f.sort;
  return q;
}

export const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type OpEb = ExpressionBuilder<DB, 'opinions'>;

/** A region and everything below it (township → its villages; county → all). */
function regionAndBelow(db: Executor, id: number) {
  return db.selectFrom('regions as r1').select('r1.id').where((e) => e.or([
    e('r1.id', '=', id),
    e('r1.parent_id', '=', id),
    e('r1.parent_id', 'in', db.selectFrom('regions as r2').select('r2.id').where('r2.parent_id', '=', id)),
  ]));
}

/** Opinions past the deadline of their running clock (accept, or reply). */
export const overdueExpr = (eb: OpEb, today: string) => eb.or([
  eb.and([eb('opinions.status', '=', 'received'), eb('opinions.accept_due', '<', today)]),
  eb.and([eb('opinions.status', '=', 'accepted'), eb('opinions.reply_due', '<', today)]),
]);

/**
 * The scoped, filtered opinions. The scope (one body, or one member) always bounds the rows,
 * so the text search (LIKE) only ever scans one inbox, through its index.
 */
export function inboxQuery(db: Executor, scope: InboxScope, f: InboxFilters, today = todayInChina()) {
  let q = db.selectFrom('opinions');
  q = scope.kind === 'mine' ? q.where('opinions.handler_user_id', '=', scope.userId) : q.where('opinions.handler_body_id', '=', scope.bodyId);
  return applyFilters(db, q, f, today);
}

export function applyFilters<O>(db: Executor, q: SelectQueryBuilder<DB, 'opinions', O>, f: InboxFilters, today: string): SelectQueryBuilder<DB, 'opinions', O> {
  if (f.status === 'open') q = q.where('opinions.status', 'in', [...OPEN_STATUSES]);
  else if (f.status) q = q.where('opinions.status', '=', f.status as OpinionStatus);
  if (f.category) q = q.where('opinions.category_key', '=', f.category);
  if (f.region) q = q.where('opinions.region_id', 'in', regionAndBelow(db, f.region));
  if (f.dueBy) {
    const d = f.dueBy;
    q = q.where((eb) => eb.or([
      eb.and([eb('opinions.status', '=', 'received'), eb('opinions.accept_due', '<=', d)]),
      eb.and([eb('opinions.status', '=', 'accepted'), eb('opinions.reply_due', '<=', d)]),
    ]));
  }
  if (f.overdue) q = q.where((eb) => overdueExpr(eb, today));
  if (f.q) {
    const p = likePattern(f.q);
    q = q.where(sql<boolean>`(opinions.title like ${p} escape '\\' or opinions.body like ${p} escape '\\')`);
  }
  return q;
}

export interface InboxRow {
  id: number; code: string; title: string; status: OpinionStatus; category: string; categoryEn: string;
  region: string | null; receivedAt: string; acceptDue: string; replyDue: string;
  handlerBody: string; handlerBodyEn: string | null; handlerUser: string | null;
  /** The running clock: what is due next, and by when. */
  due: { kind: 'accept' | 'reply'; on: string; overdueDays: number } | null;
  targetType: string; routingConfirmed: boolean; publicVisible: boolean;
}

export const PAGE_SIZE = 30;
/** Counting stops here: a huge inbox shows "3,000+" (100 pages) rather than counting every row on every view. */
export const COUNT_CAP = 3_000;

const lateCache = new Map<string, number>();
let lateCacheDay = '';

/** Working days from a missed deadline to today (0 if the stored date is unusable); remembered per day. */
export function daysLate(due: string, today: string): number {
  if (due >= today) return 0;
  if (today !== lateCacheDay || lateCache.size > 20_000) { lateCache.clear(); lateCacheDay = today; }
  let n = lateCache.get(due);
  if (n === undefined) {
    try { n = workingDaysBetween(due, today); } catch { n = 0; }
    lateCache.set(due, n);
  }
  return n;
}

export function runningClock(status: OpinionStatus, acceptDue: string, replyDue: string, today: string): InboxRow['due'] {
  const due = status === 'received' ? { kind: 'accept' as const, on: acceptDue } : status === 'accepted' ? { kind: 'reply' as const, on: replyDue } : null;
  if (!due) return null;
  return { ...due, overdueDays: daysLate(due.on, today) };
}

function withNames<O>(q: SelectQueryBuilder<DB, 'opinions', O>) {
  return q
    .innerJoin('bodies as hb', 'hb.id', 'opinions.handler_body_id')
    .leftJoin('users as hu', 'hu.id', 'opinions.handler_user_id')
    .leftJoin('regions as rg', 'rg.id', 'opinions.region_id')
    .innerJoin('opinion_categories as oc', 'oc.key', 'opinions.category_key')
    .select([
      'opinions.id', 'opinions.tracking_code', 'opinions.title', 'opinions.status', 'opinions.created_at', 'opinions.accept_due',
      'opinions.reply_due', 'opinions.accepted_at', 'opinions.replied_at', 'opinions.rating_handling', 'opinions.rating_result',
      'opinions.target_type', 'opinions.routing_confirmed', 'opinions.public_visible',
      'oc.name as cat_name', 'oc.name_en as cat_name_en', 'rg.name as region_name', 'hb.name as body_name', 'hb.name_en as body_name_en',
      'hu.display_name as user_name',
    ]);
}

type NamedRow = Awaited<ReturnType<ReturnType<typeof withNames>['execute']>>[number];

function toInboxRow(r: NamedRow, today: string | null): InboxRow {
  return {
    id: r.id, code: r.tracking_code, title: r.title, status: r.status, category: r.cat_name, categoryEn: r.cat_name_en,
    region: r.region_name, receivedAt: r.created_at, acceptDue: r.accept_due, replyDue: r.reply_due,
    handlerBody: r.body_name, handlerBodyEn: r.body_name_en, handlerUser: r.user_name,
    due: today === null ? null : runningClock(r.status, r.accept_due, r.reply_due, today),
    targetType: r.target_type, routingConfirmed: r.routing_confirmed === 1, publicVisible: r.public_visible === 1,
  };
}

export async function loadInbox(db: Executor, scope: InboxScope, f: InboxFilters): Promise<{ rows: InboxRow[]; total: number; capped: boolean; pages: number }> {
  const today = todayInChina();
  const counted = await db.selectFrom(inboxQuery(db, scope, f, today).select('opinions.id').limit(COUNT_CAP + 1).as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const n = Number(counted.n);
  const capped = n > COUNT_CAP;
  const total = Math.min(n, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  let q = withNames(inboxQuery(db, scope, f, today));
  q = f.sort === 'due'
    ? q.orderBy(sql`case when opinions.status = 'received' then opinions.accept_due else opinions.reply_due end`).orderBy('opinions.id')
    : q.orderBy('opinions.created_at', 'desc').orderBy('opinions.id', 'desc');
  const rows = await q.limit(PAGE_SIZE).offset((Math.min(f.page, pages) - 1) * PAGE_SIZE).execute();
  return { rows: rows.map((r) => toInboxRow(r, today)), total, capped, pages };
}

// ---------------------------------------------------------------------------------------
// Export rows: newest first, read in batches by keyset (created_at, id) so a big export
// never holds more than one batch and never re-scans with OFFSET.

export interface ExportRow extends InboxRow { acceptedAt: string | null; repliedAt: string | null; ratingHandling: number | null; ratingResult: number | null }

export async function* exportBatches(
  db: Executor, base: (today: string) => SelectQueryBuilder<DB, 'opinions', object>, cap: number, batch = 1000,
): AsyncGenerator<ExportRow[]> {
  const today = todayInChina();
  let after: { at: string; id: number } | null = null;
  let left = cap;
  while (left > 0) {
    let q = withNames(base(today));
    if (after) {
      const a = after;
      // "Before (at, id)", written so the (body, created_at) index gives a range: at most `at`,
      // minus the rows at exactly `at` already sent.
      q = q.where('opinions.created_at', '<=', a.at)
        .where((eb) => eb.not(eb.and([eb('opinions.created_at', '=', a.at), eb('opinions.id', '>=', a.id)])));
    }
    const rows = await q.orderBy('opinions.created_at', 'desc').orderBy('opinions.id', 'desc').limit(Math.min(batch, left)).execute();
    if (rows.length === 0) return;
    left -= rows.length;
    const last = rows[rows.length - 1] as NamedRow;
    after = { at: last.created_at, id: last.id };
    yield rows.map((r) => ({
      ...toInboxRow(r, null), acceptedAt: r.accepted_at, repliedAt: r.replied_at, ratingHandling: r.rating_handling, ratingResult: r.rating_result,
    }));
    if (rows.length < batch) return;
  }
}

/** Picker data for filters: categories, and regions in tree order (county, each township, its villages). */
export async function filterOptions(db: Executor): Promise<{ categories: { key: string; name: string; nameEn: string }[]; regions: { id: number; name: string; nameEn: string | null; level: string; depth: number }[] }> {
  const [categories, regions] = await Promise.all([
    db.selectFrom('opinion_categories').select(['key', 'name', 'name_en']).orderBy('sort').orderBy('key').execute(),
    db.selectFrom('regions').select(['id', 'parent_id', 'name', 'name_en', 'level']).orderBy('sort').orderBy('id').limit(3000).execute(),
  ]);
  const children = new Map<number | null, typeof regions>();
  const ids = new Set(regions.map((r) => r.id));
  for (const r of regions) {
    const p = r.parent_id !== null && ids.has(r.parent_id) ? r.parent_id : null;
    children.set(p, [...(children.get(p) ?? []), r]);
  }
  const ordered: { id: number; name: string; nameEn: string | null; level: string; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (p: number | null, depth: number) => {
    for (const r of children.get(p) ?? []) {
      if (seen.has(r.id) || depth > 3) continue;
      seen.add(r.id);
      ordered.push({ id: r.id, name: r.name, nameEn: r.name_en, level: r.level, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return { categories: categories.map((c) => ({ key: c.key, name: c.name, nameEn: c.name_en })), regions: ordered };
}
