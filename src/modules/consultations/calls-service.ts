import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { TopicStatus } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { checkbox, date, int, text, validate } from '../../platform/validation.js';
import { type TopicCallRow, assertManageAny, assertOrganiser, loadCall, personKind, requireUser, scopes, validId } from './access.js';

// 议题征集: staff open a call for a period; signed-in citizens and members propose topics
// with reasons; others support them (once each, withdrawable) and comment. Supports inform
// the choice of topics; they are counted per topic and never turned into a ranking of people.

export type CallState = 'draft' | 'upcoming' | 'open' | 'closed';
export const TOPIC_STREAM = 'consultation_topic';
/** How many topics one person may propose to one call (keeps a call readable). */
export const MAX_TOPICS_PER_PERSON = 5;

export function callState(call: Pick<TopicCallRow, 'published' | 'opens_on' | 'closes_on' | 'closed_at'>, today = chinaDate(new Date())): CallState {
  if (call.published !== 1) return 'draft';
  if (call.closed_at !== null || today > call.closes_on) return 'closed';
  return today < call.opens_on ? 'upcoming' : 'open';
}

const callSpec = {
  bodyId: int({ label: (t) => t.consultations.fBody, min: 1 }),
  title: text({ label: (t) => t.consultations.fCallTitle, max: 100, min: 4 }),
  description: text({ label: (t) => t.consultations.fCallDescription, max: 5000, multiline: true }),
  opensOn: date({ label: (t) => t.consultations.fOpensOn }),
  closesOn: date({ label: (t) => t.consultations.fClosesOn }),
  planYear: int({ label: (t) => t.consultations.fPlanYear, required: false, min: 2000, max: 2100 }),
  published: checkbox({ label: (t) => t.consultations.fPublished }),
};

