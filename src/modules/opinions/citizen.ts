import type { AppContext } from '../../context.js';
import { transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { addWorkingDays } from '../../platform/calendar/index.js';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../platform/errors.js';
import { removeDocument } from '../../platform/search/index.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { choice, text, validate } from '../../platform/validation.js';
import { type OpinionRow, loadOpinion } from './access.js';
import { addEntry } from './handling.js';
import { NOT_SATISFIED, OPEN_STATUSES, isLast4, parseTrackingCode } from './model.js';
import { inboxPeople, notifyCitizen, notifyInbox, notifyPeople, handlerLink } from './notices.js';

// What the sender does: follow the opinion, add information, withdraw it, rate the reply.
// The sender is either signed in, or proved by the tracking code and the phone's last four digits.

/** Who may act as the sender of one opinion. */
export type SenderProof = { kind: 'user'; user: CurrentUser } | { kind: 'code'; code: unknown; last4: unknown };

const failures = new Map<string, { n: number; since: number }>();
const MAX_FAILURES = 10;
const WINDOW_MS = 3_600_000;

/**
 * The opinion a tracking code and last four digits open. Wrong digits for one code are
 * counted: after ten in an hour the code is locked for that hour (four digits are few).
 */
export async function findByTracking(ctx: AppContext, code: unknown, last4: unknown): Promise<OpinionRow> {
  const parsed = parseTrackingCode(code);
  const notFound = () => new ValidationError([{ field: 'code', message: (t) => t.opinions.errTrackingNotFound }]);
  if (!parsed || !isLast4(last4)) throw notFound();
  const now = Date.now();
  const f = failures.get(parsed);
  if (f && now - f.since < WINDOW_MS && f.n >= MAX_FAILURES) throw new RateLimitedError();
  const op = await ctx.database.db.selectFrom('opinions').selectAll().where('tracking_code', '=', parsed).executeTakeFirst();
  if (!op || op.phone_last4 === null || op.phone_last4 !== last4) {
    const cur = f && now - f.since < WINDOW_MS ? f : { n: 0, since: now };
    cur.n++;
    failures.set(parsed, cur);
    if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
    throw notFound();
  }
  return op;
}

/** Resolves the proof to the opinion, or refuses (404 for a stranger, so ids reveal nothing). */
export async function senderOpinion(ctx: AppContext, id: number | null, proof: SenderProof): Promise<OpinionRow> {
  if (proof.kind === 'code') {
    const op = await findByTracking(ctx, proof.code, proof.last4);
    if (id !== null && op.id !== id) throw new NotFoundError();
    return op;
  }
  if (id === null) throw new NotFoundError();
  const op = await loadOpinion(ctx.database.db, id);
  if (op.citizen_id !== proof.user.id) throw new NotFoundError();
  return op;
}

const infoSpec = { info: text({ label: (t) => t.opinions.fInfo, max: 3000, min: 2, multiline: true }) };

export async function addInformation(ctx: AppContext, opinion: OpinionRow, raw: unknown): Promise<void> {
  const v = validate(infoSpec, raw);
  await transaction(ctx.database, async (trx) => {
    const op = await loadOpinion(trx, opinion.id);
    if (!OPEN_STATUSES.includes(op.status)) throw new ConflictError((t) => t.opinions.errNotOpen);
    const now = new Date().toISOString();
    const entryId = await addEntry(trx, op.id, 'addition', v.info, op.citizen_id, null, now);
    await trx.updateTable('opinions').set({ updated_at: now }).where('id', '=', op.id).execute();
    await appendEvent(trx, { streamType: 'opinion', streamId: op.id, action: 'citizen_added', actorId: op.citizen_id, data: { entryId } });
    await notifyInbox(trx, op.handler_body_id, op.handler_user_id, op.id, (t) => t.opinions.nCitizenAddedTitle, (t) => t.opinions.nCitizenAddedBody(op.title));
  });
}

export async function withdrawOpinion(ctx: AppContext, opinion: OpinionRow): Promise<void> {
  const wasPublic = await transaction(ctx.database, async (trx) => {
    const op = await loadOpinion(trx, opinion.id);
    if (!OPEN_STATUSES.includes(op.status)) throw new ConflictError((t) => t.opinions.errNotOpen);
    const now = new Date().toISOString();
    await trx.updateTable('opinions').set({ status: 'withdrawn', withdrawn_at: now, closed_at: now, public_visible: 0, updated_at: now }).where('id', '=', op.id).execute();
    await removeDocument(trx, 'opinion', op.id);
    // Open action items stay with the department's record, but the source is gone.
    await appendEvent(trx, { streamType: 'opinion', streamId: op.id, action: 'withdrawn', actorId: op.citizen_id, data: {} });
    await notifyInbox(trx, op.handler_body_id, op.handler_user_id, op.id, (t) => t.opinions.nCitizenAddedTitle, (t) => t.opinions.nCitizenAddedBody(op.title));
    return op.public_visible === 1;
  });
  if (wasPublic) ctx.pageCache.invalidate();
}

const ratingValues = ['3', '2', '1'] as const;
const rateSpec = {
  handling: choice({ label: (t) => t.opinions.fHandling, values: ratingValues }),
  result: choice({ label: (t) => t.opinions.fResult, values: ratingValues }),
  comment: text({ label: (t) => t.opinions.fComment, max: 1000, required: false, multiline: true }),
};

/**
 * The sender rates the reply: the handling and the result separately. "Not satisfied" on
 * either reopens the opinion once (a new reply clock) and tells the supervising body; a
 * second rating closes it whatever it says.
 */
export async function rateOpinion(ctx: AppContext, opinion: OpinionRow, raw: unknown): Promise<{ reopened: boolean }> {
  const src = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const v = validate(rateSpec, { ...src, handling: src.handling === undefined ? undefined : String(src.handling), result: src.result === undefined ? undefined : String(src.result) });
  const handling = Number(v.handling);
  const result = Number(v.result);
  const out = await transaction(ctx.database, async (trx) => {
    const op = await loadOpinion(trx, opinion.id);
    if (op.status !== 'replied') throw new ConflictError((t) => (op.status === 'closed' ? t.opinions.errAlreadyRated : t.opinions.errNothingToRate));
    const round = op.reopen_count + 1;
    const exists = await trx.selectFrom('opinion_ratings').select('id').where('opinion_id', '=', op.id).where('round', '=', round).executeTakeFirst();
    if (exists) throw new ConflictError((t) => t.opinions.errAlreadyRated);
    const now = new Date().toISOString();
    await trx.insertInto('opinion_ratings').values({ opinion_id: op.id, round, handling, result, comment: v.comment, created_at: now }).execute();
    const unhappy = handling === NOT_SATISFIED || result === NOT_SATISFIED;
    const reopen = unhappy && op.reopen_count === 0;
    if (reopen) {
      const cat = await trx.selectFrom('opinion_categories').select('reply_days').where('key', '=', op.category_key).executeTakeFirst();
      const replyDue = addWorkingDays(now, cat?.reply_days ?? 15);
      await trx.updateTable('opinions').set({
        status: 'accepted', reopen_count: 1, reply_due: replyDue, rating_handling: handling, rating_result: result,
        reply_reminded_at: null, escalated_at: null, updated_at: now,
      }).where('id', '=', op.id).execute();
    } else {
      await trx.updateTable('opinions').set({ status: 'closed', closed_at: now, rating_handling: handling, rating_result: result, updated_at: now })
        .where('id', '=', op.id).execute();
    }
    await appendEvent(trx, { streamType: 'opinion', streamId: op.id, action: 'rated', actorId: op.citizen_id, data: { round, handling, result } });
    await appendEvent(trx, { streamType: 'opinion', streamId: op.id, action: reopen ? 'reopened' : 'closed', actorId: op.citizen_id, data: {} });
    if (unhappy) {
      // Supervisors hear of it: the handling body's inbox people and those of the body above.
      const parent = await trx.selectFrom('bodies').select('parent_id').where('id', '=', op.handler_body_id).executeTakeFirst();
      const people = new Set([...(await inboxPeople(trx, op.handler_body_id)), ...(parent?.parent_id ? await inboxPeople(trx, parent.parent_id) : [])]);
      if (op.handler_user_id) people.add(op.handler_user_id);
      await notifyPeople(trx, [...people], handlerLink(op.id), (t) => t.opinions.nRatedBadTitle, (t) => t.opinions.nRatedBadBody(op.title));
    }
    await notifyCitizen(trx, op.citizen_id, op.id, (t) => t.opinions.nChangedTitle(op.tracking_code), reopen ? (t) => t.opinions.nReopened : (t) => t.opinions.nClosed);
    return { reopened: reopen, wasPublic: op.public_visible === 1 };
  });
  if (out.wasPublic) ctx.pageCache.invalidate();
  return { reopened: out.reopened };
}
