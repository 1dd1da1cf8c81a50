import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { int, text, validate } from '../../platform/validation.js';
import type { LocalText } from '../../web/i18n/index.js';
import { requireAdmin } from '../admin/access.js';
import { phoneForViewer } from '../privacy/phone.js';
import type { OpinionRow } from './access.js';
import { loadOpinion } from './access.js';
import { acceptOpinion, assignOpinion } from './handling.js';
import { daysLate } from './inbox-queries.js';
import { type HandlerAccess, rightsFrom } from './handler-access.js';
import { todayInChina } from './clocks.js';
import { type TimelineItem, opinionTimeline } from './timeline.js';

// What the handler pages need beyond the handling service: the full opinion as a handler
// sees it, bulk actions (one transaction per item), public-sentiment report drafts, and the
// per-category clocks.

export interface Option { id: number; label: string; depth?: number }

export interface OpinionDetail {
  op: OpinionRow;
  rights: { handle: boolean; supervise: boolean };
  category: { name: string; nameEn: string } | null;
  regionPath: string[];
  handlerBody: { id: number; name: string; nameEn: string | null } | null;
  handlerUser: string | null;
  target: { body: string | null; member: string | null };
  suggestion: { bodyId: number; name: string; reason: string | null } | null;
  attachments: { id: number; filename: string; size: number; mime: string }[];
  citizen: { name: string | null; phone: string } | null;
  timeline: TimelineItem[];
  ratings: { round: number; handling: number; result: number; comment: string | null; at: string }[];
  actionItems: { id: number; department: string; status: string; dueOn: string; overdueDays: number }[];
  reports: { id: number; title: string; status: string }[];
  mergedInto: { id: number; code: string } | null;
}

/** The opinion as its handlers (or supervisors) see it; anyone else is refused. */
export async function opinionDetail(db: Executor, a: HandlerAccess, id: number): Promise<OpinionDetail> {
  const op = await loadOpinion(db, id);
  const rights = rightsFrom(a, op);
  if (!rights.handle && !rights.supervise) throw new ForbiddenError();
  const userIds = [op.handler_user_id, op.target_user_id].filter((x): x is number => x !== null);
  const [cat, users, attachments, citizen, timeline, ratings, items, reports, merged] = await Promise.all([
    db.selectFrom('opinion_categories').select(['name', 'name_en']).where('key', '=', op.category_key).executeTakeFirst(),
    userIds.length ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute() : [],
    db.selectFrom('attachments').select(['id', 'filename', 'size', 'mime']).where('owner_type', '=', 'opinion').where('owner_id', '=', id).orderBy('id').execute(),
    op.citizen_id === null ? null : db.selectFrom('users').leftJoin('user_pii', 'user_pii.user_id', 'users.id')
      .select(['users.id', 'users.display_name', 'user_pii.phone']).where('users.id', '=', op.citizen_id).executeTakeFirst(),
    opinionTimeline(db, op, 'handler'),
    db.selectFrom('opinion_ratings').select(['round', 'handling', 'result', 'comment', 'created_at']).where('opinion_id', '=', id).orderBy('round').execute(),
    db.selectFrom('action_items').innerJoin('bodies', 'bodies.id', 'action_items.owner_body_id')
      .select(['action_items.id', 'action_items.status', 'action_items.due_on', 'bodies.name'])
      .where('action_items.source_type', '=', 'opinion').where('action_items.source_id', '=', id).orderBy('action_items.id').execute(),
    db.selectFrom('sentiment_report_sources').innerJoin('sentiment_reports', 'sentiment_reports.id', 'sentiment_report_sources.report_id')
      .select(['sentiment_reports.id', 'sentiment_reports.title', 'sentiment_reports.status'])
      .where('sentiment_report_sources.opinion_id', '=', id).orderBy('sentiment_reports.id').limit(20).execute(),
    op.merged_into_id === null ? null : db.selectFrom('opinions').select(['id', 'tracking_code']).where('id', '=', op.merged_into_id).executeTakeFirst(),
  ]);
  const regionPath = op.region_id === null ? [] : await regionNames(db, op.region_id);
  const bodyOf = (bid: number | null) => (bid === null ? undefined : a.bodies.find((b) => b.id === bid));
  const userName = (uid: number | null) => (uid === null ? null : users.find((u) => u.id === uid)?.display_name ?? null);
  const hb = bodyOf(op.handler_body_id);
  const today = todayInChina();
  const suggested = op.target_type === 'route' && op.routing_confirmed === 0 && op.suggested_body_id !== null ? bodyOf(op.suggested_body_id) : undefined;
  return {
    op, rights,
    category: cat ? { name: cat.name, nameEn: cat.name_en } : null,
    regionPath,
    handlerBody: hb ? { id: hb.id, name: hb.name, nameEn: hb.nameEn } : null,
    handlerUser: userName(op.handler_user_id),
    target: { body: bodyOf(op.target_body_id)?.name ?? null, member: userName(op.target_user_id) },
    suggestion: suggested ? { bodyId: suggested.id, name: suggested.name, reason: op.suggestion_reason } : null,
    attachments,
    citizen: citizen ? {
      name: citizen.display_name,
      phone: phoneForViewer(a.user, { ownerId: citizen.id, phone: citizen.phone }, a.piiView),
    } : null,
    timeline,
    ratings: ratings.map((r) => ({ round: r.round, handling: r.handling, result: r.result, comment: r.comment, at: r.created_at })),
    actionItems: items.map((i) => ({ id: i.id, department: i.name, status: i.status, dueOn: i.due_on, overdueDays: i.status === 'done' ? 0 : daysLate(i.due_on, today) })),
    reports,
    mergedInto: merged ? { id: merged.id, code: merged.tracking_code } : null,
  };
}