/** Creates (id null) or edits a call; the editor must manage the call's body (before and after). */
export async function saveCall(ctx: AppContext, user: CurrentUser | null, id: number | null, raw: unknown): Promise<number> {
  await assertOrganiser(ctx.database.db, user);
  const v = validate(callSpec, raw);
  if (v.closesOn < v.opensOn) throw new ValidationError([{ field: 'closesOn', message: (t) => t.consultations.errClosesBeforeOpens }]);
  const db = ctx.database.db;
  const existing = id === null ? null : await loadCall(db, id);
  const actor = await assertManageAny(db, user, [v.bodyId]);
  if (existing) await assertManageAny(db, user, [existing.body_id]);
  const now = new Date().toISOString();
  const values = {
    body_id: v.bodyId, title: v.title, description: v.description, opens_on: v.opensOn, closes_on: v.closesOn,
    plan_year: v.planYear, published: v.published ? 1 : 0, updated_at: now,
  };
  const saved = await transaction(ctx.database, async (trx) => {
    const callId = existing
      ? (await trx.updateTable('topic_calls').set(values).where('id', '=', existing.id).execute(), existing.id)
      : (await trx.insertInto('topic_calls').values({ ...values, closed_at: null, created_by: actor.id, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    await appendEvent(trx, { streamType: 'topic_call', streamId: callId, action: existing ? 'updated' : 'created', actorId: actor.id, data: { published: v.published, opensOn: v.opensOn, closesOn: v.closesOn } });
    return callId;
  });
  ctx.pageCache.invalidate();
  return saved;
}

export async function closeCall(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const call = await loadCall(ctx.database.db, id);
  const actor = await assertManageAny(ctx.database.db, user, [call.body_id]);
  if (call.closed_at !== null) throw new ConflictError((t) => t.consultations.errCallClosed);
  await transaction(ctx.database, async (trx) => {
    await trx.updateTable('topic_calls').set({ closed_at: new Date().toISOString() }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'topic_call', streamId: id, action: 'closed', actorId: actor.id });
  });
  ctx.pageCache.invalidate();
}

/** Titles that differ only in spacing, width of letters or case are the same topic. */
export const titleHash = (title: string): string =>
  createHash('sha256').update(title.normalize('NFKC').replace(/\s+/g, '').toLowerCase()).digest('hex');

const topicSpec = {
  title: text({ label: (t) => t.consultations.fTopicTitle, max: 60, min: 4 }),
  reason: text({ label: (t) => t.consultations.fTopicReason, max: 2000, min: 10, multiline: true }),
};

export async function proposeTopic(ctx: AppContext, user: CurrentUser | null, callId: number, raw: unknown): Promise<number> {
  const proposer = requireUser(user);
  const call = await loadCall(ctx.database.db, callId);
  if (callState(call) !== 'open') throw new ConflictError((t) => t.consultations.errCallNotOpen);
  const v = validate(topicSpec, raw);
  const hash = titleHash(v.title);
  const kind = personKind(proposer, (await scopes(ctx.database.db)).scopeOf(call.body_id).bodyPath);
  const id = await transaction(ctx.database, async (trx) => {
    const same = await trx.selectFrom('consultation_topics').select('id').where('call_id', '=', callId).where('content_hash', '=', hash).executeTakeFirst();
    if (same) throw new ValidationError([{ field: 'title', message: (t) => t.consultations.errTopicExists }]);
    const mine = await trx.selectFrom('consultation_topics').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('call_id', '=', callId).where('proposer_id', '=', proposer.id).executeTakeFirstOrThrow();
    if (Number(mine.n) >= MAX_TOPICS_PER_PERSON) throw new ConflictError((t) => t.consultations.errTooManyTopics(MAX_TOPICS_PER_PERSON));
    const now = new Date().toISOString();
    const row = await trx.insertInto('consultation_topics').values({
      call_id: callId, body_id: call.body_id, title: v.title, reason: v.reason, proposer_id: proposer.id, proposer_kind: kind,
      status: 'proposed', staff_note: null, content_hash: hash, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: TOPIC_STREAM, streamId: row.id, action: 'proposed', actorId: proposer.id, data: { callId, proposerKind: kind } });
    return row.id;
  });
  ctx.pageCache.invalidate();
  return id;
}

export interface TopicRef { id: number; call_id: number | null; body_id: number; status: TopicStatus; proposer_id: number | null; title: string }

export async function loadTopic(db: Executor, id: number): Promise<TopicRef> {
  if (!validId(id)) throw new NotFoundError();
  const row = await db.selectFrom('consultation_topics').select(['id', 'call_id', 'body_id', 'status', 'proposer_id', 'title']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** A topic people may still support and discuss: visible, and its call open. */
async function openTopic(db: Executor, id: number): Promise<TopicRef> {
  const topic = await loadTopic(db, id);
  if (topic.status === 'hidden') throw new NotFoundError();
  const call = topic.call_id === null ? null : await loadCall(db, topic.call_id);
  if (!call || callState(call) !== 'open') throw new ConflictError((t) => t.consultations.errCallNotOpen);
  return topic;
}

export async function supportTopic(ctx: AppContext, user: CurrentUser | null, topicId: number): Promise<void> {
  const supporter = requireUser(user);
  const topic = await openTopic(ctx.database.db, topicId);
  if (topic.proposer_id === supporter.id) throw new ConflictError((t) => t.consultations.errOwnTopic);
  await transaction(ctx.database, async (trx) => {
    const res = await trx.insertInto('topic_supports').values({ topic_id: topicId, user_id: supporter.id, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['topic_id', 'user_id']).doNothing()).executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) throw new ConflictError((t) => t.consultations.errAlreadySupported);
    await trx.updateTable('consultation_topics').set((eb) => ({ support_count: eb('support_count', '+', 1) })).where('id', '=', topicId).execute();
  });
  ctx.pageCache.invalidate();
}

export async function withdrawSupport(ctx: AppContext, user: CurrentUser | null, topicId: number): Promise<void> {
  const supporter = requireUser(user);
  await openTopic(ctx.database.db, topicId);
  await transaction(ctx.database, async (trx) => {
    const res = await trx.deleteFrom('topic_supports').where('topic_id', '=', topicId).where('user_id', '=', supporter.id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new ConflictError((t) => t.consultations.errNotSupported);
    await trx.updateTable('consultation_topics').set((eb) => ({ support_count: eb('support_count', '-', 1) })).where('id', '=', topicId).execute();
  });
  ctx.pageCache.invalidate();
}

const commentSpec = { body: text({ label: (t) => t.consultations.fComment, max: 1000, min: 2, multiline: true }) };

export async function commentOnTopic(ctx: AppContext, user: CurrentUser | null, topicId: number, raw: unknown): Promise<number> {
  const author = requireUser(user);
  await openTopic(ctx.database.db, topicId);
  const v = validate(commentSpec, raw);
  const id = await transaction(ctx.database, async (trx) => {
    const row = await trx.insertInto('topic_comments').values({ topic_id: topicId, author_id: author.id, body: v.body, status: 'visible', created_at: new Date().toISOString() })
      .returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('consultation_topics').set((eb) => ({ comment_count: eb('comment_count', '+', 1) })).where('id', '=', topicId).execute();
    return row.id;
  });
  ctx.pageCache.invalidate();
  return id;
}

export type TopicModeration = 'hide' | 'restore' | 'decline';
const noteSpec = { note: text({ label: (t) => t.consultations.fStaffNote, max: 500, required: false, multiline: true }) };

/** Staff hide a topic (off-topic, abusive), restore it, or decline it with a public note. */
export async function moderateTopic(ctx: AppContext, user: CurrentUser | null, topicId: number, action: TopicModeration, raw: unknown): Promise<TopicRef> {
  const topic = await loadTopic(ctx.database.db, topicId);
  const actor = await assertManageAny(ctx.database.db, user, [topic.body_id]);
  const v = validate(noteSpec, raw);
  if (topic.status === 'selected') throw new ConflictError((t) => t.consultations.errTopicSelected);
  if (action === 'decline' && !v.note) throw new ValidationError([{ field: 'note', message: (t) => t.consultations.errNoteRequired }]);
  const status: TopicStatus = action === 'hide' ? 'hidden' : action === 'decline' ? 'declined' : 'proposed';
  await transaction(ctx.database, async (trx) => {
    await trx.updateTable('consultation_topics').set({ status, staff_note: action === 'restore' ? null : v.note, updated_at: new Date().toISOString() })
      .where('id', '=', topicId).execute();
    await appendEvent(trx, { streamType: TOPIC_STREAM, streamId: topicId, action, actorId: actor.id, data: { note: v.note } });
  });
  ctx.pageCache.invalidate();
  return topic;
}
