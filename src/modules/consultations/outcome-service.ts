import type { AppContext } from '../../context.js';
import { transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { addWorkingDays } from '../../platform/calendar/index.js';
import { ConflictError, type FieldIssue, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { cleanText, int, text, validate } from '../../platform/validation.js';
import { createActionItem, registerActionSource } from '../actions/service.js';
import { renderMarkdown } from '../content/shared/markdown.js';
import { STREAM, managedConsultation } from './access.js';
import { consultationLink, setStage } from './consultations-service.js';
import { isAtOrAfter } from './model.js';
import { notifyUsers, organisers } from './notices.js';
import { indexConsultation } from './search-index.js';

// 协商成果: staff write the minutes and the outcome report with numbered recommendations,
// each addressed to a responsible department with a time in working days. Publishing makes
// every recommendation an action item (the platform's one model for "someone must do
// something by a date"); the departments' progress, answers and completion come back here
// through the 'recommendation' action source and show on the consultation's page.

export const MAX_RECOMMENDATIONS = 30;
export const recommendationLink = (id: number): string => `/consultations/recommendations/${id}`;

export interface RecommendationInput { number: number; text: string; departmentId: number; dueDays: number }

const outcomeSpec = {
  minutes: text({ label: (t) => t.consultations.fMinutes, max: 50_000, required: false, multiline: true }),
  report: text({ label: (t) => t.consultations.fReport, max: 50_000, required: false, multiline: true }),
};
const recText = text({ label: (t) => t.consultations.fRecommendation, max: 2000, min: 4, multiline: true });
const recDays = int({ label: (t) => t.consultations.fDueDays, min: 1, max: 365 });
const recDept = int({ label: (t) => t.consultations.fDepartment, min: 1 });

/** Rows `text_N`, `department_N`, `days_N`; blank rows are skipped, the rest numbered in order. */
export function parseRecommendations(raw: Record<string, unknown>): { recs: RecommendationInput[]; issues: FieldIssue[] } {
  const recs: RecommendationInput[] = [];
  const issues: FieldIssue[] = [];
  for (let i = 1; i <= MAX_RECOMMENDATIONS; i++) {
    const [tx, dp, dy] = [raw[`text_${i}`], raw[`department_${i}`], raw[`days_${i}`]];
    if (!cleanText(tx) && !cleanText(dp) && !cleanText(dy)) continue;
    const t = recText.parse(tx);
    const d = recDept.parse(dp);
    const n = recDays.parse(dy);
    if (!t.ok) issues.push({ field: `text_${i}`, message: t.message });
    if (!d.ok) issues.push({ field: `department_${i}`, message: d.message });
    if (!n.ok) issues.push({ field: `days_${i}`, message: n.message });
    if (t.ok && d.ok && n.ok) recs.push({ number: recs.length + 1, text: t.value, departmentId: d.value, dueDays: n.value });
  }
  return { recs, issues };
}

export async function saveOutcome(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const db = ctx.database.db;
  const { user: actor } = await managedConsultation(db, user, id);
  const existing = await db.selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', id).executeTakeFirst();
  if (existing?.status === 'published') throw new ConflictError((t) => t.consultations.errOutcomePublished);
  const src = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  let v: { minutes: string | null; report: string | null } = { minutes: null, report: null };
  const issues: FieldIssue[] = [];
  try { v = validate(outcomeSpec, src); } catch (err) { if (err instanceof ValidationError) issues.push(...err.issues); else throw err; }
  const { recs, issues: recIssues } = parseRecommendations(src);
  issues.push(...recIssues);
  const deptIds = [...new Set(recs.map((r) => r.departmentId))];
  if (deptIds.length) {
    const depts = new Set((await db.selectFrom('bodies').select('id').where('id', 'in', deptIds).where('kind', '=', 'department').execute()).map((b) => b.id));
    recs.forEach((r, i) => { if (!depts.has(r.departmentId)) issues.push({ field: `department_${rowOf(src, i)}`, message: (t) => t.consultations.errNotDepartment }); });
  }
  if (issues.length) throw new ValidationError(issues);
  const now = new Date().toISOString();
  const minutes = v.minutes ?? '';
  const report = v.report ?? '';
  await transaction(ctx.database, async (trx) => {
    const values = {
      minutes_md: minutes, minutes_html: renderMarkdown(minutes), report_md: report, report_html: renderMarkdown(report),
      status: 'draft' as const, updated_by: actor.id, updated_at: now,
    };
    if (existing) await trx.updateTable('consultation_outcomes').set(values).where('consultation_id', '=', id).execute();
    else await trx.insertInto('consultation_outcomes').values({ ...values, consultation_id: id, published_at: null, published_by: null }).execute();
    await trx.deleteFrom('consultation_recommendations').where('consultation_id', '=', id).execute();
    if (recs.length) {
      await trx.insertInto('consultation_recommendations').values(recs.map((r) => ({
        consultation_id: id, number: r.number, text: r.text, department_id: r.departmentId, due_days: r.dueDays,
        due_on: null, action_item_id: null, created_at: now, updated_at: now,
      }))).execute();
    }
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'outcome_saved', actorId: actor.id, data: { recommendations: recs.length } });
  });
}

