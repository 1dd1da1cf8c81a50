import { type ExpressionBuilder, type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ActionItemsTable, DB, OpinionStatus } from '../../db/schema.js';
import { OPINION_STATUSES } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { workingDaysBetween } from '../../platform/calendar/index.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import { type Scope, can } from '../../platform/permissions.js';
import { cleanText, isRealDate } from '../../platform/validation.js';
import { todayInChina } from './clocks.js';
import { OPEN_STATUSES } from './model.js';

// The handlers' read side: who may open which inbox, the inbox with its filters, the overdue
// board and a department's action items. Rights are worked out once per request from the
// body tree (one query), not per row.

export interface BodyInfo { id: number; parentId: number | null; kind: string; name: string; nameEn: string | null; depth: number }

export interface HandlerAccess {
  user: CurrentUser;
  /** Every body, parents before children (for names and pickers). */
  bodies: BodyInfo[];
  /** Bodies whose inbox this person may open (`canHandleBody`), departments excluded. */
  handle: Set<number>;
  /** Bodies whose opinions this person supervises ('opinion.supervise'). */
  supervise: Set<number>;
  /** Departments this person answers for ('action.answer'). */
  departments: number[];
  /** A member (or anyone opinions were passed to by name): has a personal inbox. */
  hasMine: boolean;
  /** Whether the person supervises every body (no body filter needed). */
  superviseAll: boolean;
  /** 'pii.view': sees citizens' phone numbers unmasked. */
  piiView: boolean;
}

export async function handlerAccess(db: Executor, user: CurrentUser | null): Promise<HandlerAccess> {
  if (!user) throw new UnauthenticatedError();
  const rows = await db.selectFrom('bodies').select(['id', 'parent_id', 'kind', 'name', 'name_en', 'sort']).orderBy('sort').orderBy('id').execute();
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const rootBodyIds = rows.filter((r) => r.parent_id === null).map((r) => r.id);
  const pathOf = (id: number): number[] => {
    const path: number[] = [];
    let cur: number | null | undefined = id;
    while (cur != null && parent.has(cur) && !path.includes(cur)) { path.push(cur); cur = parent.get(cur); }
    return path;
  };
  const handle = new Set<number>();
  const supervise = new Set<number>();
  const departments: number[] = [];
  const mine = new Set(user.memberships.map((m) => m.bodyId));
  for (const r of rows) {
    const scope: Scope = { bodyPath: pathOf(r.id), rootBodyIds };
    if (r.kind === 'department') {
      if (can(user, 'action.answer', scope)) departments.push(r.id);
      continue;
    }
    if (can(user, 'opinion.handle', scope) || (r.kind === 'member_studio' && mine.has(r.id))) handle.add(r.id);
    if (can(user, 'opinion.supervise', scope)) supervise.add(r.id);
  }
  const seat = user.memberships.some((m) => m.role === 'member' || m.role === 'standing_member');
  const hasMine = seat || Boolean(await db.selectFrom('opinions').select('id').where('handler_user_id', '=', user.id).limit(1).executeTakeFirst());
  const nonDept = rows.filter((r) => r.kind !== 'department').length;
  return { user, bodies: orderTree(rows), handle, supervise, departments, hasMine, superviseAll: supervise.size === nonDept,
    piiView: can(user, 'pii.view', { bodyPath: [], rootBodyIds }) };
}

