import type { Executor } from '../../db/database.js';
import type { EscalationsTable } from '../../db/schema.js';
import { actionLink } from '../opinions/notices.js';
import type { Named } from './queries.js';

// Reads behind the escalation pages: the receiver's inbox, the council's list, one
// escalation, those of a consultation (public) and of a liaison's communities.

export const ESCALATIONS_SIZE = 30;
export type EscalationStatus = EscalationsTable['status'];
export type ResultType = NonNullable<EscalationsTable['result_type']>;
export const ESCALATION_STATUSES: readonly EscalationStatus[] = ['sent', 'accepted', 'declined', 'resolved'];

export interface ResultView { type: ResultType; id: number; label: string; href: string | null }
export interface EscalationItem {
  id: number; title: string; body: string; status: EscalationStatus; response: string | null; createdAt: string; respondedAt: string | null;
  from: Named & { region: Named | null }; to: Named; consultation: { id: number; title: string; isPublic: boolean } | null;
  topic: { id: number; title: string } | null; result: ResultView | null;
}

type Filter = { to?: number[]; from?: number[]; consultation?: number; status?: EscalationStatus | null; id?: number };

function base(db: Executor, f: Filter) {
  let q = db.selectFrom('escalations');
  if (f.to) q = q.where('escalations.to_body_id', 'in', f.to.length ? f.to : [0]);
  if (f.from) q = q.where('escalations.from_body_id', 'in', f.from.length ? f.from : [0]);
  if (f.consultation !== undefined) q = q.where('escalations.consultation_id', '=', f.consultation);
  if (f.status) q = q.where('escalations.status', '=', f.status);
  if (f.id !== undefined) q = q.where('escalations.id', '=', f.id);
  return q;
}

async function rows(db: Executor, f: Filter, limit: number, offset: number, audience: 'public' | 'organiser'): Promise<EscalationItem[]> {
  const list = await base(db, f)
    .innerJoin('bodies as fb', 'fb.id', 'escalations.from_body_id').innerJoin('bodies as tb', 'tb.id', 'escalations.to_body_id')
    .leftJoin('regions', 'regions.id', 'fb.region_id').leftJoin('consultations', 'consultations.id', 'escalations.consultation_id')
    .leftJoin('consultation_topics as st', 'st.id', 'escalations.topic_id')
    .select([
      'escalations.id', 'escalations.title', 'escalations.body', 'escalations.status', 'escalations.response', 'escalations.created_at', 'escalations.responded_at',
      'escalations.result_type', 'escalations.result_id', 'fb.id as from_id', 'fb.name as from_name', 'fb.name_en as from_name_en',
      'regions.id as region_id', 'regions.name as region_name', 'regions.name_en as region_name_en',
      'tb.id as to_id', 'tb.name as to_name', 'tb.name_en as to_name_en', 'consultations.id as c_id', 'consultations.title as c_title', 'consultations.is_public as c_public', 'st.id as t_id', 'st.title as t_title',
    ])
    .orderBy('escalations.created_at', 'desc').orderBy('escalations.id', 'desc').limit(limit).offset(offset).execute();
  const results = await resultViews(db, list.map((r) => ({ type: r.result_type, id: r.result_id })), audience);
  return list.map((r) => ({
    id: r.id, title: r.title, body: r.body, status: r.status, response: r.response, createdAt: r.created_at, respondedAt: r.responded_at,
    from: { id: r.from_id, name: r.from_name, nameEn: r.from_name_en, region: r.region_id === null ? null : { id: r.region_id, name: r.region_name ?? '', nameEn: r.region_name_en ?? null } },
    to: { id: r.to_id, name: r.to_name, nameEn: r.to_name_en },
    consultation: r.c_id === null ? null : { id: r.c_id, title: r.c_title ?? '', isPublic: r.c_public === 1 },
    topic: r.t_id === null ? null : { id: r.t_id, title: r.t_title ?? '' },
    result: r.result_type && r.result_id !== null ? results.get(`${r.result_type}:${r.result_id}`) ?? null : null,
  }));
}

/**
 * Labels and links of what escalations became, one query per kind of result. The public
 * sees links only to what is itself public; organisers also get their own pages.
 */
async function resultViews(db: Executor, refs: Array<{ type: ResultType | null; id: number | null }>, audience: 'public' | 'organiser'): Promise<Map<string, ResultView>> {
  const ids = (type: ResultType) => [...new Set(refs.filter((r) => r.type === type && r.id !== null).map((r) => r.id as number))];
  const [topics, consultations, items, actions] = await Promise.all([
    ids('topic').length ? db.selectFrom('consultation_topics').leftJoin('topic_calls', 'topic_calls.id', 'consultation_topics.call_id')
      .select(['consultation_topics.id', 'consultation_topics.title', 'consultation_topics.status', 'topic_calls.published']).where('consultation_topics.id', 'in', ids('topic')).execute() : [],
    ids('consultation').length ? db.selectFrom('consultations').select(['id', 'title', 'is_public']).where('id', 'in', ids('consultation')).execute() : [],
    ids('plan_item').length ? db.selectFrom('plan_items').innerJoin('consultation_plans', 'consultation_plans.id', 'plan_items.plan_id')
      .select(['plan_items.id', 'plan_items.title', 'consultation_plans.year', 'consultation_plans.status']).where('plan_items.id', 'in', ids('plan_item')).execute() : [],
    ids('action_item').length ? db.selectFrom('action_items').select(['id', 'title']).where('id', 'in', ids('action_item')).execute() : [],
  ]);
  const out = new Map<string, ResultView>();
  const put = (v: ResultView) => out.set(`${v.type}:${v.id}`, v);
  const org = audience === 'organiser';
  for (const r of topics) put({ type: 'topic', id: r.id, label: r.title, href: r.status !== 'hidden' && r.published === 1 ? `/consultations/topics/${r.id}` : null });
  for (const r of consultations) put({ type: 'consultation', id: r.id, label: r.title, href: r.is_public === 1 ? `/consultations/${r.id}` : org ? `/admin/consultations/${r.id}` : null });
  for (const r of items) put({ type: 'plan_item', id: r.id, label: r.title, href: r.status === 'published' ? `/consultations/plans/${r.year}` : null });
  for (const r of actions) put({ type: 'action_item', id: r.id, label: r.title, href: org ? actionLink(r.id) : null });
  return out;
}

async function page(db: Executor, f: Filter, pageNo: number, audience: 'public' | 'organiser' = 'organiser') {
  const [count, items] = await Promise.all([
    base(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    rows(db, f, ESCALATIONS_SIZE, (pageNo - 1) * ESCALATIONS_SIZE, audience),
  ]);
  const total = Number(count.n);
  return { total, items, page: pageNo, pages: Math.max(1, Math.ceil(total / ESCALATIONS_SIZE)) };
}

export const inbox = (db: Executor, bodyIds: number[], status: EscalationStatus | null, p: number) => page(db, { to: bodyIds, status }, p);
export const sent = (db: Executor, bodyIds: number[], p: number) => page(db, { from: bodyIds }, p);
export const ofCommunities = (db: Executor, councilIds: number[], p: number) => page(db, { from: councilIds }, p, 'public');

export async function escalationItem(db: Executor, id: number): Promise<EscalationItem | null> {
  return (await rows(db, { id }, 1, 0, 'organiser'))[0] ?? null;
}

/** Shown on the consultation's public page. */
export const ofConsultation = (db: Executor, consultationId: number): Promise<EscalationItem[]> => rows(db, { consultation: consultationId }, 20, 0, 'public');