/** The region and its ancestors' names, county first (the tree has three levels). */
async function regionNames(db: Executor, id: number): Promise<string[]> {
  const r = await db.selectFrom('regions as r').leftJoin('regions as p', 'p.id', 'r.parent_id').leftJoin('regions as g', 'g.id', 'p.parent_id')
    .select(['r.name as n0', 'p.name as n1', 'g.name as n2']).where('r.id', '=', id).executeTakeFirst();
  return r ? [r.n2, r.n1, r.n0].filter((x): x is string => typeof x === 'string') : [];
}

/** Choices for "pass on" and "forward": receiving bodies, members with a seat, departments. */
/** A cache of values every handler shares (`ctx.pageCache.memo`): key, and how to load on a miss. */
export type Memo = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export async function handlerOptions(
  db: Executor, a: HandlerAccess, locale: string, memo: Memo = (_k, load) => load(),
): Promise<{ bodies: Option[]; members: Option[]; departments: Option[] }> {
  const today = new Date().toISOString().slice(0, 10);
  // The same for everyone: kept (per day) until something public changes, as member lists are.
  const members = await memo(`opinions.handlerMembers:${today}`, () => db.selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('member_profiles', 'member_profiles.user_id', 'memberships.user_id')
    .select(['users.id', 'users.display_name']).distinct()
    .where('memberships.role', 'in', ['member', 'standing_member']).where('users.status', '=', 'active')
    .where('member_profiles.is_public', '=', 1)
    .where((eb) => eb.or([eb('memberships.ends_on', 'is', null), eb('memberships.ends_on', '>=', today)]))
    .orderBy('users.display_name').orderBy('users.id').limit(2000).execute());
  const name = (b: { name: string; nameEn: string | null }) => (locale === 'en' && b.nameEn ? b.nameEn : b.name);
  return {
    bodies: a.bodies.filter((b) => b.kind !== 'department').map((b) => ({ id: b.id, label: name(b), depth: b.depth })),
    members: members.map((m) => ({ id: m.id, label: m.display_name })),
    departments: a.bodies.filter((b) => b.kind === 'department').map((b) => ({ id: b.id, label: name(b) })),
  };
}

// ---------------------------------------------------------------------------------------
// Bulk actions: each item is its own transaction through the handling service; the person
// sees what succeeded and, for the rest, why not.

export const BULK_ACTIONS = ['accept', 'assign', 'report', 'export-csv', 'export-xlsx'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_MAX = 100;

export interface BulkOutcome { id: number; code: string | null; title: string | null; ok: boolean; message: LocalText | null }

/** The checked ids: at least one, at most BULK_MAX, each a positive integer. */
export function parseBulkIds(raw: unknown): number[] {
  const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map((v) => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v));
  const ids = [...new Set(list.filter((v): v is string => typeof v === 'string' && /^\d{1,9}$/.test(v) && Number(v) > 0).map(Number))];
  if (ids.length === 0) throw new ValidationError([{ field: 'ids', message: (t) => t.opinionsHandler.errNoneSelected }]);
  if (ids.length > BULK_MAX) throw new ValidationError([{ field: 'ids', message: (t) => t.opinionsHandler.errTooManySelected(BULK_MAX) }]);
  return ids;
}

