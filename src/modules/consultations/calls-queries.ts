import type { Executor } from '../../db/database.js';
import type { ConsultationForm, ConsultationStage, ProposerKind, TopicStatus } from '../../db/schema.js';
import type { TopicCallRow } from './access.js';
import type { Named } from './queries.js';

// Reads behind topic calls and annual plans. Topics are listed in the order they came in,
// each with its support count; proposers are shown by role (citizen, member), never by name.

export const CALLS_SIZE = 20;
export const TOPICS_SIZE = 50;
export const COMMENTS_SIZE = 50;

export async function listPublicCalls(db: Executor, page: number): Promise<{ total: number; items: Array<TopicCallRow & { body_name: string; body_name_en: string | null; topics: number }> }> {
  const base = db.selectFrom('topic_calls').where('published', '=', 1);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.innerJoin('bodies', 'bodies.id', 'topic_calls.body_id').selectAll('topic_calls').select(['bodies.name as body_name', 'bodies.name_en as body_name_en'])
      .select((eb) => eb.selectFrom('consultation_topics').select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('consultation_topics.call_id', '=', 'topic_calls.id').where('consultation_topics.status', '!=', 'hidden').as('topics'))
      .orderBy('topic_calls.opens_on', 'desc').orderBy('topic_calls.id', 'desc').limit(CALLS_SIZE).offset((page - 1) * CALLS_SIZE).execute(),
  ]);
  return { total: Number(count.n), items: rows.map((r) => ({ ...r, topics: Number(r.topics ?? 0) })) };
}

export interface TopicSummary {
  id: number; title: string; reason: string; proposerKind: ProposerKind; status: TopicStatus; staffNote: string | null;
  supports: number; comments: number; createdAt: string;
}

const topicColumns = ['id', 'title', 'reason', 'proposer_kind', 'status', 'staff_note', 'support_count', 'comment_count', 'created_at'] as const;
const toSummary = (r: { id: number; title: string; reason: string; proposer_kind: ProposerKind; status: TopicStatus; staff_note: string | null; support_count: number; comment_count: number; created_at: string }): TopicSummary => ({
  id: r.id, title: r.title, reason: r.reason, proposerKind: r.proposer_kind, status: r.status, staffNote: r.staff_note,
  supports: r.support_count, comments: r.comment_count, createdAt: r.created_at,
});

/** A call's topics, oldest first; hidden ones only for its managers. `bySupport` is the staff view. */
export async function callTopics(db: Executor, callId: number, page: number, o: { includeHidden?: boolean; bySupport?: boolean } = {}): Promise<{ total: number; items: TopicSummary[] }> {
  let base = db.selectFrom('consultation_topics').where('call_id', '=', callId);
  if (!o.includeHidden) base = base.where('status', '!=', 'hidden');
  let q = base.select([...topicColumns]);
  q = o.bySupport ? q.orderBy('support_count', 'desc').orderBy('id') : q.orderBy('id');
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.limit(TOPICS_SIZE).offset((page - 1) * TOPICS_SIZE).execute(),
  ]);
  return { total: Number(count.n), items: rows.map(toSummary) };
}

export interface TopicDetail {
  topic: TopicSummary & { callId: number | null; bodyId: number };
  call: TopicCallRow | null;
  comments: Array<{ id: number; body: string; createdAt: string }>;
  commentTotal: number;
  planItems: Array<{ id: number; year: number; quarter: number; form: ConsultationForm }>;
  consultations: Array<{ id: number; title: string; stage: ConsultationStage }>;
}

export async function topicDetail(db: Executor, id: number, page: number): Promise<TopicDetail | null> {
  const t = await db.selectFrom('consultation_topics').select([...topicColumns, 'call_id', 'body_id']).where('id', '=', id).executeTakeFirst();
  if (!t) return null;
  const [call, count, comments, planItems, consultations] = await Promise.all([
    t.call_id === null ? undefined : db.selectFrom('topic_calls').selectAll().where('id', '=', t.call_id).executeTakeFirst(),
    db.selectFrom('topic_comments').select((eb) => eb.fn.countAll<number>().as('n')).where('topic_id', '=', id).where('status', '=', 'visible').executeTakeFirstOrThrow(),
    db.selectFrom('topic_comments').select(['id', 'body', 'created_at']).where('topic_id', '=', id).where('status', '=', 'visible')
      .orderBy('id').limit(COMMENTS_SIZE).offset((page - 1) * COMMENTS_SIZE).execute(),
    db.selectFrom('plan_items').innerJoin('consultation_plans', 'consultation_plans.id', 'plan_items.plan_id')
      .select(['plan_items.id', 'consultation_plans.year', 'plan_items.quarter', 'plan_items.form'])
      .where('plan_items.topic_id', '=', id).where('consultation_plans.status', '=', 'published').execute(),
    db.selectFrom('consultations').select(['id', 'title', 'stage']).where('topic_id', '=', id).where('is_public', '=', 1).execute(),
  ]);
  return {
    topic: { ...toSummary(t), callId: t.call_id, bodyId: t.body_id }, call: call ?? null, commentTotal: Number(count.n),
    comments: comments.map((c) => ({ id: c.id, body: c.body, createdAt: c.created_at })), planItems, consultations,
  };
}

