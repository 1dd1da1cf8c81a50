import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { ActionItemStatus } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ConflictError, type FieldIssue, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { choice, text, validate } from '../../platform/validation.js';
import { type ConsultationRow, canManageAny, holdingBodyIds, loadConsultation, managedConsultation, requireUser } from './access.js';
import { publicConsultation } from './public-service.js';

// Participants' evaluation (评价), collected from the people who took part, directly: never
// entered by the departments being rated. Who may: confirmed registrants (signed in at the
// meeting or not), named participants with an account (members), the people of a department
// invited as a participant (its representatives), and members of the holding bodies. A department's people never rate the
// recommendations their department handles. The scale is the opinions module's: 3 满意,
// 2 基本满意, 1 不满意. One evaluation per person, changed in place until the consultation closes;
// public pages show only the number of people per level.

export const LEVELS = [3, 2, 1] as const;
export type Level = (typeof LEVELS)[number];
const LEVEL_VALUES = ['3', '2', '1'] as const;
export const MAX_COMMENT = 1000;

export type EvaluationWindow = 'open' | 'closed' | 'not_yet' | 'not_offered';

/** Evaluation opens with the published outcome on the committee's track and ends when the consultation closes. */
export function evaluationWindow(c: Pick<ConsultationRow, 'track' | 'stage'>, outcomePublished: boolean): EvaluationWindow {
  if (c.track !== 'standard') return 'not_offered';
  if (!outcomePublished) return 'not_yet';
  return c.stage === 'closed' ? 'closed' : 'open';
}

export interface Eligibility {
  role: 'participant' | 'registrant' | null;
  /** Bodies the person acts for: their department's recommendations are not theirs to rate. */
  ownBodies: Set<number>;
}

export async function eligibility(db: Executor, user: CurrentUser, c: ConsultationRow): Promise<Eligibility> {
  const myBodies = user.memberships.map((m) => m.bodyId);
  const [rows, reg, holders] = await Promise.all([
    // Named as a participant, or working for a department invited to send its representatives.
    db.selectFrom('consultation_participants').select(['kind', 'body_id']).where('consultation_id', '=', c.id)
      .where((eb) => eb.or([
        eb('user_id', '=', user.id),
        ...(myBodies.length ? [eb.and([eb('kind', '=', 'department'), eb('body_id', 'in', myBodies)])] : []),
      ])).execute(),
    db.selectFrom('consultation_registrations').select(['status', 'checked_in_at']).where('consultation_id', '=', c.id).where('user_id', '=', user.id).executeTakeFirst(),
    holdingBodyIds(db, c.id),
  ]);
  const ownBodies = new Set<number>([
    ...user.memberships.map((m) => m.bodyId),
    ...rows.filter((r) => r.kind === 'department' && r.body_id !== null).map((r) => r.body_id as number),
  ]);
  const holding = new Set([c.lead_body_id, ...holders]);
  const member = user.memberships.some((m) => (m.role === 'member' || m.role === 'standing_member') && holding.has(m.bodyId));
  const role = rows.length || member ? 'participant' : reg && (reg.status === 'confirmed' || reg.checked_in_at) ? 'registrant' : null;
  return { role, ownBodies };
}

export interface RatableRecommendation {
  id: number; number: number; text: string; departmentId: number; status: ActionItemStatus | null; answer: string | null;
  /** 'ok' may be rated; otherwise why not. */
  state: 'ok' | 'not_answered' | 'own_department';
}

export interface EvaluationFormData {
  c: ConsultationRow;
  window: EvaluationWindow;
  role: Eligibility['role'];
  recommendations: RatableRecommendation[];
  mine: { overall: number; process: number | null; outcome: number | null; comment: string | null } | null;
  myRecs: Map<number, { rating: number; comment: string | null }>;
  /** The person organises this consultation (and may read the comments). */
  canManage: boolean;
}

async function outcomePublished(db: Executor, id: number): Promise<boolean> {
  const o = await db.selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', id).executeTakeFirst();
  return o?.status === 'published';
}