export const errorText = (err: DomainError): LocalText => (err instanceof ValidationError && err.issues[0] ? err.issues[0].message : err.text);

export async function bulkApply(
  ctx: AppContext, user: CurrentUser | null, a: HandlerAccess, action: 'accept' | 'assign', ids: number[], raw: Record<string, unknown>,
  onUnexpected: (err: unknown) => void,
): Promise<BulkOutcome[]> {
  if (action === 'assign') {
    const v = validate({
      bodyId: int({ label: (t) => t.opinions.fAssignBody, min: 1, required: false }),
      memberId: int({ label: (t) => t.opinions.fAssignMember, min: 1, required: false }),
    }, raw);
    if (!v.bodyId && !v.memberId) throw new ValidationError([{ field: 'bodyId', message: (t) => t.opinions.errTargetBody }]);
  }
  const rows = await ctx.database.db.selectFrom('opinions').select(['id', 'tracking_code', 'title', 'handler_body_id', 'handler_user_id'])
    .where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: BulkOutcome[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    // Titles are shown only for opinions this person may see.
    const visible = row && (rightsFrom(a, row).handle || rightsFrom(a, row).supervise);
    const base = { id, code: visible ? row.tracking_code : null, title: visible ? row.title : null };
    try {
      if (action === 'accept') await acceptOpinion(ctx, user, id);
      else await assignOpinion(ctx, user, id, { bodyId: raw.bodyId, memberId: raw.memberId });
      out.push({ ...base, ok: true, message: null });
    } catch (err) {
      if (err instanceof DomainError) out.push({ ...base, ok: false, message: errorText(err) });
      else {
        onUnexpected(err);
        out.push({ ...base, ok: false, message: (t) => t.common.errServer });
      }
    }
  }
  return out;
}

/** Whether this person may export these rows: their own inbox, or bodies they supervise. */
export const mayExport = (a: HandlerAccess, op: { handler_body_id: number; handler_user_id: number | null }): boolean =>
  op.handler_user_id === a.user.id || a.supervise.has(op.handler_body_id);

// ---------------------------------------------------------------------------------------
// Public-sentiment report drafts (社情民意信息): the report links back to its opinions.

export interface ReportView {
  id: number; title: string; body: string; status: 'draft' | 'submitted'; authorName: string; createdAt: string; updatedAt: string;
  canEdit: boolean;
  sources: { id: number; code: string; title: string; status: string; visible: boolean }[];
}

export async function loadReport(db: Executor, a: HandlerAccess, id: number): Promise<ReportView> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError();
  const r = await db.selectFrom('sentiment_reports').innerJoin('users', 'users.id', 'sentiment_reports.author_id')
    .select(['sentiment_reports.id', 'sentiment_reports.author_id', 'sentiment_reports.title', 'sentiment_reports.body', 'sentiment_reports.status',
      'sentiment_reports.created_at', 'sentiment_reports.updated_at', 'users.display_name'])
    .where('sentiment_reports.id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError();
  const sources = await db.selectFrom('sentiment_report_sources').innerJoin('opinions', 'opinions.id', 'sentiment_report_sources.opinion_id')
    .select(['opinions.id', 'opinions.tracking_code', 'opinions.title', 'opinions.status', 'opinions.handler_body_id', 'opinions.handler_user_id'])
    .where('sentiment_report_sources.report_id', '=', id).orderBy('opinions.id').execute();
  const author = r.author_id === a.user.id;
  const visible = sources.map((s) => { const x = rightsFrom(a, s); return x.handle || x.supervise; });
  // The author, an administrator, or someone who supervises one of the voices it came from.
  const supervises = sources.some((s) => rightsFrom(a, s).supervise);
  if (!author && !a.user.isAdmin && !supervises) throw new ForbiddenError();
  return {
    id: r.id, title: r.title, body: r.body, status: r.status, authorName: r.display_name, createdAt: r.created_at, updatedAt: r.updated_at,
    canEdit: author && r.status === 'draft',
    sources: sources.map((s, i) => ({ id: s.id, code: s.tracking_code, title: s.title, status: s.status, visible: visible[i] ?? false })),
  };
}

const reportSpec = {
  title: text({ label: (t) => t.opinionsHandlerDetail.reportTitleField, max: 100, min: 2 }),
  body: text({ label: (t) => t.opinionsHandlerDetail.reportBodyField, max: 20_000, min: 10, multiline: true }),
};