/** Parents first, each followed by its children, with their depth (for indented pickers). */
function orderTree(rows: { id: number; parent_id: number | null; kind: string; name: string; name_en: string | null }[]): BodyInfo[] {
  const children = new Map<number | null, typeof rows>();
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const p = r.parent_id !== null && ids.has(r.parent_id) ? r.parent_id : null;
    children.set(p, [...(children.get(p) ?? []), r]);
  }
  const out: BodyInfo[] = [];
  const seen = new Set<number>();
  const walk = (p: number | null, depth: number) => {
    for (const r of children.get(p) ?? []) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ id: r.id, parentId: r.parent_id, kind: r.kind, name: r.name, nameEn: r.name_en, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Whether the person has any part in handling: an inbox, a supervision, a department. */
export const hasHandlerRights = (a: HandlerAccess): boolean => a.hasMine || a.handle.size > 0 || a.departments.length > 0;

/** The handler pages' navigation: which sections this person sees. */
export interface HandlerNav { inbox: boolean; overdue: boolean; actions: boolean; configure: boolean }
export const navOf = (a: HandlerAccess): HandlerNav => ({
  inbox: a.hasMine || a.handle.size > 0, overdue: a.supervise.size > 0, actions: a.departments.length > 0, configure: a.user.isAdmin,
});

/** Rights on one opinion, as `rightsOn` computes them, from the access already loaded. */
export function rightsFrom(a: HandlerAccess, op: { handler_body_id: number; handler_user_id: number | null }): { handle: boolean; supervise: boolean } {
  return { handle: op.handler_user_id === a.user.id || a.handle.has(op.handler_body_id), supervise: a.supervise.has(op.handler_body_id) };
}

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

const overdueExpr = (eb: OpEb, today: string) => eb.or([
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

// ---------------------------------------------------------------------------------------
// The overdue board: opinions past their clock, department items past due, "not satisfied".

export interface OverdueOpinion { id: number; code: string; title: string; status: OpinionStatus; bodyId: number; body: string; bodyEn: string | null; handlerUser: string | null; due: string; kind: 'accept' | 'reply'; days: number }
export interface OverdueItem { id: number; title: string; department: string; departmentEn: string | null; assignedBody: string | null; sourceType: string; sourceId: number; dueOn: string; status: string; days: number }
export interface BadRating { opinionId: number; code: string; title: string; body: string; bodyEn: string | null; handling: number; result: number; comment: string | null; at: string; round: number }

/** Bodies to filter by: null when the person supervises everything. */
const supervisedIds = (a: HandlerAccess): number[] | null => (a.superviseAll ? null : [...a.supervise]);

export async function overdueOpinions(db: Executor, a: HandlerAccess, page: number): Promise<{ rows: OverdueOpinion[]; pages: number; total: number }> {
  const today = todayInChina();
  const ids = supervisedIds(a);
  const base = () => {
    let q = db.selectFrom('opinions').where((eb) => overdueExpr(eb, today));
    if (ids) q = q.where('opinions.handler_body_id', 'in', ids.length ? ids : [0]);
    return q;
  };
  const n = Number((await db.selectFrom(base().select('opinions.id').limit(COUNT_CAP + 1).as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const total = Math.min(n, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const rows = await base()
    .innerJoin('bodies as hb', 'hb.id', 'opinions.handler_body_id')
    .leftJoin('users as hu', 'hu.id', 'opinions.handler_user_id')
    .select(['opinions.id', 'opinions.tracking_code', 'opinions.title', 'opinions.status', 'opinions.handler_body_id', 'opinions.accept_due', 'opinions.reply_due',
      'hb.name as body_name', 'hb.name_en as body_name_en', 'hu.display_name as user_name'])
    .orderBy('hb.sort').orderBy('opinions.handler_body_id')
    .orderBy(sql`case when opinions.status = 'received' then opinions.accept_due else opinions.reply_due end`).orderBy('opinions.id')
    .limit(PAGE_SIZE).offset((Math.min(page, pages) - 1) * PAGE_SIZE).execute();
  return {
    total, pages,
    rows: rows.map((r) => {
      const kind = r.status === 'received' ? 'accept' as const : 'reply' as const;
      const due = kind === 'accept' ? r.accept_due : r.reply_due;
      return { id: r.id, code: r.tracking_code, title: r.title, status: r.status, bodyId: r.handler_body_id, body: r.body_name, bodyEn: r.body_name_en, handlerUser: r.user_name, due, kind, days: daysLate(due, today) };
    }),
  };
}

export async function overdueItems(db: Executor, a: HandlerAccess, page: number): Promise<{ rows: OverdueItem[]; pages: number; total: number }> {
  const today = todayInChina();
  const ids = supervisedIds(a);
  const base = () => {
    let q = db.selectFrom('action_items').where('action_items.status', 'in', ['open', 'answered']).where('action_items.due_on', '<', today);
    if (ids) q = q.where('action_items.assigned_by_body_id', 'in', ids.length ? ids : [0]);
    return q;
  };
  const n = Number((await db.selectFrom(base().select('action_items.id').limit(COUNT_CAP + 1).as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const total = Math.min(n, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const rows = await base()
    .innerJoin('bodies as d', 'd.id', 'action_items.owner_body_id')
    .leftJoin('bodies as ab', 'ab.id', 'action_items.assigned_by_body_id')
    .select(['action_items.id', 'action_items.title', 'action_items.due_on', 'action_items.status', 'action_items.source_type', 'action_items.source_id',
      'd.name as dept', 'd.name_en as dept_en', 'ab.name as assigned_body'])
    .orderBy('d.sort').orderBy('action_items.owner_body_id').orderBy('action_items.due_on').orderBy('action_items.id')
    .limit(PAGE_SIZE).offset((Math.min(page, pages) - 1) * PAGE_SIZE).execute();
  return {
    total, pages,
    rows: rows.map((r) => ({
      id: r.id, title: r.title, department: r.dept, departmentEn: r.dept_en, assignedBody: r.assigned_body, sourceType: r.source_type,
      sourceId: r.source_id, dueOn: r.due_on, status: r.status, days: daysLate(r.due_on, today),
    })),
  };
}

export async function notSatisfied(db: Executor, a: HandlerAccess, page: number): Promise<{ rows: BadRating[]; pages: number }> {
  const ids = supervisedIds(a);
  const base = () => {
    let q = db.selectFrom('opinion_ratings').innerJoin('opinions', 'opinions.id', 'opinion_ratings.opinion_id')
      .where((eb) => eb.or([eb('opinion_ratings.handling', '=', 1), eb('opinion_ratings.result', '=', 1)]));
    if (ids) q = q.where('opinions.handler_body_id', 'in', ids.length ? ids : [0]);
    return q;
  };
  const n = Number((await db.selectFrom(base().select('opinion_ratings.id').limit(COUNT_CAP + 1).as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const pages = Math.max(1, Math.ceil(Math.min(n, COUNT_CAP) / PAGE_SIZE));
  const rows = await base().innerJoin('bodies as hb', 'hb.id', 'opinions.handler_body_id')
    .select(['opinion_ratings.opinion_id', 'opinion_ratings.handling', 'opinion_ratings.result', 'opinion_ratings.comment', 'opinion_ratings.created_at', 'opinion_ratings.round',
      'opinions.tracking_code', 'opinions.title', 'hb.name as body_name', 'hb.name_en as body_name_en'])
    .orderBy('opinion_ratings.created_at', 'desc').orderBy('opinion_ratings.id', 'desc')
    .limit(PAGE_SIZE).offset((Math.min(page, pages) - 1) * PAGE_SIZE).execute();
  return {
    pages,
    rows: rows.map((r) => ({
      opinionId: r.opinion_id, code: r.tracking_code, title: r.title, body: r.body_name, bodyEn: r.body_name_en,
      handling: r.handling, result: r.result, comment: r.comment, at: r.created_at, round: r.round,
    })),
  };
}

// ---------------------------------------------------------------------------------------
// A department's action items.

export const ACTION_FILTERS = ['pending', 'open', 'answered', 'done', 'all'] as const;
export type ActionFilter = (typeof ACTION_FILTERS)[number];

export interface ActionRow { id: number; title: string; sourceType: string; sourceId: number; dueOn: string; status: string; createdAt: string; answeredAt: string | null; doneAt: string | null; assignedBody: string | null; overdueDays: number }

export async function departmentItems(db: Executor, departmentId: number, filter: ActionFilter, page: number): Promise<{ rows: ActionRow[]; pages: number; total: number }> {
  const today = todayInChina();
  const base = () => {
    const q = db.selectFrom('action_items').where('action_items.owner_body_id', '=', departmentId);
    if (filter === 'pending') return q.where('action_items.status', 'in', ['open', 'answered']);
    if (filter === 'all') return q;
    return q.where('action_items.status', '=', filter);
  };
  const n = Number((await db.selectFrom(base().select('action_items.id').limit(COUNT_CAP + 1).as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const total = Math.min(n, COUNT_CAP);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const rows = await base().leftJoin('bodies as ab', 'ab.id', 'action_items.assigned_by_body_id')
    .select(['action_items.id', 'action_items.title', 'action_items.source_type', 'action_items.source_id', 'action_items.due_on', 'action_items.status',
      'action_items.created_at', 'action_items.answered_at', 'action_items.done_at', 'ab.name as assigned_body'])
    .orderBy('action_items.due_on').orderBy('action_items.id')
    .limit(PAGE_SIZE).offset((Math.min(page, pages) - 1) * PAGE_SIZE).execute();
  return {
    total, pages,
    rows: rows.map((r) => ({
      id: r.id, title: r.title, sourceType: r.source_type, sourceId: r.source_id, dueOn: r.due_on, status: r.status, createdAt: r.created_at,
      answeredAt: r.answered_at, doneAt: r.done_at, assignedBody: r.assigned_body,
      overdueDays: r.status !== 'done' ? daysLate(r.due_on, today) : 0,
    })),
  };
}

export interface ActionItemDetail {
  item: Selectable<ActionItemsTable>;
  rights: { answer: boolean; supervise: boolean; source: boolean };
  department: { name: string; nameEn: string | null };
  assignedBody: string | null;
  /** The opinion behind it, without anything that identifies its sender. */
  source: { id: number; code: string; title: string; body: string; category: string; categoryEn: string; region: string | null; status: OpinionStatus } | null;
  overdueDays: number;
}

/** An action item for its department, the body that assigned it, or whoever handles its source. */
export async function actionItemDetail(db: Executor, a: HandlerAccess, id: number): Promise<ActionItemDetail> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError();
  const item = await db.selectFrom('action_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!item) throw new NotFoundError();
  const op = item.source_type === 'opinion'
    ? await db.selectFrom('opinions').leftJoin('regions', 'regions.id', 'opinions.region_id').innerJoin('opinion_categories as oc', 'oc.key', 'opinions.category_key')
      .select(['opinions.id', 'opinions.tracking_code', 'opinions.title', 'opinions.body', 'opinions.status', 'opinions.handler_body_id', 'opinions.handler_user_id',
        'regions.name as region', 'oc.name as cat', 'oc.name_en as cat_en'])
      .where('opinions.id', '=', item.source_id).executeTakeFirst()
    : undefined;
  const sourceRights = op ? rightsFrom(a, op) : { handle: false, supervise: false };
  const rights = {
    answer: a.departments.includes(item.owner_body_id),
    supervise: item.assigned_by_body_id !== null && a.supervise.has(item.assigned_by_body_id),
    source: sourceRights.handle || sourceRights.supervise,
  };
  if (!rights.answer && !rights.supervise && !rights.source) throw new ForbiddenError();
  const dept = a.bodies.find((b) => b.id === item.owner_body_id);
  const assigned = item.assigned_by_body_id === null ? undefined : a.bodies.find((b) => b.id === item.assigned_by_body_id);
  return {
    item, rights,
    department: { name: dept?.name ?? '', nameEn: dept?.nameEn ?? null },
    assignedBody: assigned?.name ?? null,
    source: op ? { id: op.id, code: op.tracking_code, title: op.title, body: op.body, category: op.cat, categoryEn: op.cat_en, region: op.region, status: op.status } : null,
    overdueDays: item.status === 'done' ? 0 : daysLate(item.due_on, todayInChina()),
  };
}
