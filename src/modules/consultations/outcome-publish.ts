import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { addWorkingDays } from '../../platform/calendar/index.js';
import { ConflictError } from '../../platform/errors.js';
import { catalogFor } from '../../web/i18n/index.js';
import { appendEvent, isPostgres } from '../../platform/timeline/audit.js';
import { createActionItem } from '../actions/service.js';
import { type Prepared, prepareRecompute, storeRecompute } from '../deliberation/recompute.js';
import { type ConsultationRow, STREAM, lockConsultation, managedConsultation } from './access.js';
import { closeDeliberations, consultationLink, setStage } from './consultations-service.js';
import { isAtOrAfter } from './model.js';
import { notifyUsers } from './notices.js';
import { type DeliberationSnapshot, deliberationIds, deliberationSections } from './outcome-service.js';
import { indexConsultation } from './search-index.js';

// Publishing a consultation's outcome (see outcome-service.ts for the outcome itself): each
// recommendation becomes an action item, and the report keeps its deliberation section.

/**
 * Action item titles are at most this long: what every source gives (an opinion's title is at
 * most 60 characters, an escalation's and a consultation's 100); the inbox lists them in one line.
 */
export const ACTION_TITLE_MAX = 100;

/** A recommendation's action item is titled by the recommendation, on one line, shortened with an ellipsis. */
export function actionTitle(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= ACTION_TITLE_MAX ? line : `${chars.slice(0, ACTION_TITLE_MAX - 1).join('').trimEnd()}…`;
}

/** Action items' instructions are stored once, in the platform's first language. */
const itemText = () => catalogFor('zh-CN').consultationsOutcome;

/** Where a failed recomputation at publication is reported (a request's logger; the console by default). */
export interface WarnLog { warn(obj: Record<string, unknown>, msg: string): void }
const consoleLog: WarnLog = { warn: (obj, msg) => console.warn(JSON.stringify({ level: 40, time: Date.now(), ...obj, msg })) };

export interface PublishOptions {
  log?: WarnLog;
  /** Runs after each recomputation, before the publishing transaction (tests put a vote there). */
  afterRecompute?: (attempt: number) => Promise<void>;
}

/** Recomputations at publication before the report keeps what was last stored (see below). */
const PUBLISH_ATTEMPTS = 3;

/** The publishing transaction found a deliberation's votes ahead of its result just computed. */
class VotesMovedError extends Error { override name = 'VotesMovedError'; }

/**
 * Publishes the outcome: the report and minutes become public, each recommendation an
 * action item of its department due in its working days from today, and participants and
 * registrants are told. The outcome cannot be edited afterwards (its items are in motion).
 *
 * The report keeps the deliberations' section computed from exactly the votes they took: they
 * are closed first (a vote after that gets their "closed" error), then recomputed, then the
 * section is kept. Everything that can refuse the publication is checked before closing, so a
 * refused publication leaves them open. If publishing fails after the closing (a concurrent
 * publication won, the database failed) they stay closed: the consultation is at its meeting
 * or later, publishing is what the organisers asked for, and they can reopen them until the
 * outcome is published or the consultation reaches the stage that ends deliberation.
 */
export async function publishOutcome(ctx: AppContext, user: CurrentUser | null, id: number, opts: PublishOptions = {}): Promise<number[]> {
  const db = ctx.database.db;
  const log = opts.log ?? consoleLog;
  const { c, user: actor } = await managedConsultation(db, user, id);
  const outcome = await db.selectFrom('consultation_outcomes').selectAll().where('consultation_id', '=', id).executeTakeFirst();
  if (!outcome) throw new ConflictError((t) => t.consultations.errOutcomeMissing);
  if (outcome.status === 'published') throw new ConflictError((t) => t.consultations.errOutcomePublished);
  if (!outcome.report_md.trim()) throw new ConflictError((t) => t.consultations.errOutcomeMissing);
  const meetingStage = c.track === 'community' ? 'deliberation' : 'meeting';
  if (!isAtOrAfter(c.track, c.stage, meetingStage)) throw new ConflictError((t) => t.consultations.errOutcomeTooEarly);
  if (!(await publishableRecommendations(db, id)).length) throw new ConflictError((t) => t.consultations.errNoRecommendations);

  const closedFirst = await transaction(ctx.database, (trx) => closeDeliberations(trx, id, new Date().toISOString()));
  if (closedFirst.length) ctx.pageCache.invalidate();
  for (let attempt = 1; ; attempt++) {
    const dids = await deliberationIds(db, id);
    // The math outside the transaction, as the recompute job does (nothing to do when current).
    // A failed one is logged, and the section then shows the last stored result and its time.
    const failed = new Set<number>();
    const computed = await Promise.all(dids.map(async (did) => ({
      did,
      p: await prepareRecompute(ctx, did).catch((err: unknown): Prepared => {
        failed.add(did);
        log.warn({ consultationId: id, deliberationId: did, err: err instanceof Error ? err.message : String(err) }, 'deliberation recomputation failed at outcome publication; the report keeps the last stored result');
        return { kind: 'current' };
      }),
    })));
    await opts.afterRecompute?.(attempt);
    try {
      const items = await publishTransaction(ctx, c, actor.id, computed, closedFirst, attempt < PUBLISH_ATTEMPTS ? failed : null);
      ctx.pageCache.invalidate();
      return items;
    } catch (err) {
      if (!(err instanceof VotesMovedError)) throw err;
    }
  }
}

