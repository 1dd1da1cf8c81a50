import type { AppContext } from '../../context.js';
import { type Executor, type Trx, transaction } from '../../db/database.js';
import type { OpinionEntryKind, OpinionStatus } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { addWorkingDays } from '../../platform/calendar/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { indexDocument, removeDocument } from '../../platform/search/index.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { int, text, validate } from '../../platform/validation.js';
import type { LocalText } from '../../web/i18n/index.js';
import { createActionItem } from '../actions/service.js';
import { type OpinionRow, assertHandler, loadOpinion } from './access.js';
import { formatTrackingCode, OPEN_STATUSES, parseTrackingCode } from './model.js';
import { notifyCitizen, notifyInbox } from './notices.js';
import { memberSeat } from './recipient.js';
import { learnRouting } from './routing.js';

// What handlers do with an opinion. Each action is one transaction: the change, its
// hash-chained timeline event and the notifications (outbox) commit together or not at all.

interface Step {
  action: string;
  data?: Record<string, unknown>;
  /** What the citizen is told (and everyone following a merged duplicate). */
  citizen?: LocalText;
  publicChanged?: boolean;
}

/** Runs a handler's action: loads the opinion in the transaction, checks rights and status, records the event. */
async function act(
  ctx: AppContext, user: CurrentUser | null, id: number, allowed: readonly OpinionStatus[],
  fn: (trx: Trx, op: OpinionRow, actor: CurrentUser, now: string) => Promise<Step>,
): Promise<void> {
  const changedPublic = await transaction(ctx.database, async (trx) => {
    const op = await loadOpinion(trx, id);
    const actor = await assertHandler(trx, user, op);
    if (!allowed.includes(op.status)) throw new ConflictError((t) => t.opinions.errWrongStatus);
    const now = new Date().toISOString();
    const step = await fn(trx, op, actor, now);
    await trx.updateTable('opinions').set({ updated_at: now }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'opinion', streamId: id, action: step.action, actorId: actor.id, data: step.data ?? {} });
    if (step.citizen) {
      const code = formatTrackingCode(op.tracking_code);
      const body = step.citizen;
      await notifyFollowers(trx, op, (t) => t.opinions.nChangedTitle(code), body);
    }
    return step.publicChanged || op.public_visible === 1;
  });
  if (changedPublic) ctx.pageCache.invalidate();
}

/** The sender, and the senders of duplicates merged into this one. */
export async function notifyFollowers(trx: Executor, op: Pick<OpinionRow, 'id' | 'citizen_id'>, title: LocalText, body: LocalText): Promise<void> {
  await notifyCitizen(trx, op.citizen_id, op.id, title, body);
  const merged = await trx.selectFrom('opinions').select(['id', 'citizen_id']).where('merged_into_id', '=', op.id).execute();
  for (const m of merged) if (m.citizen_id !== op.citizen_id) await notifyCitizen(trx, m.citizen_id, m.id, title, body);
}