/** The form row of the i-th kept recommendation (rows may have blanks between them). */
function rowOf(src: Record<string, unknown>, index: number): number {
  let seen = -1;
  for (let i = 1; i <= MAX_RECOMMENDATIONS; i++) {
    if (cleanText(src[`text_${i}`])) seen++;
    if (seen === index) return i;
  }
  return index + 1;
}

/**
 * Publishes the outcome: the report and minutes become public, each recommendation an
 * action item of its department due in its working days from today, and participants and
 * registrants are told. The outcome cannot be edited afterwards (its items are in motion).
 */
export async function publishOutcome(ctx: AppContext, user: CurrentUser | null, id: number): Promise<number[]> {
  const db = ctx.database.db;
  const { c, user: actor } = await managedConsultation(db, user, id);
  const outcome = await db.selectFrom('consultation_outcomes').selectAll().where('consultation_id', '=', id).executeTakeFirst();
  if (!outcome) throw new ConflictError((t) => t.consultations.errOutcomeMissing);
  if (outcome.status === 'published') throw new ConflictError((t) => t.consultations.errOutcomePublished);
  if (!outcome.report_md.trim()) throw new ConflictError((t) => t.consultations.errOutcomeMissing);
  const meetingStage = c.track === 'community' ? 'deliberation' : 'meeting';
  if (!isAtOrAfter(c.track, c.stage, meetingStage)) throw new ConflictError((t) => t.consultations.errOutcomeTooEarly);
  const recs = await db.selectFrom('consultation_recommendations').selectAll().where('consultation_id', '=', id).orderBy('number').execute();
  if (!recs.length) throw new ConflictError((t) => t.consultations.errNoRecommendations);
  const now = new Date();
  const items = await transaction(ctx.database, async (trx) => {
    const created: number[] = [];
    for (const r of recs) {
      const dueOn = addWorkingDays(now, r.due_days);
      const itemId = await createActionItem(trx, {
        sourceType: 'recommendation', sourceId: r.id, title: `${c.title}（${r.number}）`, instructions: r.text,
        ownerBodyId: r.department_id, dueOn, assignedBy: actor.id, assignedByBodyId: c.lead_body_id,
      });
      await trx.updateTable('consultation_recommendations').set({ due_on: dueOn, action_item_id: itemId, updated_at: now.toISOString() }).where('id', '=', r.id).execute();
      created.push(itemId);
    }
    await trx.updateTable('consultation_outcomes').set({ status: 'published', published_at: now.toISOString(), published_by: actor.id }).where('consultation_id', '=', id).execute();
    await appendEvent(trx, {
      streamType: STREAM, streamId: id, action: 'outcome_published', actorId: actor.id,
      data: { recommendations: recs.map((r, i) => ({ number: r.number, departmentId: r.department_id, actionItemId: created[i] })) },
    });
    if (c.track === 'standard' && !isAtOrAfter(c.track, c.stage, 'outcome')) await setStage(trx, c, 'outcome', actor.id);
    await indexConsultation(trx, id);
    const people = [
      ...(await trx.selectFrom('consultation_participants').select('user_id').where('consultation_id', '=', id).where('user_id', 'is not', null).execute()).map((p) => p.user_id as number),
      ...(await trx.selectFrom('consultation_registrations').select('user_id').where('consultation_id', '=', id).where('status', '=', 'confirmed').execute()).map((p) => p.user_id),
    ];
    await notifyUsers(trx, people, consultationLink(id), (t) => t.consultations.nOutcomeTitle, (t) => t.consultations.nOutcomeBody(c.title, recs.length));
    return created;
  });
  ctx.pageCache.invalidate();
  return items;
}

registerActionSource('recommendation', {
  link: (item) => recommendationLink(item.source_id),
  async onUpdate(trx, item, kind, _text, actor) {
    const rec = await trx.selectFrom('consultation_recommendations').innerJoin('consultations', 'consultations.id', 'consultation_recommendations.consultation_id')
      .select(['consultation_recommendations.id', 'consultation_recommendations.number', 'consultations.id as cid', 'consultations.title', 'consultations.lead_body_id'])
      .where('consultation_recommendations.id', '=', item.source_id).executeTakeFirst();
    if (!rec) return;
    const now = new Date().toISOString();
    await trx.updateTable('consultation_recommendations').set({ updated_at: now }).where('id', '=', rec.id).execute();
    await trx.updateTable('consultations').set({ updated_at: now }).where('id', '=', rec.cid).execute();
    await appendEvent(trx, {
      streamType: STREAM, streamId: rec.cid, action: `recommendation_${kind}`, actorId: actor.id,
      data: { recommendationId: rec.id, number: rec.number, actionItemId: item.id, departmentId: item.owner_body_id },
    });
    await notifyUsers(trx, await organisers(trx, rec.lead_body_id), `${consultationLink(rec.cid)}#rec-${rec.number}`,
      (t) => t.consultations.nRecUpdateTitle(rec.number), (t) => t.consultations.nRecUpdateBody(rec.title, rec.number, kind));
  },
});