/** The author edits a draft (and may submit it in the same step). */
export async function saveReport(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown, submit: boolean): Promise<void> {
  if (!user) throw new ForbiddenError();
  const v = validate(reportSpec, raw);
  await transaction(ctx.database, async (trx) => {
    const r = await trx.selectFrom('sentiment_reports').select(['author_id', 'status']).where('id', '=', id).executeTakeFirst();
    if (!r) throw new NotFoundError();
    if (r.author_id !== user.id) throw new ForbiddenError();
    if (r.status !== 'draft') throw new ConflictError((t) => t.opinionsHandlerDetail.errReportSubmitted);
    const now = new Date().toISOString();
    await trx.updateTable('sentiment_reports').set({ title: v.title, body: v.body, status: submit ? 'submitted' : 'draft', updated_at: now }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'sentiment_report', streamId: id, action: submit ? 'submitted' : 'edited', actorId: user.id, data: {} });
  });
}

// ---------------------------------------------------------------------------------------
// Per-category clocks and default routing body ('opinion.configure').

export interface CategoryRow { key: string; name: string; nameEn: string; acceptDays: number; replyDays: number; defaultBodyId: number | null; defaultBody: string | null }

export async function listCategories(db: Executor, user: CurrentUser | null): Promise<CategoryRow[]> {
  await requireAdmin(db, user, 'opinion.configure');
  const rows = await db.selectFrom('opinion_categories').leftJoin('bodies', 'bodies.id', 'opinion_categories.default_body_id')
    .select(['opinion_categories.key', 'opinion_categories.name', 'opinion_categories.name_en', 'opinion_categories.accept_days',
      'opinion_categories.reply_days', 'opinion_categories.default_body_id', 'bodies.name as body_name'])
    .orderBy('opinion_categories.sort').orderBy('opinion_categories.key').execute();
  return rows.map((r) => ({
    key: r.key, name: r.name, nameEn: r.name_en, acceptDays: r.accept_days, replyDays: r.reply_days, defaultBodyId: r.default_body_id, defaultBody: r.body_name,
  }));
}

export const categoryFields = (key: string) => ({ accept: `accept-${key}`, reply: `reply-${key}`, body: `body-${key}` });

/** Sets one category's clocks (1–60 working days, reply not before accept) and default body; audited. */
export async function updateCategory(ctx: AppContext, user: CurrentUser | null, key: string, raw: Record<string, unknown>): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'opinion.configure');
  if (!/^[a-z0-9_-]{1,40}$/.test(key)) throw new NotFoundError();
  const f = categoryFields(key);
  const v = validate({
    [f.accept]: int({ label: (t) => t.opinionsHandler.acceptDays, min: 1, max: 60 }),
    [f.reply]: int({ label: (t) => t.opinionsHandler.replyDays, min: 1, max: 60 }),
    [f.body]: int({ label: (t) => t.opinionsHandler.defaultBody, min: 1, required: false }),
  }, raw) as Record<string, number | null>;
  const acceptDays = v[f.accept] as number;
  const replyDays = v[f.reply] as number;
  const bodyId = v[f.body] ?? null;
  if (replyDays < acceptDays) throw new ValidationError([{ field: f.reply, message: (t) => t.opinionsHandler.errReplyBeforeAccept }]);
  await transaction(ctx.database, async (trx) => {
    const before = await trx.selectFrom('opinion_categories').select(['accept_days', 'reply_days', 'default_body_id']).where('key', '=', key).executeTakeFirst();
    if (!before) throw new NotFoundError();
    if (bodyId !== null) {
      const body = await trx.selectFrom('bodies').select('kind').where('id', '=', bodyId).executeTakeFirst();
      if (!body || body.kind === 'department') throw new ValidationError([{ field: f.body, message: (t) => t.opinions.errTargetBody }]);
    }
    if (before.accept_days === acceptDays && before.reply_days === replyDays && before.default_body_id === bodyId) return;
    await trx.updateTable('opinion_categories').set({ accept_days: acceptDays, reply_days: replyDays, default_body_id: bodyId }).where('key', '=', key).execute();
    await appendEvent(trx, {
      streamType: 'opinion_category', streamId: key, action: 'configured', actorId: actor.id,
      data: { before: { acceptDays: before.accept_days, replyDays: before.reply_days, defaultBodyId: before.default_body_id }, after: { acceptDays, replyDays, defaultBodyId: bodyId } },
    });
  });
}