/** What the signed-in person sees on the evaluation page; a private consultation exists only for those who took part. */
export async function evaluationForm(db: Executor, user: CurrentUser | null, id: number): Promise<EvaluationFormData> {
  const u = requireUser(user);
  const c = await loadConsultation(db, id);
  const [published, elig, recs, mine, myRecs, manager] = await Promise.all([
    outcomePublished(db, id),
    eligibility(db, u, c),
    db.selectFrom('consultation_recommendations').leftJoin('action_items', 'action_items.id', 'consultation_recommendations.action_item_id')
      .select(['consultation_recommendations.id', 'number', 'text', 'department_id', 'action_items.status', 'action_items.answer'])
      .where('consultation_recommendations.consultation_id', '=', id).orderBy('number').execute(),
    db.selectFrom('consultation_evaluations').select(['overall', 'process', 'outcome', 'comment']).where('consultation_id', '=', id).where('user_id', '=', u.id).executeTakeFirst(),
    db.selectFrom('recommendation_evaluations').innerJoin('consultation_recommendations', 'consultation_recommendations.id', 'recommendation_evaluations.recommendation_id')
      .select(['recommendation_id', 'rating', 'comment']).where('consultation_recommendations.consultation_id', '=', id).where('user_id', '=', u.id).execute(),
    holdingBodyIds(db, id).then((holders) => canManageAny(db, u, [c.lead_body_id, ...holders])),
  ]);
  if (c.is_public !== 1 && !elig.role && !manager) throw new NotFoundError();
  const window = evaluationWindow(c, published);
  if (window === 'not_offered') throw new NotFoundError((t) => t.consultationsOutcome.errCommunityTrack);
  return {
    c, window, role: elig.role,
    recommendations: published ? recs.map((r) => ({
      id: r.id, number: r.number, text: r.text, departmentId: r.department_id, status: r.status ?? null, answer: r.answer ?? null,
      state: elig.ownBodies.has(r.department_id) ? 'own_department' : r.status === 'answered' || r.status === 'done' ? 'ok' : 'not_answered',
    })) : [],
    mine: mine ?? null,
    myRecs: new Map(myRecs.map((r) => [r.recommendation_id, { rating: r.rating, comment: r.comment }])),
    canManage: manager,
  };
}

const spec = {
  overall: choice({ label: (t) => t.consultationsOutcome.fOverall, values: LEVEL_VALUES }),
  process: choice({ label: (t) => t.consultationsOutcome.fProcess, values: LEVEL_VALUES, required: false }),
  outcome: choice({ label: (t) => t.consultationsOutcome.fOutcome, values: LEVEL_VALUES, required: false }),
  comment: text({ label: (t) => t.consultationsOutcome.fComment, max: MAX_COMMENT, required: false, multiline: true }),
};

/**
 * Saves the person's evaluation: the consultation's (overall required, process and outcome
 * optional) and, for each recommendation they may rate, a rating or none (a blank takes a
 * previous rating back). Everything is checked before anything is written.
 */
