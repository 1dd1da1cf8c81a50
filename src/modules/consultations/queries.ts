import type { Executor } from '../../db/database.js';
import type { ActionItemStatus, ConsultationForm, ConsultationMode, ConsultationStage, ConsultationTrack, ParticipantKind } from '../../db/schema.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { type ConsultationRow, STREAM } from './access.js';
import { type StepView, timeline } from './model.js';

// Reads behind the public consultation pages. Nothing personal is selected: citizens who
// registered are counted, never named; members and department representatives are named
// (their role is public).

export const LIST_SIZE = 20;

export interface ListFilters { form: ConsultationForm | null; body: number | null; year: number | null; stage: ConsultationStage | null }
export interface Named { id: number; name: string; nameEn: string | null }
export interface ConsultationSummary {
  id: number; title: string; form: ConsultationForm; mode: ConsultationMode; stage: ConsultationStage; track: ConsultationTrack;
  startsAt: string | null; place: string | null; year: number; leadBody: Named;
}

export async function listConsultations(db: Executor, f: ListFilters, page: number): Promise<{ total: number; items: ConsultationSummary[] }> {
  let q = db.selectFrom('consultations').where('consultations.is_public', '=', 1);
  if (f.form) q = q.where('consultations.form', '=', f.form);
  if (f.year) q = q.where('consultations.year', '=', f.year);
  if (f.stage) q = q.where('consultations.stage', '=', f.stage);
  if (f.body) {
    const body = f.body;
    q = q.where('consultations.id', 'in', (eb) => eb.selectFrom('consultation_bodies').select('consultation_id').where('body_id', '=', body));
  }
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.innerJoin('bodies', 'bodies.id', 'consultations.lead_body_id')
      .select(['consultations.id', 'consultations.title', 'consultations.form', 'consultations.mode', 'consultations.stage', 'consultations.track',
        'consultations.starts_at', 'consultations.place', 'consultations.year', 'bodies.id as body_id', 'bodies.name as body_name', 'bodies.name_en as body_name_en'])
      .orderBy('consultations.sort_at', 'desc').orderBy('consultations.id', 'desc').limit(LIST_SIZE).offset((page - 1) * LIST_SIZE).execute(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: r.id, title: r.title, form: r.form, mode: r.mode, stage: r.stage, track: r.track, startsAt: r.starts_at, place: r.place, year: r.year,
      leadBody: { id: r.body_id, name: r.body_name, nameEn: r.body_name_en },
    })),
  };
}

export interface ListOptions { bodies: Named[]; years: number[] }

/** Filter choices: the bodies that hold public consultations and the years they fall in. */
export async function listOptions(db: Executor): Promise<ListOptions> {
  const [bodies, years] = await Promise.all([
    db.selectFrom('bodies').select(['id', 'name', 'name_en'])
      .where('id', 'in', (eb) => eb.selectFrom('consultation_bodies').innerJoin('consultations', 'consultations.id', 'consultation_bodies.consultation_id')
        .select('consultation_bodies.body_id').where('consultations.is_public', '=', 1))
      .orderBy('sort').orderBy('id').execute(),
    db.selectFrom('consultations').select('year').distinct().where('is_public', '=', 1).orderBy('year', 'desc').execute(),
  ]);
  return { bodies: bodies.map((b) => ({ id: b.id, name: b.name, nameEn: b.name_en })), years: years.map((y) => y.year) };
}

export interface ParticipantView { id: number; kind: ParticipantKind; name: string; title: string | null; body: Named | null; userId: number | null; attendedAt: string | null }
export interface RecommendationView {
  id: number; number: number; text: string; department: Named; dueDays: number; dueOn: string | null; actionItemId: number | null;
  status: ActionItemStatus | null; overdue: boolean; answer: string | null; answeredAt: string | null; doneAt: string | null;
  updates: Array<{ kind: 'progress' | 'answer' | 'done'; body: string; createdAt: string }>;
}
export interface ConsultationDetail {
  c: ConsultationRow; bodies: Array<Named & { role: 'lead' | 'joint' }>; participants: ParticipantView[];
  topic: { id: number; title: string; callId: number | null; createdAt: string } | null;
  planItem: { id: number; year: number; quarter: number; createdAt: string } | null;
  outcome: { minutesHtml: string; reportHtml: string; status: 'draft' | 'published'; publishedAt: string | null; minutesMd: string; reportMd: string } | null;
  recommendations: RecommendationView[];
  research: Array<{ id: number; title: string; summary: string; place: string | null; visitedOn: string | null }>;
  materials: Array<{ id: number; title: string; filename: string; size: number; isPublic: boolean }>;
  waitlisted: number; checkedIn: number; steps: StepView[];
}

