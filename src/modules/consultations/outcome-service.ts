import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { ConflictError, type FieldIssue, NotFoundError, ValidationError } from '../../platform/errors.js';
import { type Catalog, type Locale, catalogFor } from '../../web/i18n/index.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { cleanText, int, text, validate } from '../../platform/validation.js';
import { registerActionSource } from '../actions/service.js';
import { renderMarkdown } from '../content/shared/markdown.js';
import { type DeliberationReport, deliberationReport } from '../deliberation/report.js';
import { type ConsultationRow, STREAM, canManageAny, holdingBodyIds, loadConsultation, managedConsultation } from './access.js';
import { consultationLink } from './consultations-service.js';
import { type EvaluationSummary, type EvaluationWindow, evaluationSummary, evaluationWindow } from './evaluation-service.js';
import { notifyUsers, organisers } from './notices.js';
import { buildOutcomeDocx } from './outcome-docx.js';
import type { ConsultationDetail } from './queries.js';

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

// The published outcome as the public sees it beyond the report itself: the online
// deliberation's section, the evidence departments attached when completing, and the
// participants' evaluation (counts only). Also the report as a .docx.

/** A consultation's deliberations, at most this many go into its outcome report. */
export const MAX_DELIBERATIONS = 5;

export interface DeliberationSection {
  id: number;
  /** The section in Markdown per language (from `deliberationReport`). */
  markdown: Record<Locale, string>;
  /** The same rendered for the page, its headings moved under the outcome's. */
  html: Record<Locale, string>;
}

export const deliberationIds = async (db: Executor, consultationId: number): Promise<number[]> =>
  (await db.selectFrom('deliberations').select('id').where('consultation_id', '=', consultationId).orderBy('id').limit(MAX_DELIBERATIONS).execute()).map((r) => r.id);