export async function saveEvaluation(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const db = ctx.database.db;
  const d = await evaluationForm(db, user, id);
  const u = user as CurrentUser;
  if (d.window !== 'open') throw new ConflictError((t) => t.consultationsOutcome.errNotOpen);
  if (!d.role) throw new ForbiddenError((t) => t.consultationsOutcome.errNotEligible);
  const src = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  let v: { overall: string; process: string | null; outcome: string | null; comment: string | null } | null = null;
  try { v = validate(spec, src); } catch (err) { if (err instanceof ValidationError) issues.push(...err.issues); else throw err; }
  const byNumber = new Map(d.recommendations.map((r) => [r.number, r]));
  // Rows of recommendations that do not exist here, or are not this person's to rate, are refused when they carry a rating.
  for (const [key, value] of Object.entries(src)) {
    const m = /^rec_(\d{1,3})$/.exec(key);
    if (!m && /^rec_/.test(key) && !/^rec_\d{1,3}_comment$/.test(key)) issues.push({ field: key, message: (t) => t.common.errBadRequest });
    if (!m) continue;
    const n = Number(m[1]);
    const r = byNumber.get(n);
    const blank = value === undefined || value === '' || (typeof value === 'string' && !value.trim());
    if (!blank && (!r || r.state !== 'ok')) issues.push({ field: key, message: (t) => t.consultationsOutcome.errRecNotRatable(n) });
  }
  const recValues: Array<{ id: number; rating: number | null; comment: string | null }> = [];
  for (const r of d.recommendations.filter((x) => x.state === 'ok')) {
    const rating = choice({ label: (t) => t.consultationsOutcome.fRecRating(r.number), values: LEVEL_VALUES, required: false }).parse(src[`rec_${r.number}`]);
    const comment = text({ label: (t) => t.consultationsOutcome.fRecComment(r.number), max: MAX_COMMENT, required: false, multiline: true }).parse(src[`rec_${r.number}_comment`]);
    if (!rating.ok) issues.push({ field: `rec_${r.number}`, message: rating.message });
    if (!comment.ok) issues.push({ field: `rec_${r.number}_comment`, message: comment.message });
    if (rating.ok && comment.ok) recValues.push({ id: r.id, rating: rating.value === null ? null : Number(rating.value), comment: rating.value === null ? null : comment.value });
  }
  if (issues.length || !v) throw new ValidationError(issues);
  const values = v;
  const now = new Date().toISOString();
  const role = d.role;
  await transaction(ctx.database, async (trx) => {
    const row = { overall: Number(values.overall), process: values.process === null ? null : Number(values.process), outcome: values.outcome === null ? null : Number(values.outcome), comment: values.comment, role };
    await trx.insertInto('consultation_evaluations').values({ ...row, consultation_id: id, user_id: u.id, created_at: now })
      .onConflict((oc) => oc.columns(['consultation_id', 'user_id']).doUpdateSet(row)).execute();
    const rated = recValues.filter((r) => r.rating !== null);
    const cleared = recValues.filter((r) => r.rating === null).map((r) => r.id);
    if (cleared.length) await trx.deleteFrom('recommendation_evaluations').where('user_id', '=', u.id).where('recommendation_id', 'in', cleared).execute();
    if (rated.length) {
      await trx.insertInto('recommendation_evaluations')
        .values(rated.map((r) => ({ recommendation_id: r.id, user_id: u.id, rating: r.rating as number, comment: r.comment, created_at: now })))
        .onConflict((oc) => oc.columns(['recommendation_id', 'user_id']).doUpdateSet((eb) => ({ rating: eb.ref('excluded.rating'), comment: eb.ref('excluded.comment') })))
        .execute();
    }
  });
  ctx.pageCache.invalidate();
}

export type LevelCounts = Record<Level, number>;
export interface EvaluationSummary {
  total: number;
  overall: LevelCounts; process: LevelCounts; outcome: LevelCounts;
  /** Per recommendation id: people per level. */
  recommendations: Map<number, { total: number; counts: LevelCounts }>;
}

const zero = (): LevelCounts => ({ 3: 0, 2: 0, 1: 0 });
const isLevel = (n: unknown): n is Level => n === 3 || n === 2 || n === 1;