export async function hasSupported(db: Executor, topicId: number, userId: number): Promise<boolean> {
  return Boolean(await db.selectFrom('topic_supports').select('topic_id').where('topic_id', '=', topicId).where('user_id', '=', userId).executeTakeFirst());
}

export interface PlanItemView {
  id: number; title: string; description: string; form: ConsultationForm; quarter: number; leadBody: Named; topicId: number | null; updatedAt: string;
  consultations: Array<{ id: number; title: string; startsAt: string | null; stage: ConsultationStage }>;
}
export interface PlanView { id: number; title: string; intro: string; year: number; body: Named; publishedAt: string | null; updatedAt: string; items: PlanItemView[] }

/** The published plans of a year (or one plan, published or not, for its editor), items by quarter. */
export async function plansOf(db: Executor, by: { year: number } | { planId: number }): Promise<PlanView[]> {
  let pq = db.selectFrom('consultation_plans').innerJoin('bodies', 'bodies.id', 'consultation_plans.body_id')
    .select(['consultation_plans.id', 'consultation_plans.title', 'consultation_plans.intro', 'consultation_plans.year', 'consultation_plans.published_at', 'consultation_plans.updated_at', 'bodies.id as body_id', 'bodies.name as body_name', 'bodies.name_en as body_name_en']);
  pq = 'year' in by ? pq.where('year', '=', by.year).where('status', '=', 'published') : pq.where('consultation_plans.id', '=', by.planId);
  const plans = await pq.orderBy('bodies.sort').orderBy('bodies.id').execute();
  if (!plans.length) return [];
  const planIds = plans.map((p) => p.id);
  const items = await db.selectFrom('plan_items').innerJoin('bodies', 'bodies.id', 'plan_items.lead_body_id')
    .select(['plan_items.id', 'plan_items.plan_id', 'plan_items.title', 'plan_items.description', 'plan_items.form', 'plan_items.quarter', 'plan_items.topic_id', 'plan_items.updated_at', 'bodies.id as body_id', 'bodies.name as body_name', 'bodies.name_en as body_name_en'])
    .where('plan_id', 'in', planIds).orderBy('quarter').orderBy('plan_items.sort').orderBy('plan_items.id').execute();
  const itemIds = items.map((i) => i.id);
  const cons = itemIds.length
    ? await db.selectFrom('consultations').select(['id', 'title', 'starts_at', 'stage', 'plan_item_id'])
      .where('plan_item_id', 'in', itemIds).where('is_public', '=', 1).orderBy('sort_at').execute()
    : [];
  return plans.map((p) => ({
    id: p.id, title: p.title, intro: p.intro, year: p.year, publishedAt: p.published_at, updatedAt: p.updated_at,
    body: { id: p.body_id, name: p.body_name, nameEn: p.body_name_en },
    items: items.filter((i) => i.plan_id === p.id).map((i) => ({
      id: i.id, title: i.title, description: i.description, form: i.form, quarter: i.quarter, topicId: i.topic_id, updatedAt: i.updated_at,
      leadBody: { id: i.body_id, name: i.body_name, nameEn: i.body_name_en },
      consultations: cons.filter((c) => c.plan_item_id === i.id).map((c) => ({ id: c.id, title: c.title, startsAt: c.starts_at, stage: c.stage })),
    })),
  }));
}

export async function planYears(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('consultation_plans').select('year').distinct().where('status', '=', 'published').orderBy('year', 'desc').execute();
  return rows.map((r) => r.year);
}

/** Public consultations of a year that have a date: the calendar's meetings. */
export async function datedConsultations(db: Executor, year: number) {
  return db.selectFrom('consultations').select(['id', 'title', 'summary', 'form', 'starts_at', 'ends_at', 'place', 'online_url', 'created_at', 'updated_at'])
    .where('year', '=', year).where('is_public', '=', 1).where('starts_at', 'is not', null).orderBy('starts_at').limit(1000).execute();
}