/** The deliberation section as it is now (a draft's preview, and what publishing keeps). */
export async function deliberationSections(db: Executor, consultationId: number): Promise<DeliberationSection[]> {
  // A handful at most per consultation, each report a few reads of a stored result.
  return Promise.all((await deliberationIds(db, consultationId)).map(async (id) => {
    const [zh, en] = await Promise.all([deliberationReport(db, id, { locale: 'zh-CN' }), deliberationReport(db, id, { locale: 'en' })]);
    const uncounted = !zh.computed && Boolean(await db.selectFrom('deliberation_votes').select('statement_id').where('deliberation_id', '=', id).limit(1).executeTakeFirst());
    const markdown = { 'zh-CN': withCoverage(zh, 'zh-CN', uncounted), en: withCoverage(en, 'en', uncounted) };
    const lower = (s: string) => s.replace(/^(#{1,4}) /gm, '$1## ');
    return { id, markdown, html: { 'zh-CN': renderMarkdown(lower(markdown['zh-CN'])), en: renderMarkdown(lower(markdown.en)) } };
  }));
}

/**
 * The section says when its result does not cover every vote (a recomputation that failed at
 * publication, or a draft previewed before the worker caught up): the result's own line gives
 * the time it was computed, this says that what came after is not in it.
 */
function withCoverage(r: DeliberationReport, locale: Locale, uncounted: boolean): string {
  const m = catalogFor(locale).consultations;
  if (r.computed?.stale) return `${r.markdown}\n${m.sectionStale}\n`;
  if (uncounted) return `${r.markdown}\n${m.sectionUncomputed}\n`;
  return r.markdown;
}

/** What a published outcome keeps of its deliberations (`consultation_outcomes.deliberation_report`). */
export interface DeliberationSnapshot { takenAt: string; sections: DeliberationSection[] }

function parseSnapshot(json: string | null): DeliberationSection[] | null {
  if (json === null) return null;
  const v = JSON.parse(json) as Partial<DeliberationSnapshot>;
  return Array.isArray(v.sections) ? v.sections : null;
}

/**
 * The deliberation section of a published outcome: the one kept at publication, never the
 * live results. An outcome published before reports were kept gets its section kept on its
 * first reading (once: a concurrent reading keeps the same or leaves the first one).
 */
export async function publishedSections(db: Executor, consultationId: number): Promise<DeliberationSection[]> {
  const row = await db.selectFrom('consultation_outcomes').select('deliberation_report').where('consultation_id', '=', consultationId).executeTakeFirst();
  const kept = parseSnapshot(row?.deliberation_report ?? null);
  if (kept) return kept;
  const sections = await deliberationSections(db, consultationId);
  const snapshot: DeliberationSnapshot = { takenAt: new Date().toISOString(), sections };
  await db.updateTable('consultation_outcomes').set({ deliberation_report: JSON.stringify(snapshot) })
    .where('consultation_id', '=', consultationId).where('status', '=', 'published').where('deliberation_report', 'is', null).execute();
  return parseSnapshot((await db.selectFrom('consultation_outcomes').select('deliberation_report').where('consultation_id', '=', consultationId).executeTakeFirst())?.deliberation_report ?? null) ?? sections;
}

export interface EvidenceFile { id: number; filename: string; size: number }
export interface OutcomeExtras {
  deliberations: DeliberationSection[];
  /** Per recommendation id, the files its department attached as evidence. */
  evidence: Map<number, EvidenceFile[]>;
  evaluation: EvaluationSummary;
  window: EvaluationWindow;
}

/** The extras of a published outcome for the public page; nothing for a draft. */
export async function outcomeExtras(db: Executor, d: ConsultationDetail): Promise<OutcomeExtras | null> {
  if (d.outcome?.status !== 'published') return null;
  const itemIds = d.recommendations.map((r) => r.actionItemId).filter((x): x is number => x !== null);
  const [deliberations, files, evaluation] = await Promise.all([
    publishedSections(db, d.c.id),
    itemIds.length
      ? db.selectFrom('attachments').select(['id', 'owner_id', 'filename', 'size']).where('owner_type', '=', 'action_item').where('owner_id', 'in', itemIds).orderBy('id').execute()
      : Promise.resolve([]),
    evaluationSummary(db, d.c.id),
  ]);
  const evidence = new Map<number, EvidenceFile[]>();
  for (const r of d.recommendations) {
    evidence.set(r.id, files.filter((f) => f.owner_id === r.actionItemId).map((f) => ({ id: f.id, filename: f.filename, size: f.size })));
  }
  return { deliberations, evidence, evaluation, window: evaluationWindow(d.c, true) };
}

/** The public detail page's props with the outcome's extras. */
export async function withOutcomeExtras<P extends { d: ConsultationDetail }>(db: Executor, page: P): Promise<P & { extras: OutcomeExtras | null }> {
  return { ...page, extras: await outcomeExtras(db, page.d) };
}

/**
 * Who may download the report: anyone once it is published and the consultation public;
 * the consultation's organisers always (a draft too). Everyone else: not found.
 */
export async function outcomeDocxAccess(db: Executor, user: CurrentUser | null, id: number): Promise<{ c: ConsultationRow; cacheable: boolean }> {
  const c = await loadConsultation(db, id);
  const outcome = await db.selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', id).executeTakeFirst();
  if (!outcome) throw new NotFoundError();
  const open = outcome.status === 'published' && c.is_public === 1;
  if (open) return { c, cacheable: true };
  if (await canManageAny(db, user, [c.lead_body_id, ...(await holdingBodyIds(db, id))])) return { c, cacheable: false };
  throw new NotFoundError();
}

export async function outcomeDocx(db: Executor, c: ConsultationRow, t: Catalog, locale: Locale): Promise<{ filename: string; body: Buffer }> {
  const [outcome, bodies, recs] = await Promise.all([
    db.selectFrom('consultation_outcomes').selectAll().where('consultation_id', '=', c.id).executeTakeFirstOrThrow(),
    db.selectFrom('consultation_bodies').innerJoin('bodies', 'bodies.id', 'consultation_bodies.body_id')
      .select(['bodies.name', 'bodies.name_en', 'consultation_bodies.role']).where('consultation_id', '=', c.id).orderBy('bodies.sort').orderBy('bodies.id').execute(),
    db.selectFrom('consultation_recommendations').innerJoin('bodies', 'bodies.id', 'consultation_recommendations.department_id')
      .leftJoin('action_items', 'action_items.id', 'consultation_recommendations.action_item_id')
      .select(['number', 'text', 'due_days', 'consultation_recommendations.due_on', 'action_items.due_on as item_due_on', 'bodies.name', 'bodies.name_en'])
      .where('consultation_recommendations.consultation_id', '=', c.id).orderBy('number').execute(),
  ]);
  const name = (b: { name: string; name_en: string | null }) => (locale === 'en' && b.name_en) || b.name;
  const draft = outcome.status !== 'published';
  // A draft previews the deliberations as they are; a published report has the section it kept.
  const sections = draft ? await deliberationSections(db, c.id) : await publishedSections(db, c.id);
  const body = await buildOutcomeDocx({
    title: c.title,
    issuer: bodies.filter((b) => b.role === 'lead').map(name).join('、'),
    joint: bodies.filter((b) => b.role === 'joint').map(name),
    date: chinaDate(outcome.published_at ? new Date(outcome.published_at) : new Date()),
    draft,
    reportMd: outcome.report_md,
    recommendations: recs.map((r) => ({ number: r.number, text: r.text, department: name(r), dueOn: r.item_due_on ?? r.due_on, dueDays: r.due_days })),
    sectionsMd: sections.map((s) => ({ heading: t.consultationsOutcome.deliberationTitle, markdown: s.markdown[locale] })),
    minutesMd: outcome.minutes_md || null,
  }, t);
  return { filename: `${c.title.slice(0, 60)}${draft ? t.consultationsOutcome.docxDraftMark : ''}.docx`, body };
}