/** Counts per level, no names and no comments: two grouped reads. */
export async function evaluationSummary(db: Executor, consultationId: number): Promise<EvaluationSummary> {
  const [rows, recRows] = await Promise.all([
    db.selectFrom('consultation_evaluations').select(['overall', 'process', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('consultation_id', '=', consultationId).groupBy(['overall', 'process', 'outcome']).execute(),
    db.selectFrom('recommendation_evaluations').innerJoin('consultation_recommendations', 'consultation_recommendations.id', 'recommendation_evaluations.recommendation_id')
      .select(['recommendation_id', 'rating', (eb) => eb.fn.countAll<number>().as('n')])
      .where('consultation_recommendations.consultation_id', '=', consultationId).groupBy(['recommendation_id', 'rating']).execute(),
  ]);
  const s: EvaluationSummary = { total: 0, overall: zero(), process: zero(), outcome: zero(), recommendations: new Map() };
  for (const r of rows) {
    const n = Number(r.n);
    s.total += n;
    const [o, p, out] = [Number(r.overall), r.process === null ? null : Number(r.process), r.outcome === null ? null : Number(r.outcome)];
    if (isLevel(o)) s.overall[o] += n;
    if (isLevel(p)) s.process[p] += n;
    if (isLevel(out)) s.outcome[out] += n;
  }
  for (const r of recRows) {
    const rating = Number(r.rating);
    const cur = s.recommendations.get(r.recommendation_id) ?? { total: 0, counts: zero() };
    cur.total += Number(r.n);
    if (isLevel(rating)) cur.counts[rating] += Number(r.n);
    s.recommendations.set(r.recommendation_id, cur);
  }
  return s;
}

export interface PublicEvaluation {
  c: ConsultationRow;
  window: EvaluationWindow;
  /** Counts per level once the outcome is published (what the public page shows); null before. */
  summary: EvaluationSummary | null;
  /** The recommendations' numbers by id, to name the per-recommendation counts. */
  numbers: Map<number, number>;
}

/**
 * The evaluation as the public consultation page shows it: counts only, no names and no
 * comments, for a public consultation of the committee's track; nothing before the outcome is published.
 */
export async function publicEvaluation(db: Executor, id: number): Promise<PublicEvaluation> {
  const c = await publicConsultation(db, id);
  const published = await outcomePublished(db, id);
  const window = evaluationWindow(c, published);
  if (window === 'not_offered') throw new NotFoundError((t) => t.consultationsOutcome.errCommunityTrack);
  if (!published) return { c, window, summary: null, numbers: new Map() };
  const [summary, recs] = await Promise.all([
    evaluationSummary(db, id),
    db.selectFrom('consultation_recommendations').select(['id', 'number']).where('consultation_id', '=', id).orderBy('number').execute(),
  ]);
  return { c, window, summary, numbers: new Map(recs.map((r) => [r.id, r.number])) };
}

export const COMMENTS_SIZE = 20;
export interface EvaluationComment { kind: 'consultation' | 'recommendation'; number: number | null; rating: number; role: string | null; comment: string; createdAt: string }

/**
 * The comments participants wrote, for the consultation's organisers only (they are not
 * moderated, so never public), newest first, a page at a time, without names. Also
 * the counts, and whether a draft report exists (for the download link).
 */
export async function evaluationComments(db: Executor, user: CurrentUser | null, id: number, rawPage: unknown) {
  const { c } = await managedConsultation(db, user, id);
  const page = typeof rawPage === 'string' && /^\d{1,5}$/.test(rawPage) && Number(rawPage) > 0 ? Number(rawPage) : 1;
  const [general, recs, summary, outcome] = await Promise.all([
    db.selectFrom('consultation_evaluations').select(['overall', 'role', 'comment', 'created_at', 'id'])
      .where('consultation_id', '=', id).where('comment', 'is not', null).orderBy('id', 'desc').limit(COMMENTS_SIZE + 1).offset((page - 1) * COMMENTS_SIZE).execute(),
    db.selectFrom('recommendation_evaluations').innerJoin('consultation_recommendations', 'consultation_recommendations.id', 'recommendation_evaluations.recommendation_id')
      .select(['consultation_recommendations.number', 'rating', 'comment', 'recommendation_evaluations.created_at'])
      .where('consultation_recommendations.consultation_id', '=', id).where('comment', 'is not', null)
      .orderBy('recommendation_evaluations.created_at', 'desc').orderBy('consultation_recommendations.number').limit(COMMENTS_SIZE + 1).offset((page - 1) * COMMENTS_SIZE).execute(),
    evaluationSummary(db, id),
    db.selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', id).executeTakeFirst(),
  ]);
  const more = general.length > COMMENTS_SIZE || recs.length > COMMENTS_SIZE;
  return {
    c, page, more, summary, hasOutcome: Boolean(outcome),
    general: general.slice(0, COMMENTS_SIZE).map((r): EvaluationComment => ({ kind: 'consultation', number: null, rating: r.overall, role: r.role, comment: r.comment as string, createdAt: r.created_at })),
    recommendations: recs.slice(0, COMMENTS_SIZE).map((r): EvaluationComment => ({ kind: 'recommendation', number: r.number, rating: r.rating, role: null, comment: r.comment as string, createdAt: r.created_at })),
  };
}
