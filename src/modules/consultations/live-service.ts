import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../platform/errors.js';
import { type LiveEvent, liveHub } from '../../platform/live/hub.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { choice, text, validate } from '../../platform/validation.js';
import { type ConsultationRow, STREAM, personKind, requireUser, validId } from './access.js';
import { type LiveHead, type LiveRights, departmentBodies, liveHead, readable, sessionOpen } from './live-rights.js';
import { type WaitingList, waitingQuestions } from './live-waiting.js';

// The live question session (请你来协商): members and confirmed registrants queue questions,
// organisers mark the one being asked or hide abusive ones, department representatives
// answer. Every change is an audit event on the consultation's stream; the event's id is
// also the live event's id, so a reconnecting page resumes from the record.

export const QUESTION_MAX = 300;
export const ANSWER_MAX = 1000;
/** One question per person per consultation in this window, and at most this many in all. */
export const QUESTION_INTERVAL_MS = 30_000;
export const QUESTIONS_PER_PERSON = 10;

export const liveTopic = (consultationId: number): string => `consultation:${consultationId}`;

/**
 * Why a question was hidden, as a category the public may see (the organiser's note, in
 * `hidden_reason`, is not shown): a hidden question leaves a trace in its place — that a question
 * was hidden, when, and this category — so the session stays on the record without the text.
 */
export const HIDE_CATEGORIES = ['abuse', 'privacy', 'off_topic', 'duplicate', 'other'] as const;
export type HideCategory = (typeof HIDE_CATEGORIES)[number];
const hideCategory = (v: unknown): HideCategory | null => (HIDE_CATEGORIES as readonly unknown[]).includes(v) ? v as HideCategory : null;

export interface LiveQuestion {
  id: number; body: string; authorKind: 'member' | 'citizen' | 'staff'; status: 'queued' | 'answered' | 'hidden';
  addressedTo: string | null; createdAt: string; answers: LiveAnswer[];
  /** For a hidden question: when, and the category given (null for those hidden before categories). */
  hidden: { at: string; category: HideCategory | null } | null;
}
export interface LiveAnswer { id: number; questionId: number; body: string; bodyName: string | null; createdAt: string }

export interface LiveView {
  c: ConsultationRow; questions: LiveQuestion[]; askingId: number | null; lastEventId: number; rights: LiveRights; open: boolean;
  departments: Array<{ id: number; name: string }>;
  /** The page: `before` as asked (null: the newest questions); `olderBefore` the id to ask older ones with, when there are any. */
  before: number | null; olderBefore: number | null;
  /** On the newest page, the questions older than it still waiting for an answer (see live-waiting.ts). */
  waiting: WaitingList | null;
}

/** Questions shown on one page of the session: the newest this many (with their answers), older ones by `?before=<id>`. */
export const LIVE_PAGE_SIZE = 50;

/** One page of questions: the newest `limit` with an id below `before` (all of them by id when `ids` is given). */
interface QuestionPage { questions: LiveQuestion[]; more: boolean }

/** When each of these hidden questions was hidden and in which category, from the record (the latest hiding of each). */
async function hidings(db: Executor, consultationId: number, questionIds: number[]): Promise<Map<number, { at: string; category: HideCategory | null }>> {
  const out = new Map<number, { at: string; category: HideCategory | null }>();
  if (!questionIds.length) return out;
  const wanted = new Set(questionIds);
  const rows = await db.selectFrom('audit_events').select(['data', 'created_at']).where('stream_type', '=', STREAM)
    .where('stream_id', '=', String(consultationId)).where('action', '=', 'live.hidden').orderBy('id').execute();
  for (const r of rows) {
    const d = JSON.parse(r.data) as { questionId?: number; category?: unknown };
    if (typeof d.questionId === 'number' && wanted.has(d.questionId)) out.set(d.questionId, { at: r.created_at, category: hideCategory(d.category) });
  }
  return out;
}

/**
 * Hidden questions are always in the list, in their place; without `withHidden` (everyone but the
 * organisers) they come with no text and no answers, as a trace.
 */