export async function consultationDetail(db: Executor, c: ConsultationRow): Promise<ConsultationDetail> {
  const id = c.id;
  const [bodies, participants, topic, planItem, outcome, recs, research, materials, counts, stages] = await Promise.all([
    db.selectFrom('consultation_bodies').innerJoin('bodies', 'bodies.id', 'consultation_bodies.body_id')
      .select(['bodies.id', 'bodies.name', 'bodies.name_en', 'consultation_bodies.role']).where('consultation_id', '=', id)
      .orderBy('consultation_bodies.role', 'desc').orderBy('bodies.sort').execute(),
    db.selectFrom('consultation_participants').leftJoin('bodies', 'bodies.id', 'consultation_participants.body_id')
      .select(['consultation_participants.id', 'consultation_participants.kind', 'consultation_participants.name', 'consultation_participants.title', 'user_id', 'attended_at', 'bodies.id as body_id', 'bodies.name as body_name', 'bodies.name_en as body_name_en'])
      .where('consultation_id', '=', id).orderBy('consultation_participants.id').execute(),
    c.topic_id === null ? undefined : db.selectFrom('consultation_topics').select(['id', 'title', 'call_id', 'created_at']).where('id', '=', c.topic_id).executeTakeFirst(),
    c.plan_item_id === null ? undefined : db.selectFrom('plan_items').innerJoin('consultation_plans', 'consultation_plans.id', 'plan_items.plan_id')
      .select(['plan_items.id', 'consultation_plans.year', 'plan_items.quarter', 'plan_items.created_at']).where('plan_items.id', '=', c.plan_item_id).executeTakeFirst(),
    db.selectFrom('consultation_outcomes').selectAll().where('consultation_id', '=', id).executeTakeFirst(),
    db.selectFrom('consultation_recommendations').innerJoin('bodies', 'bodies.id', 'consultation_recommendations.department_id')
      .leftJoin('action_items', 'action_items.id', 'consultation_recommendations.action_item_id')
      .select(['consultation_recommendations.id', 'number', 'text', 'due_days', 'consultation_recommendations.due_on', 'action_item_id',
        'bodies.id as dept_id', 'bodies.name as dept_name', 'bodies.name_en as dept_name_en',
        'action_items.status', 'action_items.answer', 'action_items.answered_at', 'action_items.done_at', 'action_items.due_on as item_due_on'])
      .where('consultation_recommendations.consultation_id', '=', id).orderBy('number').execute(),
    db.selectFrom('field_research').select(['id', 'title', 'summary', 'place', 'visited_on']).where('consultation_id', '=', id).orderBy('visited_on').orderBy('id').limit(50).execute(),
    db.selectFrom('consultation_materials').select(['id', 'title', 'filename', 'size', 'is_public']).where('consultation_id', '=', id).orderBy('id').limit(100).execute(),
    db.selectFrom('consultation_registrations').select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('checked_in_at').as('checked')])
      .where('consultation_id', '=', id).groupBy('status').execute(),
    db.selectFrom('audit_events').select(['action', 'data', 'created_at'])
      .where('stream_type', '=', STREAM).where('stream_id', '=', String(id)).where('action', 'in', ['created', 'stage']).orderBy('id').execute(),
  ]);
  const itemIds = recs.map((r) => r.action_item_id).filter((x): x is number => x !== null);
  const updates = itemIds.length
    ? await db.selectFrom('action_item_updates').select(['action_item_id', 'kind', 'body', 'created_at']).where('action_item_id', 'in', itemIds).orderBy('id').execute()
    : [];
  const enteredAt: Partial<Record<ConsultationStage, string>> = {};
  for (const e of stages) {
    const to = e.action === 'created' ? null : (JSON.parse(e.data) as { to?: ConsultationStage }).to;
    if (e.action === 'created') enteredAt[c.track === 'community' ? 'topic' : 'preparation'] = e.created_at;
    else if (to) enteredAt[to] = e.created_at;
  }
  const today = chinaDate(new Date());
  const countOf = (s: string) => counts.find((r) => r.status === s);
  return {
    c,
    bodies: bodies.map((b) => ({ id: b.id, name: b.name, nameEn: b.name_en, role: b.role })),
    participants: participants.map((p) => ({
      id: p.id, kind: p.kind, name: p.name, title: p.title, userId: p.user_id, attendedAt: p.attended_at,
      body: p.body_id === null ? null : { id: p.body_id, name: p.body_name ?? '', nameEn: p.body_name_en ?? null },
    })),
    topic: topic ? { id: topic.id, title: topic.title, callId: topic.call_id, createdAt: topic.created_at } : null,
    planItem: planItem ? { id: planItem.id, year: planItem.year, quarter: planItem.quarter, createdAt: planItem.created_at } : null,
    outcome: outcome ? { minutesHtml: outcome.minutes_html, reportHtml: outcome.report_html, status: outcome.status, publishedAt: outcome.published_at, minutesMd: outcome.minutes_md, reportMd: outcome.report_md } : null,
    recommendations: recs.map((r) => ({
      id: r.id, number: r.number, text: r.text, department: { id: r.dept_id, name: r.dept_name, nameEn: r.dept_name_en }, dueDays: r.due_days,
      dueOn: r.item_due_on ?? r.due_on, actionItemId: r.action_item_id, status: r.status ?? null,
      overdue: r.status !== null && r.status !== 'done' && (r.item_due_on ?? r.due_on ?? '9999') < today,
      answer: r.answer ?? null, answeredAt: r.answered_at ?? null, doneAt: r.done_at ?? null,
      updates: updates.filter((u) => u.action_item_id === r.action_item_id).map((u) => ({ kind: u.kind, body: u.body, createdAt: u.created_at })),
    })),
    research: research.map((r) => ({ id: r.id, title: r.title, summary: r.summary, place: r.place, visitedOn: r.visited_on })),
    materials: materials.map((m) => ({ id: m.id, title: m.title, filename: m.filename, size: m.size, isPublic: m.is_public === 1 })),
    waitlisted: Number(countOf('waitlisted')?.n ?? 0),
    checkedIn: Number(countOf('confirmed')?.checked ?? 0),
    steps: timeline({
      track: c.track, stage: c.stage, solicited: Boolean(topic?.call_id), planned: Boolean(planItem), enteredAt,
      solicitedAt: topic?.created_at ?? null, plannedAt: planItem?.created_at ?? null,
      items: { total: itemIds.length, open: recs.filter((r) => r.action_item_id !== null && r.status !== 'done').length },
    }),
  };
}