const publishableRecommendations = (db: Executor, id: number) =>
  db.selectFrom('consultation_recommendations').selectAll().where('consultation_id', '=', id).orderBy('number').execute();

/**
 * The publication itself. `retryUnless`: throw VotesMovedError when a deliberation (not among
 * these, whose recomputation failed) has input its result does not cover — reopened by its
 * organisers and voted on, or moderated, between the closing and this transaction. (A vote
 * already past the open check when it closed is refused at its commit: vote-writer.ts.) Null
 * on the last attempt: the section keeps the stored result and says that later
 * input is not in it.
 */
async function publishTransaction(ctx: AppContext, c: ConsultationRow, actorId: number, computed: Array<{ did: number; p: Prepared }>,
  closedFirst: number[], retryUnless: Set<number> | null): Promise<number[]> {
  const id = c.id;
  const now = new Date();
  return transaction(ctx.database, async (trx) => {
    // The consultation's row first, as a stage move and a deliberation's reopening take it.
    await lockConsultation(trx, id);
    const claimed = await trx.updateTable('consultation_outcomes').set({ status: 'published', published_at: now.toISOString(), published_by: actorId })
      .where('consultation_id', '=', id).where('status', '=', 'draft').executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new ConflictError((t) => t.consultations.errOutcomePublished);
    const recs = await publishableRecommendations(trx, id);
    if (!recs.length) throw new ConflictError((t) => t.consultations.errNoRecommendations);
    // Any reopened since the first closing close again, in this transaction.
    const closed = [...new Set([...closedFirst, ...(await closeDeliberations(trx, id, now.toISOString()))])].sort((a, b) => a - b);
    for (const { did, p } of computed) await storeRecompute(trx, did, p);
    if (retryUnless && (await behindVotes(trx, await deliberationIds(trx, id))).some((did) => !retryUnless.has(did))) throw new VotesMovedError();
    const created: number[] = [];
    for (const r of recs) {
      const dueOn = addWorkingDays(now, r.due_days);
      const itemId = await createActionItem(trx, {
        sourceType: 'recommendation', sourceId: r.id, title: actionTitle(r.text),
        instructions: `${r.text}\n\n${itemText().actionFrom(c.title, r.number, `${consultationLink(id)}#rec-${r.number}`)}`,
        ownerBodyId: r.department_id, dueOn, assignedBy: actorId, assignedByBodyId: c.lead_body_id,
      });
      await trx.updateTable('consultation_recommendations').set({ due_on: dueOn, action_item_id: itemId, updated_at: now.toISOString() }).where('id', '=', r.id).execute();
      created.push(itemId);
    }
    const snapshot: DeliberationSnapshot = { takenAt: now.toISOString(), sections: await deliberationSections(trx, id) };
    await trx.updateTable('consultation_outcomes').set({ deliberation_report: JSON.stringify(snapshot) }).where('consultation_id', '=', id).execute();
    await appendEvent(trx, {
      streamType: STREAM, streamId: id, action: 'outcome_published', actorId,
      data: {
        recommendations: recs.map((r, i) => ({ number: r.number, departmentId: r.department_id, actionItemId: created[i] })),
        ...(closed.length ? { closedDeliberations: closed } : {}),
      },
    });
    if (c.track === 'standard' && !isAtOrAfter(c.track, c.stage, 'outcome')) await setStage(trx, c, 'outcome', actorId);
    await indexConsultation(trx, id);
    const people = [
      ...(await trx.selectFrom('consultation_participants').select('user_id').where('consultation_id', '=', id).where('user_id', 'is not', null).execute()).map((p) => p.user_id as number),
      ...(await trx.selectFrom('consultation_registrations').select('user_id').where('consultation_id', '=', id).where('status', '=', 'confirmed').execute()).map((p) => p.user_id),
    ];
    await notifyUsers(trx, people, consultationLink(id), (t) => t.consultations.nOutcomeTitle, (t) => t.consultations.nOutcomeBody(c.title, recs.length));
    return created;
  });
}

/** Of these deliberations, those whose input is ahead of their newest stored result. */
async function behindVotes(trx: Executor, dids: number[]): Promise<number[]> {
  if (!dids.length) return [];
  const [rows, results] = await Promise.all([
    // Held to the commit on PostgreSQL: a vote's version bump now waits for the publication.
    (isPostgres(trx) ? trx.selectFrom('deliberations').select(['id', 'votes_version']).where('id', 'in', dids).forUpdate() : trx.selectFrom('deliberations').select(['id', 'votes_version']).where('id', 'in', dids)).execute(),
    trx.selectFrom('deliberation_results').select(['deliberation_id', (eb) => eb.fn.max('votes_version').as('v')]).where('deliberation_id', 'in', dids).groupBy('deliberation_id').execute(),
  ]);
  const stored = new Map(results.map((r) => [r.deliberation_id, Number(r.v)]));
  return rows.filter((d) => (stored.get(d.id) ?? 0) < d.votes_version).map((d) => d.id);
}