async function loadQuestions(db: Executor, consultationId: number, ids: number[] | null, withHidden: boolean, page?: { before: number | null; limit: number }): Promise<QuestionPage> {
  if (ids && !ids.length) return { questions: [], more: false };
  let q = db.selectFrom('consultation_questions').leftJoin('bodies', 'bodies.id', 'consultation_questions.addressed_body_id')
    .select(['consultation_questions.id', 'consultation_questions.body', 'author_kind', 'status', 'consultation_questions.created_at', 'consultation_questions.updated_at', 'bodies.name as addressed'])
    .where('consultation_questions.consultation_id', '=', consultationId);
  if (ids) q = q.where('consultation_questions.id', 'in', ids);
  if (page?.before) q = q.where('consultation_questions.id', '<', page.before);
  // A page reads one row more than it shows, to know whether older questions remain.
  let rows = page
    ? (await q.orderBy('consultation_questions.id', 'desc').limit(page.limit + 1).execute()).reverse()
    : await q.orderBy('consultation_questions.id').limit(2000).execute();
  const more = Boolean(page && rows.length > page.limit);
  if (more) rows = rows.slice(1);
  const shown = withHidden ? rows : rows.filter((r) => r.status !== 'hidden');
  const [answers, hidden] = await Promise.all([
    shown.length ? loadAnswers(db, consultationId, null, shown.map((r) => r.id)) : [],
    hidings(db, consultationId, rows.filter((r) => r.status === 'hidden').map((r) => r.id)),
  ]);
  const byQuestion = new Map<number, LiveAnswer[]>();
  for (const a of answers) {
    const list = byQuestion.get(a.questionId);
    if (list) list.push(a);
    else byQuestion.set(a.questionId, [a]);
  }
  return {
    more,
    questions: rows.map((r) => {
      const trace = r.status === 'hidden' && !withHidden;
      return {
        id: r.id, body: trace ? '' : r.body, authorKind: r.author_kind, status: r.status, addressedTo: trace ? null : r.addressed, createdAt: r.created_at,
        answers: byQuestion.get(r.id) ?? [],
        hidden: r.status === 'hidden' ? hidden.get(r.id) ?? { at: r.updated_at, category: null } : null,
      };
    }),
  };
}

async function loadAnswers(db: Executor, consultationId: number, ids: number[] | null, questionIds?: number[]): Promise<LiveAnswer[]> {
  let q = db.selectFrom('consultation_answers').leftJoin('bodies', 'bodies.id', 'consultation_answers.body_id')
    .select(['consultation_answers.id', 'question_id', 'consultation_answers.body', 'bodies.name as body_name', 'consultation_answers.created_at'])
    .where('consultation_answers.consultation_id', '=', consultationId);
  if (ids) q = q.where('consultation_answers.id', 'in', ids);
  if (questionIds) q = q.where('question_id', 'in', questionIds);
  const rows = await q.orderBy('consultation_answers.id').execute();
  return rows.map((r) => ({ id: r.id, questionId: r.question_id, body: r.body, bodyName: r.body_name, createdAt: r.created_at }));
}

const LIVE_ACTIONS = ['live.question', 'live.answer', 'live.asking', 'live.hidden'] as const;

async function askingOf(db: Executor, id: number): Promise<number | null> {
  const row = await db.selectFrom('audit_events').select('data').where('stream_type', '=', STREAM).where('stream_id', '=', String(id))
    .where('action', '=', 'live.asking').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!row) return null;
  const q = (JSON.parse(row.data) as { questionId?: number }).questionId;
  return typeof q === 'number' ? q : null;
}

// A session's questions with their answers, per database and consultation, kept while the
// consultation's stream has no newer event (each question, answer and moderation appends one):
// pages with forms are rendered per person, but their questions are read once per change.
const questionCache = new WeakMap<object, Map<string, { version: number; questions: Promise<QuestionPage> }>>();
const QUESTION_CACHE_SIZE = 32;

