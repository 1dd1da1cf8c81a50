import { type Selectable, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ActionItemsTable, OpinionStatus } from '../../db/schema.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { todayInChina } from './clocks.js';
import { type HandlerAccess, rightsFrom } from './handler-access.js';
import { COUNT_CAP, PAGE_SIZE, daysLate, overdueExpr } from './inbox-queries.js';

// The supervisors' and departments' read side: the overdue board, "not satisfied" ratings,
// and a department's action items.

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