async function addEntry(trx: Executor, opinionId: number, kind: OpinionEntryKind, body: string, authorId: number | null, authorBodyId: number | null, now: string): Promise<number> {
  const row = await trx.insertInto('opinion_entries').values({ opinion_id: opinionId, kind, author_id: authorId, author_body_id: authorBodyId, body, created_at: now })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

async function bodyName(db: Executor, bodyId: number): Promise<string> {
  return (await db.selectFrom('bodies').select('name').where('id', '=', bodyId).executeTakeFirst())?.name ?? '';
}

/** Who answers, as the citizen sees it: the member's name, or the body. */
async function handlerName(db: Executor, op: OpinionRow): Promise<string> {
  if (op.handler_user_id) {
    const u = await db.selectFrom('users').select('display_name').where('id', '=', op.handler_user_id).executeTakeFirst();
    if (u) return u.display_name;
  }
  return bodyName(db, op.handler_body_id);
}

/** Puts a public opinion in (or takes it out of) the public search index. */
export async function syncPublicIndex(trx: Executor, id: number): Promise<void> {
  const op = await loadOpinion(trx, id);
  if (op.public_visible === 1) {
    await indexDocument(trx, { docType: 'opinion', docId: id, title: op.title, text: op.body, url: `/opinions/${id}`, publishedAt: op.accepted_at ?? op.created_at });
  } else {
    await removeDocument(trx, 'opinion', id);
  }
}

export async function acceptOpinion(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  await act(ctx, user, id, ['received'], async (trx, op, _actor, now) => {
    const visible = op.public_consent === 1 ? 1 : 0;
    await trx.updateTable('opinions').set({ status: 'accepted', accepted_at: now, public_visible: visible }).where('id', '=', id).execute();
    if (visible) await syncPublicIndex(trx, id);
    const by = await handlerName(trx, op);
    return { action: 'accepted', data: { replyDue: op.reply_due }, citizen: (t) => t.opinions.nAccepted(by, op.reply_due), publicChanged: visible === 1 };
  });
}

const reasonSpec = { reason: text({ label: (t) => t.opinions.fReason, max: 1000, min: 4, multiline: true }) };

export async function declineOpinion(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const v = validate(reasonSpec, raw);
  await act(ctx, user, id, ['received', 'accepted'], async (trx, op, actor, now) => {
    const entryId = await addEntry(trx, id, 'decline_reason', v.reason, actor.id, op.handler_body_id, now);
    await trx.updateTable('opinions').set({ status: 'declined', declined_at: now, closed_at: now, public_visible: 0 }).where('id', '=', id).execute();
    await removeDocument(trx, 'opinion', id);
    const by = await handlerName(trx, op);
    return { action: 'declined', data: { entryId }, citizen: (t) => t.opinions.nDeclined(by), publicChanged: op.public_visible === 1 };
  });
}

const replySpec = { reply: text({ label: (t) => t.opinions.fReply, max: 5000, min: 4, multiline: true }) };

export async function replyToOpinion(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const v = validate(replySpec, raw);
  await act(ctx, user, id, ['accepted', 'replied'], async (trx, op, actor, now) => {
    await recordReply(trx, op, v.reply, actor.id, op.handler_body_id, now);
    return { action: 'replied', data: { entryId: await lastEntryId(trx, id) }, citizen: (t) => t.opinions.nReplied };
  });
}

async function lastEntryId(trx: Executor, opinionId: number): Promise<number> {
  const r = await trx.selectFrom('opinion_entries').select('id').where('opinion_id', '=', opinionId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return r.id;
}

/** A reply (from the handler, or a department's answer): the citizen may now rate it. */
export async function recordReply(trx: Executor, op: OpinionRow, reply: string, authorId: number, authorBodyId: number, now: string): Promise<void> {
  await addEntry(trx, op.id, 'reply', reply, authorId, authorBodyId, now);
  await trx.updateTable('opinions').set({
    status: 'replied', replied_at: now, first_replied_at: op.first_replied_at ?? now, reply_text: reply,
  }).where('id', '=', op.id).execute();
}

const questionSpec = { question: text({ label: (t) => t.opinions.fQuestion, max: 1000, min: 4, multiline: true }) };

export async function askCitizen(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const v = validate(questionSpec, raw);
  await act(ctx, user, id, ['received', 'accepted'], async (trx, op, actor, now) => {
    const entryId = await addEntry(trx, id, 'question', v.question, actor.id, op.handler_body_id, now);
    return { action: 'question', data: { entryId }, citizen: (t) => t.opinions.nQuestion };
  });
}

const assignSpec = {
  bodyId: int({ label: (t) => t.opinions.fAssignBody, min: 1, required: false }),
  memberId: int({ label: (t) => t.opinions.fAssignMember, min: 1, required: false }),
  note: text({ label: (t) => t.opinions.fNote, max: 500, required: false, multiline: true }),
};

/**
 * Passes an opinion to another body or member. The clocks keep running: passing it on does
 * not give anyone more time. When staff route an unaddressed opinion, the suggester learns
 * from their choice.
 */
export async function assignOpinion(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const v = validate(assignSpec, raw);
  if (!v.bodyId && !v.memberId) throw new ValidationError([{ field: 'bodyId', message: (t) => t.opinions.errTargetBody }]);
  await act(ctx, user, id, ['received', 'accepted'], async (trx, op, actor, now) => {
    let bodyId: number;
    let memberId: number | null = null;
    if (v.memberId) {
      const seat = await memberSeat(trx, v.memberId);
      if (!seat) throw new ValidationError([{ field: 'memberId', message: (t) => t.opinions.errTargetMember }]);
      bodyId = v.bodyId ?? seat.bodyId;
      memberId = v.memberId;
    } else {
      const body = await trx.selectFrom('bodies').select(['id', 'kind']).where('id', '=', v.bodyId as number).executeTakeFirst();
      if (!body || body.kind === 'department') throw new ValidationError([{ field: 'bodyId', message: (t) => t.opinions.errTargetBody }]);
      bodyId = body.id;
    }
    const entryId = v.note ? await addEntry(trx, id, 'note', v.note, actor.id, op.handler_body_id, now) : null;
    const routing = op.target_type === 'route' && op.routing_confirmed === 0;
    await trx.updateTable('opinions').set({ handler_body_id: bodyId, handler_user_id: memberId, routing_confirmed: 1 }).where('id', '=', id).execute();
    if (routing && !memberId) await learnRouting(trx, op, bodyId);
    const to = memberId ? (await trx.selectFrom('users').select('display_name').where('id', '=', memberId).executeTakeFirst())?.display_name ?? '' : await bodyName(trx, bodyId);
    await notifyInbox(trx, bodyId, memberId, id, (t) => t.opinions.nNewInboxTitle, (t) => t.opinions.nNewInboxBody(op.title, op.status === 'received' ? op.accept_due : op.reply_due));
    return {
      action: routing ? 'routed' : 'assigned',
      data: { fromBodyId: op.handler_body_id, fromUserId: op.handler_user_id, toBodyId: bodyId, toUserId: memberId, entryId, suggestedBodyId: op.suggested_body_id },
      citizen: (t) => t.opinions.nAssigned(to),
      publicChanged: op.public_visible === 1,
    };
  });
}

const forwardSpec = {
  departmentId: int({ label: (t) => t.opinions.fDepartment, min: 1 }),
  instructions: text({ label: (t) => t.opinions.fInstructions, max: 2000, min: 4, multiline: true }),
  dueDays: int({ label: (t) => t.opinions.fDueDays, min: 1, max: 60, required: false }),
};

/** Forwards to a government department as an action item; by default due when the reply is. */
export async function forwardOpinion(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<number> {
  const v = validate(forwardSpec, raw);
  let itemId = 0;
  await act(ctx, user, id, ['accepted', 'replied'], async (trx, op, actor, now) => {
    const dueOn = v.dueDays ? addWorkingDays(now, v.dueDays) : op.reply_due < now.slice(0, 10) ? addWorkingDays(now, 5) : op.reply_due;
    itemId = await createActionItem(trx, {
      sourceType: 'opinion', sourceId: id, title: op.title, instructions: v.instructions, ownerBodyId: v.departmentId,
      dueOn, assignedBy: actor.id, assignedByBodyId: op.handler_body_id,
    });
    if (op.status === 'replied') await trx.updateTable('opinions').set({ status: 'accepted' }).where('id', '=', id).execute();
    const dept = await bodyName(trx, v.departmentId);
    return { action: 'forwarded', data: { actionItemId: itemId, departmentId: v.departmentId, dueOn }, citizen: (t) => t.opinions.nForwarded(dept) };
  });
  return itemId;
}

const mergeSpec = { into: text({ label: (t) => t.opinions.fMergeInto, max: 20 }) };

/** Merges a duplicate into another open opinion; its sender is told and follows the other. */
export async function mergeOpinion(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<number> {
  const v = validate(mergeSpec, raw);
  const code = parseTrackingCode(v.into);
  const fail = (m: LocalText) => new ValidationError([{ field: 'into', message: m }]);
  if (!code) throw fail((t) => t.opinions.errMergeTarget);
  let targetId = 0;
  await act(ctx, user, id, ['received', 'accepted'], async (trx, op, actor, now) => {
    const target = await trx.selectFrom('opinions').selectAll().where('tracking_code', '=', code).executeTakeFirst();
    if (!target || !OPEN_STATUSES.includes(target.status)) throw fail((t) => t.opinions.errMergeTarget);
    if (target.id === id) throw fail((t) => t.opinions.errMergeSelf);
    await assertHandler(trx, actor, target);
    targetId = target.id;
    await trx.updateTable('opinions').set({ status: 'merged', merged_into_id: target.id, closed_at: now, public_visible: 0 }).where('id', '=', id).execute();
    // Duplicates merged into this one follow the target too.
    await trx.updateTable('opinions').set({ merged_into_id: target.id }).where('merged_into_id', '=', id).execute();
    await removeDocument(trx, 'opinion', id);
    await appendEvent(trx, { streamType: 'opinion', streamId: target.id, action: 'absorbed', actorId: actor.id, data: { opinionId: id } });
    const shown = formatTrackingCode(target.tracking_code);
    return { action: 'merged', data: { intoId: target.id }, citizen: (t) => t.opinions.nMerged(shown), publicChanged: op.public_visible === 1 };
  });
  return targetId;
}

/** Closes a replied opinion the citizen has not rated (or after a second round). */
export async function closeOpinion(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  await act(ctx, user, id, ['replied'], async (trx, _op, _actor, now) => {
    await trx.updateTable('opinions').set({ status: 'closed', closed_at: now }).where('id', '=', id).execute();
    return { action: 'closed', citizen: (t) => t.opinions.nClosed };
  });
}

/** Takes a public opinion out of the public list (or back in, if its sender allowed it). */
export async function setPublicVisible(ctx: AppContext, user: CurrentUser | null, id: number, visible: boolean): Promise<void> {
  await act(ctx, user, id, ['accepted', 'replied', 'closed'], async (trx, op) => {
    if (visible && op.public_consent !== 1) throw new ConflictError((t) => t.opinions.errWrongStatus);
    await trx.updateTable('opinions').set({ public_visible: visible ? 1 : 0 }).where('id', '=', id).execute();
    await syncPublicIndex(trx, id);
    return { action: visible ? 'shown' : 'hidden', publicChanged: true };
  });
}

const reportSpec = { title: text({ label: (t) => t.opinions.fTitle, max: 100, required: false }) };

/**
 * Starts a member's public-sentiment report (社情民意信息) from one or more opinions; the
 * report links back to the voices it came from, and each opinion's timeline says so.
 */
export async function draftSentimentReport(ctx: AppContext, user: CurrentUser | null, opinionIds: number[], raw: unknown): Promise<number> {
  const v = validate(reportSpec, raw);
  const ids = [...new Set(opinionIds)].filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, 50);
  if (ids.length === 0) throw new NotFoundError();
  return transaction(ctx.database, async (trx) => {
    const ops = await trx.selectFrom('opinions').selectAll().where('id', 'in', ids).orderBy('id').execute();
    if (ops.length !== ids.length) throw new NotFoundError();
    let actor: CurrentUser | null = null;
    for (const op of ops) actor = await assertHandler(trx, user, op);
    if (!actor) throw new NotFoundError();
    const now = new Date().toISOString();
    const first = ops[0] as OpinionRow;
    const body = ops.map((o) => `【${formatTrackingCode(o.tracking_code)}】${o.title}\n${o.body}`).join('\n\n');
    const report = await trx.insertInto('sentiment_reports').values({
      author_id: actor.id, title: v.title ?? first.title, body, status: 'draft', created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('sentiment_report_sources').values(ops.map((o) => ({ report_id: report.id, opinion_id: o.id }))).execute();
    for (const o of ops) {
      await appendEvent(trx, { streamType: 'opinion', streamId: o.id, action: 'report_drafted', actorId: actor.id, data: { reportId: report.id } });
    }
    return report.id;
  });
}

export { addEntry, handlerName, bodyName };