function sessionQuestions(db: Executor, id: number, withHidden: boolean, version: number, before: number | null): Promise<QuestionPage> {
  let cache = questionCache.get(db);
  if (!cache) questionCache.set(db, (cache = new Map()));
  const key = `${id}|${withHidden ? 1 : 0}|${before ?? ''}`;
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.questions;
  const questions = loadQuestions(db, id, null, withHidden, { before, limit: LIVE_PAGE_SIZE });
  cache.delete(key);
  cache.set(key, { version, questions });
  if (cache.size > QUESTION_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  questions.catch(() => { if (cache.get(key)?.questions === questions) cache.delete(key); });
  return questions;
}

/**
 * `?before=` of the page: a question id (digits, in range) or nothing. Anything else is a page
 * that does not exist (null here; the route answers 404).
 */
export function parseBefore(raw: unknown): number | null | undefined {
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return validId(n) ? n : undefined;
}

/**
 * The page of the session: the newest LIVE_PAGE_SIZE questions, or those older than question
 * `before`; the newest page also lists the older questions still waiting (`waitingAfter`: after which one).
 */
export async function liveView(db: Executor, user: CurrentUser | null, id: number, head?: LiveHead, before: number | null = null, waitingAfter: number | null = null): Promise<LiveView> {
  const { c, rights, lastEventId, open } = head ?? await liveHead(db, user, id);
  const [page, askingId, departments] = await Promise.all([sessionQuestions(db, id, rights.moderate, lastEventId, before), askingOf(db, id), departmentBodies(db, id)]);
  const oldest = page.questions[0];
  const olderBefore = page.more && oldest ? oldest.id : null;
  const waiting = before === null && olderBefore !== null ? await waitingQuestions(db, id, olderBefore, waitingAfter, lastEventId) : null;
  return { c, questions: page.questions, askingId, lastEventId, rights, open, departments, before, olderBefore, waiting };
}

/** Public shape of a question in an event (hidden ones carry no text). */
const questionData = (q: LiveQuestion) => ({ id: q.id, body: q.body, authorKind: q.authorKind, status: q.status, addressedTo: q.addressedTo, createdAt: q.createdAt });

/** The session's events after `after`, rebuilt from the record (what was hidden since is sent as hidden). */
export async function replayEvents(db: Executor, consultationId: number, after: number, limit = 500): Promise<LiveEvent[]> {
  const rows = await db.selectFrom('audit_events').select(['id', 'action', 'data', 'created_at']).where('stream_type', '=', STREAM)
    .where('stream_id', '=', String(consultationId)).where('action', 'in', [...LIVE_ACTIONS]).where('id', '>', after)
    .orderBy('id').limit(limit).execute();
  const parsed = rows.map((r) => ({ id: Number(r.id), action: r.action, at: r.created_at, d: JSON.parse(r.data) as { questionId?: number; answerId?: number; wasQueued?: boolean; category?: unknown } }));
  // Events recorded before `wasQueued` was carry none; the page's script then goes by what it shows.
  const was = (d: { wasQueued?: boolean }) => (typeof d.wasQueued === 'boolean' ? { wasQueued: d.wasQueued } : {});
  const qIds = [...new Set(parsed.filter((p) => p.action === 'live.question').map((p) => Number(p.d.questionId)))];
  const aIds = [...new Set(parsed.filter((p) => p.action === 'live.answer').map((p) => Number(p.d.answerId)))];
  const questions = new Map((await loadQuestions(db, consultationId, qIds, true)).questions.map((q) => [q.id, q]));
  const answers = new Map((aIds.length ? await loadAnswers(db, consultationId, aIds) : []).map((a) => [a.id, a]));
  const out: LiveEvent[] = [];
  for (const p of parsed) {
    const qid = Number(p.d.questionId);
    if (p.action === 'live.question') {
      const q = questions.get(qid);
      if (!q) continue;
      out.push(q.status === 'hidden'
        ? { id: p.id, event: 'hidden', data: JSON.stringify({ questionId: qid, hiddenAt: q.hidden?.at ?? null, category: q.hidden?.category ?? null }) }
        : { id: p.id, event: 'question', data: JSON.stringify(questionData(q)) });
    } else if (p.action === 'live.answer') {
      const a = answers.get(Number(p.d.answerId));
      if (a) out.push({ id: p.id, event: 'answer', data: JSON.stringify({ ...a, ...was(p.d) }) });
    } else if (p.action === 'live.asking') {
      out.push({ id: p.id, event: 'asking', data: JSON.stringify({ questionId: qid }) });
    } else {
      out.push({ id: p.id, event: 'hidden', data: JSON.stringify({ questionId: qid, ...was(p.d), hiddenAt: p.at, category: hideCategory(p.d.category) }) });
    }
  }
  return out;
}

const askSpec = {
  body: text({ label: (t) => t.consultationsLive.fQuestion, max: QUESTION_MAX, multiline: true }),
  addressedBodyId: text({ label: (t) => t.consultationsLive.fAddressed, max: 12, required: false, pattern: /^\d{1,10}$/ }),
};

export async function askQuestion(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<number> {
  const person = requireUser(user);
  const db = ctx.database.db;
  const { c, rights } = await readable(db, person, id);
  if (!rights.ask) throw new ForbiddenError((t) => t.consultationsLive.errMayNotAsk);
  if (!sessionOpen(c)) throw new ConflictError((t) => t.consultationsLive.errClosed);
  const v = validate(askSpec, raw);
  const departments = await departmentBodies(db, id);
  const addressed = v.addressedBodyId ? Number(v.addressedBodyId) : null;
  if (addressed !== null && !departments.some((d) => d.id === addressed)) {
    throw new ValidationError([{ field: 'addressedBodyId', message: (t) => t.common.errInvalidChoice(t.consultationsLive.fAddressed) }]);
  }
  const since = new Date(Date.now() - QUESTION_INTERVAL_MS).toISOString();
  const { questionId, eventId, createdAt } = await transaction(ctx.database, async (trx) => {
    const mine = await trx.selectFrom('consultation_questions').select(['created_at']).where('consultation_id', '=', id).where('author_id', '=', person.id).execute();
    if (mine.length >= QUESTIONS_PER_PERSON || mine.some((m) => m.created_at > since)) throw new RateLimitedError((t) => t.consultationsLive.errTooMany);
    const now = new Date().toISOString();
    const kind = rights.moderate && personKind(person) !== 'member' ? 'staff' : personKind(person);
    const row = await trx.insertInto('consultation_questions').values({
      consultation_id: id, author_id: person.id, author_kind: kind, addressed_body_id: addressed, body: v.body, status: 'queued',
      hidden_reason: null, answered_at: null, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const ev = await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'live.question', actorId: person.id, data: { questionId: row.id } });
    return { questionId: row.id, eventId: ev.id, createdAt: now };
  });
  const q: LiveQuestion = {
    id: questionId, body: v.body, authorKind: rights.moderate && personKind(person) !== 'member' ? 'staff' : personKind(person), status: 'queued',
    addressedTo: departments.find((d) => d.id === addressed)?.name ?? null, createdAt, answers: [], hidden: null,
  };
  await liveHub(ctx).publish(liveTopic(id), { id: eventId, event: 'question', data: JSON.stringify(questionData(q)) });
  return questionId;
}

async function loadQuestion(db: Executor, consultationId: number, qid: number) {
  if (!validId(qid)) throw new NotFoundError();
  const q = await db.selectFrom('consultation_questions').selectAll().where('id', '=', qid).where('consultation_id', '=', consultationId).executeTakeFirst();
  if (!q) throw new NotFoundError();
  return q;
}

/**
 * Takes a question off the queue (answered or hidden) if it is still on it: whether it was
 * goes into the event (`wasQueued`), so pages counting the questions still waiting (the newest
 * page's list of older ones) know whether to count one fewer. Conditional, so of two answers at
 * once only one finds it queued.
 */
async function leaveQueue(trx: Executor, qid: number, set: { status: 'answered' | 'hidden'; answered_at?: string; hidden_reason?: string | null; updated_at: string }): Promise<boolean> {
  const res = await trx.updateTable('consultation_questions').set(set).where('id', '=', qid).where('status', '=', 'queued').executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

const answerSpec = { body: text({ label: (t) => t.consultationsLive.fAnswer, max: ANSWER_MAX, multiline: true }) };

export async function answerQuestion(ctx: AppContext, user: CurrentUser | null, id: number, qid: number, raw: unknown): Promise<number> {
  const person = requireUser(user);
  const db = ctx.database.db;
  const { rights } = await readable(db, person, id);
  if (!rights.answerBodies.length) throw new ForbiddenError((t) => t.consultationsLive.errMayNotAnswer);
  const q = await loadQuestion(db, id, qid);
  if (q.status === 'hidden') throw new ConflictError((t) => t.consultationsLive.errHidden);
  const v = validate(answerSpec, raw);
  // Answer for the department the question is addressed to when the person represents it.
  const bodyId = q.addressed_body_id !== null && rights.answerBodies.includes(q.addressed_body_id) ? q.addressed_body_id : (rights.answerBodies[0] as number);
  const now = new Date().toISOString();
  const { answerId, eventId, wasQueued } = await transaction(ctx.database, async (trx) => {
    const row = await trx.insertInto('consultation_answers').values({ question_id: qid, consultation_id: id, body_id: bodyId, author_id: person.id, body: v.body, created_at: now })
      .returning('id').executeTakeFirstOrThrow();
    const wasQueued = await leaveQueue(trx, qid, { status: 'answered', answered_at: now, updated_at: now });
    if (!wasQueued) await trx.updateTable('consultation_questions').set({ answered_at: now, updated_at: now }).where('id', '=', qid).where('status', '!=', 'hidden').execute();
    const ev = await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'live.answer', actorId: person.id, data: { questionId: qid, answerId: row.id, bodyId, wasQueued } });
    return { answerId: row.id, eventId: ev.id, wasQueued };
  });
  const [a] = await loadAnswers(db, id, [answerId]);
  if (a) await liveHub(ctx).publish(liveTopic(id), { id: eventId, event: 'answer', data: JSON.stringify({ ...a, wasQueued }) });
  return answerId;
}

const moderateSpec = {
  action: choice({ label: (t) => t.consultationsLive.fModeration, values: ['asking', 'hide'] as const }),
  reason: text({ label: (t) => t.consultationsLive.fHideReason, max: 200, required: false }),
  category: choice({ label: (t) => t.consultationsLive.fHideCategory, values: HIDE_CATEGORIES, required: false }),
};

export async function moderateQuestion(ctx: AppContext, user: CurrentUser | null, id: number, qid: number, raw: unknown): Promise<void> {
  const person = requireUser(user);
  const db = ctx.database.db;
  const { rights } = await readable(db, person, id);
  if (!rights.moderate) throw new ForbiddenError();
  const q = await loadQuestion(db, id, qid);
  const v = validate(moderateSpec, raw);
  if (q.status === 'hidden') throw new ConflictError((t) => t.consultationsLive.errHidden);
  const now = new Date().toISOString();
  const { eventId, wasQueued, category } = await transaction(ctx.database, async (trx) => {
    if (v.action === 'asking') {
      const data = { questionId: qid, ...(v.reason ? { reason: v.reason } : {}) };
      return { eventId: (await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'live.asking', actorId: person.id, data })).id, wasQueued: undefined, category: undefined };
    }
    const hide = { status: 'hidden' as const, hidden_reason: v.reason, updated_at: now };
    const queued = await leaveQueue(trx, qid, hide);
    if (!queued) await trx.updateTable('consultation_questions').set(hide).where('id', '=', qid).execute();
    const category = v.category ?? 'other';
    const data = { questionId: qid, ...(v.reason ? { reason: v.reason } : {}), category, wasQueued: queued };
    return { eventId: (await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'live.hidden', actorId: person.id, data })).id, wasQueued: queued, category };
  });
  const hiddenTrace = v.action === 'hide' ? { hiddenAt: now, category } : {};
  await liveHub(ctx).publish(liveTopic(id), { id: eventId, event: v.action === 'hide' ? 'hidden' : 'asking', data: JSON.stringify({ questionId: qid, ...(wasQueued === undefined ? {} : { wasQueued }), ...hiddenTrace }) });
}
