import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { ConsultationPlansTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { ConflictError, type FieldIssue, NotFoundError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { checkbox, choice, int, text, validate } from '../../platform/validation.js';
import { assertManageAny, assertOrganiser, validId } from './access.js';
import { TOPIC_STREAM, loadTopic } from './calls-service.js';
import { FORMS } from './model.js';

// 年度协商计划: one plan per body and year, public once published; its items (a topic, a
// form, a lead body, a quarter) come from the topics a call collected or are written directly.

export type PlanRow = Selectable<ConsultationPlansTable>;

export async function loadPlan(db: Executor, id: number): Promise<PlanRow> {
  if (!validId(id)) throw new NotFoundError();
  const row = await db.selectFrom('consultation_plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

const planSpec = {
  bodyId: int({ label: (t) => t.consultations.fBody, min: 1 }),
  year: int({ label: (t) => t.consultations.fYear, min: 2000, max: 2100 }),
  title: text({ label: (t) => t.consultations.fPlanTitle, max: 100, min: 4 }),
  intro: text({ label: (t) => t.consultations.fPlanIntro, max: 5000, required: false, multiline: true }),
  published: checkbox({ label: (t) => t.consultations.fPlanPublished }),
};

/** Creates (id null) or edits a plan; a body has one plan a year (a second is a conflict). */
export async function savePlan(ctx: AppContext, user: CurrentUser | null, id: number | null, raw: unknown): Promise<number> {
  await assertOrganiser(ctx.database.db, user);
  const v = validate(planSpec, raw);
  const db = ctx.database.db;
  const existing = id === null ? null : await loadPlan(db, id);
  const actor = await assertManageAny(db, user, [v.bodyId]);
  if (existing) await assertManageAny(db, user, [existing.body_id]);
  if (existing && existing.year !== v.year) {
    // The plan's meetings are held in its year (planYearIssues); moving the plan to another
    // year would take them out of it. An item still without a meeting moves with the plan.
    const held = await db.selectFrom('consultations').innerJoin('plan_items', 'plan_items.id', 'consultations.plan_item_id')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('plan_items.plan_id', '=', existing.id).executeTakeFirstOrThrow();
    if (Number(held.n) > 0) throw new ValidationError([{ field: 'year', message: (t) => t.consultations.errPlanYearHeld(existing.year) }]);
  }
  const clash = await db.selectFrom('consultation_plans').select('id').where('body_id', '=', v.bodyId).where('year', '=', v.year).executeTakeFirst();
  if (clash && clash.id !== existing?.id) throw new ConflictError((t) => t.consultations.errPlanExists(v.year));
  const now = new Date().toISOString();
  const status = v.published ? 'published' as const : 'draft' as const;
  const values = {
    body_id: v.bodyId, year: v.year, title: v.title, intro: v.intro ?? '', status, updated_at: now,
    published_at: v.published ? (existing?.published_at ?? now) : null,
  };
  const planId = await transaction(ctx.database, async (trx) => {
    const pid = existing
      ? (await trx.updateTable('consultation_plans').set(values).where('id', '=', existing.id).execute(), existing.id)
      : (await trx.insertInto('consultation_plans').values({ ...values, created_by: actor.id, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    await appendEvent(trx, { streamType: 'consultation_plan', streamId: pid, action: existing ? 'updated' : 'created', actorId: actor.id, data: { year: v.year, status } });
    return pid;
  });
  ctx.pageCache.invalidate();
  return planId;
}

const itemSpec = {
  itemTitle: text({ label: (t) => t.consultations.fItemTitle, max: 100, min: 4 }),
  itemDescription: text({ label: (t) => t.consultations.fItemDescription, max: 2000, required: false, multiline: true }),
  form: choice({ label: (t) => t.consultations.fForm, values: FORMS }),
  leadBodyId: int({ label: (t) => t.consultations.fLeadBody, min: 1 }),
  quarter: int({ label: (t) => t.consultations.fQuarter, min: 1, max: 4 }),
};

/** A plan item or consultation is led by a body of the committee's side, never a department. */
export async function leadBodyOrFail(db: Executor, id: number, field = 'leadBodyId'): Promise<void> {
  const b = await db.selectFrom('bodies').select('kind').where('id', '=', id).executeTakeFirst();
  if (!b || b.kind === 'department') throw new ValidationError([{ field, message: (t) => t.consultations.errLeadBody }]);
}

/**
 * A plan item belongs to its plan's year: the consultation that carries it out is held in that
 * year (its date, in China time, and its year), so the plan page, the year's list and the
 * year's calendar (planCalendar) all show it in the same place. A date in another year is
 * refused rather than silently moving the item out of its plan's calendar.
 */
export function planYearIssues(planYear: number, v: { year: number | null; startsAt: string | null }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const yearOf = (at: string) => Number(chinaDate(at).slice(0, 4));
  if (v.startsAt && yearOf(v.startsAt) !== planYear) issues.push({ field: 'startsAt', message: (t) => t.consultations.errPlanYearDate(planYear) });
  if (v.year !== null && v.year !== planYear) issues.push({ field: 'year', message: (t) => t.consultations.errPlanYearYear(planYear) });
  return issues;
}

export async function addPlanItem(ctx: AppContext, user: CurrentUser | null, planId: number, raw: unknown, topicId: number | null = null): Promise<number> {
  const db = ctx.database.db;
  const plan = await loadPlan(db, planId);
  const actor = await assertManageAny(db, user, [plan.body_id]);
  const v = validate(itemSpec, raw);
  await leadBodyOrFail(db, v.leadBodyId);
  const now = new Date().toISOString();
  const id = await transaction(ctx.database, async (trx) => {
    const last = await trx.selectFrom('plan_items').select((eb) => eb.fn.max<number>('sort').as('m')).where('plan_id', '=', planId).executeTakeFirst();
    const row = await trx.insertInto('plan_items').values({
      plan_id: planId, topic_id: topicId, title: v.itemTitle, description: v.itemDescription ?? '', form: v.form, lead_body_id: v.leadBodyId,
      quarter: v.quarter, sort: Number(last?.m ?? 0) + 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    if (topicId !== null) {
      await trx.updateTable('consultation_topics').set({ status: 'selected', updated_at: now }).where('id', '=', topicId).execute();
      await appendEvent(trx, { streamType: TOPIC_STREAM, streamId: topicId, action: 'selected', actorId: actor.id, data: { planId, planItemId: row.id } });
    }
    await appendEvent(trx, { streamType: 'consultation_plan', streamId: planId, action: 'item_added', actorId: actor.id, data: { planItemId: row.id, topicId, form: v.form, quarter: v.quarter } });
    return row.id;
  });
  ctx.pageCache.invalidate();
  return id;
}

/**
 * Staff select a proposed topic into a plan: the item takes the topic's title and reason
 * unless others are given, and the topic shows "selected" on the call's page.
 */
export async function selectTopic(ctx: AppContext, user: CurrentUser | null, topicId: number, raw: unknown): Promise<number> {
  const db = ctx.database.db;
  const topic = await loadTopic(db, topicId);
  await assertManageAny(db, user, [topic.body_id]);
  if (topic.status === 'selected') throw new ConflictError((t) => t.consultations.errTopicSelected);
  if (topic.status === 'hidden') throw new NotFoundError();
  const v = validate({ planId: int({ label: (t) => t.consultations.fPlan, min: 1 }) }, raw);
  const src = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const full = await db.selectFrom('consultation_topics').select(['title', 'reason']).where('id', '=', topicId).executeTakeFirstOrThrow();
  return addPlanItem(ctx, user, v.planId, { ...src, itemTitle: src.itemTitle || full.title, itemDescription: src.itemDescription || full.reason }, topicId);
}

export async function removePlanItem(ctx: AppContext, user: CurrentUser | null, itemId: number): Promise<number> {
  const db = ctx.database.db;
  if (!validId(itemId)) throw new NotFoundError();
  const item = await db.selectFrom('plan_items').select(['id', 'plan_id', 'topic_id']).where('id', '=', itemId).executeTakeFirst();
  if (!item) throw new NotFoundError();
  const plan = await loadPlan(db, item.plan_id);
  const actor = await assertManageAny(db, user, [plan.body_id]);
  const used = await db.selectFrom('consultations').select('id').where('plan_item_id', '=', itemId).executeTakeFirst();
  if (used) throw new ConflictError((t) => t.consultations.errItemScheduled);
  await transaction(ctx.database, async (trx) => {
    await trx.deleteFrom('plan_items').where('id', '=', itemId).execute();
    if (item.topic_id !== null) {
      await trx.updateTable('consultation_topics').set({ status: 'proposed', updated_at: new Date().toISOString() }).where('id', '=', item.topic_id).execute();
      await appendEvent(trx, { streamType: TOPIC_STREAM, streamId: item.topic_id, action: 'unselected', actorId: actor.id, data: { planId: plan.id } });
    }
    await appendEvent(trx, { streamType: 'consultation_plan', streamId: plan.id, action: 'item_removed', actorId: actor.id, data: { planItemId: itemId } });
  });
  ctx.pageCache.invalidate();
  return plan.id;
}
