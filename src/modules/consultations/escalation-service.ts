import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { EscalationsTable } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { scopeFor } from '../../platform/body-scope.js';
import { addWorkingDays } from '../../platform/calendar/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { choice, int, text, validate } from '../../platform/validation.js';
import { createActionItem, registerActionSource } from '../actions/service.js';
import { STREAM, canManageAny, requireUser, scopes, validId } from './access.js';
import { TOPIC_STREAM, callState, titleHash } from './calls-service.js';
import { prepareConsultation } from './consultations-service.js';
import { liaisonsOf } from './grassroots-service.js';
import { FORMS } from './model.js';
import { notifyUsers, organisers } from './notices.js';

// A community council escalates a topic or a matter it cannot settle (standalone, or from
// one of its consultations) to a body above it: its township liaison group or the
// committee. The receiver sees where it came from and answers: accepts it and records what
// it became (a topic in an open call, a consultation, a plan item, an action item), declines
// it with a reason, or answers it directly. Each step is an event on the escalation's audit
// stream, and the council, the receiver and the community's liaison members are told.

export type EscalationRow = Selectable<EscalationsTable>;
export const ESCALATION_STREAM = 'escalation';
export const escalationLink = (id: number): string => `/admin/consultations/escalations/${id}`;
/** Bodies that escalate: councils, and liaison groups (to the committee). */
const SOURCE_KINDS = new Set(['community_council', 'liaison_group']);

export interface SourceBody { id: number; name: string; nameEn: string | null; ancestors: Array<{ id: number; name: string; nameEn: string | null }> }

/**
 * The bodies the person escalates for: councils (or liaison groups) where they are an
 * organiser themselves — staff of the committee manage councils too, but do not speak for
 * them — each with the bodies above it, nearest first.
 */
export async function escalationSources(db: Executor, user: CurrentUser | null): Promise<SourceBody[]> {
  if (!user) return [];
  const s = await scopes(db);
  const own = new Set(user.memberships.filter((m) => m.role === 'staff' || m.role === 'council_facilitator' || m.role === 'admin').map((m) => m.bodyId));
  const byId = new Map(s.bodies.map((b) => [b.id, b]));
  return s.bodies.filter((b) => SOURCE_KINDS.has(b.kind) && b.parentId !== null && (user.isAdmin || own.has(b.id))).map((b) => ({
    id: b.id, name: b.name, nameEn: b.nameEn,
    ancestors: s.scopeOf(b.id).bodyPath.slice(1).map((id) => byId.get(id)).filter((x) => x !== undefined).map((x) => ({ id: x.id, name: x.name, nameEn: x.nameEn })),
  }));
}

/** The source's consultations and topics an escalation may come from (most recent first). */
export async function sourceConsultations(db: Executor, bodyId: number) {
  return db.selectFrom('consultations').select(['id', 'title'])
    .where('id', 'in', (eb) => eb.selectFrom('consultation_bodies').select('consultation_id').where('body_id', '=', bodyId))
    .orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(100).execute();
}

export async function sourceTopics(db: Executor, bodyId: number) {
  return db.selectFrom('consultation_topics').select(['id', 'title']).where('body_id', '=', bodyId).where('status', '!=', 'hidden')
    .orderBy('id', 'desc').limit(100).execute();
}

const escalationSpec = {
  fromBodyId: int({ label: (t) => t.grassroots.fFrom, min: 1 }),
  toBodyId: int({ label: (t) => t.grassroots.fTo, min: 1 }),
  consultationId: int({ label: (t) => t.grassroots.fConsultation, min: 1, required: false }),
  topicId: int({ label: (t) => t.grassroots.fTopic, min: 1, required: false }),
  title: text({ label: (t) => t.grassroots.fEscTitle, min: 4, max: 100 }),
  description: text({ label: (t) => t.grassroots.fEscDescription, min: 10, max: 2000, multiline: true }),
};

export async function escalate(ctx: AppContext, user: CurrentUser | null, raw: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = requireUser(user);
  const sources = await escalationSources(db, actor);
  if (!sources.length) throw new ForbiddenError((t) => t.grassroots.errNoSource);
  const v = validate(escalationSpec, raw);
  const from = sources.find((b) => b.id === v.fromBodyId);
  if (!from) throw new ForbiddenError((t) => t.grassroots.errNoSource);
  if (!from.ancestors.some((a) => a.id === v.toBodyId)) throw new ValidationError([{ field: 'toBodyId', message: (t) => t.grassroots.errNotAbove }]);
  if (v.consultationId !== null) {
    const held = await db.selectFrom('consultation_bodies').select('consultation_id').where('consultation_id', '=', v.consultationId).where('body_id', '=', from.id).executeTakeFirst();
    if (!held) throw new ValidationError([{ field: 'consultationId', message: (t) => t.grassroots.errConsultationNotOurs }]);
  }
  if (v.topicId !== null) {
    const topic = await db.selectFrom('consultation_topics').select('id').where('id', '=', v.topicId).where('body_id', '=', from.id).where('status', '!=', 'hidden').executeTakeFirst();
    if (!topic) throw new ValidationError([{ field: 'topicId', message: (t) => t.grassroots.errTopicNotOurs }]);
  }
  const id = await transaction(ctx.database, async (trx) => {
    const now = new Date().toISOString();
    const row = await trx.insertInto('escalations').values({
      from_body_id: from.id, to_body_id: v.toBodyId, consultation_id: v.consultationId, topic_id: v.topicId, title: v.title, body: v.description,
      status: 'sent', response: null, result_type: null, result_id: null, created_by: actor.id, responded_by: null, responded_at: null, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: ESCALATION_STREAM, streamId: row.id, action: 'created', actorId: actor.id, data: { fromBodyId: from.id, toBodyId: v.toBodyId, consultationId: v.consultationId, topicId: v.topicId } });
    if (v.consultationId !== null) await appendEvent(trx, { streamType: STREAM, streamId: v.consultationId, action: 'escalated', actorId: actor.id, data: { escalationId: row.id, toBodyId: v.toBodyId } });
    await notifyUsers(trx, await organisers(trx, v.toBodyId), escalationLink(row.id), (t) => t.grassroots.nEscalatedTitle, (t) => t.grassroots.nEscalatedBody(from.name, v.title), ['site', 'sms']);
    await notifyUsers(trx, await liaisonsOf(trx, [from.id]), escalationLink(row.id), (t) => t.grassroots.nLiaisonEscalatedTitle, (t) => t.grassroots.nLiaisonEscalatedBody(from.name, v.title));
    return row.id;
  });
  if (v.consultationId !== null) ctx.pageCache.invalidate();
  return id;
}

export async function loadEscalation(db: Executor, id: number): Promise<EscalationRow> {
  if (!validId(id)) throw new NotFoundError();
  const row = await db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * What the person may do with an escalation: see it (either side's organisers, and the
 * handlers of the department whose action item it became), answer it (the receiver's).
 */
export async function escalationRights(db: Executor, user: CurrentUser | null, e: EscalationRow): Promise<{ view: boolean; respond: boolean }> {
  const respond = await canManageAny(db, user, [e.to_body_id]);
  if (respond || (await canManageAny(db, user, [e.from_body_id]))) return { respond, view: true };
  if (e.result_type !== 'action_item' || e.result_id === null || !user) return { respond, view: false };
  const item = await db.selectFrom('action_items').select('owner_body_id').where('id', '=', e.result_id).executeTakeFirst();
  return { respond, view: item !== undefined && can(user, 'action.answer', await scopeFor(db, item.owner_body_id)) };
}

export const RESPONSE_ACTIONS = ['accept', 'decline', 'answer'] as const;
export const RESULT_CHOICES = ['none', 'new_topic', 'new_consultation', 'new_action_item', 'topic', 'consultation', 'plan_item', 'action_item'] as const;
type ResultType = NonNullable<EscalationRow['result_type']>;

const responseSpec = {
  action: choice({ label: (t) => t.grassroots.fAction, values: RESPONSE_ACTIONS }),
  response: text({ label: (t) => t.grassroots.fResponse, max: 5000, required: false, multiline: true }),
  result: choice({ label: (t) => t.grassroots.fResult, values: RESULT_CHOICES, required: false }),
  resultId: int({ label: (t) => t.grassroots.fResultId, min: 1, required: false }),
  callId: int({ label: (t) => t.grassroots.fCall, min: 1, required: false }),
  form: choice({ label: (t) => t.grassroots.fForm, values: FORMS, required: false }),
  departmentId: int({ label: (t) => t.grassroots.fDepartment, min: 1, required: false }),
  dueDays: int({ label: (t) => t.grassroots.fDueDays, min: 1, max: 365, required: false }),
};

/** The body that owns an existing item, to check the responder may link it. */
async function ownerOf(db: Executor, type: ResultType, id: number): Promise<number[] | null> {
  if (type === 'topic') {
    const r = await db.selectFrom('consultation_topics').select('body_id').where('id', '=', id).where('status', '!=', 'hidden').executeTakeFirst();
    return r ? [r.body_id] : null;
  }
  if (type === 'consultation') {
    const rows = await db.selectFrom('consultation_bodies').select('body_id').where('consultation_id', '=', id).execute();
    return rows.length ? rows.map((r) => r.body_id) : null;
  }
  if (type === 'plan_item') {
    const r = await db.selectFrom('plan_items').innerJoin('consultation_plans', 'consultation_plans.id', 'plan_items.plan_id').select(['consultation_plans.body_id', 'plan_items.lead_body_id'])
      .where('plan_items.id', '=', id).executeTakeFirst();
    return r ? [r.body_id, r.lead_body_id] : null;
  }
  const r = await db.selectFrom('action_items').select('assigned_by_body_id').where('id', '=', id).executeTakeFirst();
  return r?.assigned_by_body_id ? [r.assigned_by_body_id] : null;
}

/**
 * The receiver answers. Accepting may record what the matter became, now or later (an
 * accepted escalation may be given its result afterwards); declining and answering
 * directly need a text and settle it.
 */
export async function respondToEscalation(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const db = ctx.database.db;
  const e = await loadEscalation(db, id);
  const actor = requireUser(user);
  if (!(await escalationRights(db, actor, e)).respond) throw new ForbiddenError();
  if (e.status === 'declined' || e.status === 'resolved' || (e.status === 'accepted' && e.result_type !== null)) throw new ConflictError((t) => t.grassroots.errAlreadyAnswered);
  const v = validate(responseSpec, raw);
  const result = v.result ?? 'none';
  if (v.action !== 'accept' && !v.response) throw new ValidationError([{ field: 'response', message: (t) => t.grassroots.errResponseRequired }]);
  if (v.action !== 'accept' && result !== 'none') throw new ValidationError([{ field: 'result', message: (t) => t.grassroots.errResultOnlyOnAccept }]);
  if (e.status === 'accepted' && v.action !== 'accept') throw new ConflictError((t) => t.grassroots.errAlreadyAnswered);
  // Linking an existing item: it must exist and belong to a body the responder manages.
  let linked: { type: ResultType; id: number } | null = null;
  if (result === 'topic' || result === 'consultation' || result === 'plan_item' || result === 'action_item') {
    if (v.resultId === null) throw new ValidationError([{ field: 'resultId', message: (t) => t.grassroots.errResultIdRequired }]);
    const owners = await ownerOf(db, result, v.resultId);
    if (!owners || !(await canManageAny(db, actor, owners))) throw new ValidationError([{ field: 'resultId', message: (t) => t.grassroots.errResultNotFound }]);
    linked = { type: result, id: v.resultId };
  }
  if (result === 'new_topic') {
    const call = v.callId === null ? undefined : await db.selectFrom('topic_calls').selectAll().where('id', '=', v.callId).executeTakeFirst();
    if (!call || callState(call) !== 'open' || !(await canManageAny(db, actor, [call.body_id]))) throw new ValidationError([{ field: 'callId', message: (t) => t.grassroots.errCallRequired }]);
  }
  if (result === 'new_action_item') {
    const dept = v.departmentId === null ? undefined : await db.selectFrom('bodies').select('kind').where('id', '=', v.departmentId).executeTakeFirst();
    if (dept?.kind !== 'department' || v.dueDays === null) throw new ValidationError([{ field: v.dueDays === null && dept?.kind === 'department' ? 'dueDays' : 'departmentId', message: (t) => t.grassroots.errDepartmentRequired }]);
  }
  // A new consultation is made by the consultations service (its rules checked here, its
  // writing in this transaction), as an unpublished draft the receiver completes: the
  // consultation and the escalation's record of it are written together or not at all.
  const newConsultation = result === 'new_consultation'
    ? await prepareConsultation(db, actor, null, { title: e.title, summary: e.body.slice(0, 2000), form: v.form ?? 'thematic', mode: 'in_person', leadBodyId: String(e.to_body_id) })
    : null;
  await transaction(ctx.database, async (trx) => {
    const now = new Date();
    if (newConsultation) linked = { type: 'consultation', id: await newConsultation(trx) };
    if (result === 'new_topic') linked = { type: 'topic', id: await topicFromEscalation(trx, e, v.callId as number, actor.id) };
    if (result === 'new_action_item') {
      const itemId = await createActionItem(trx, {
        sourceType: 'escalation', sourceId: e.id, title: e.title, instructions: [e.body, v.response].filter(Boolean).join('\n\n'),
        ownerBodyId: v.departmentId as number, dueOn: addWorkingDays(now, v.dueDays as number), assignedBy: actor.id, assignedByBodyId: e.to_body_id,
      });
      linked = { type: 'action_item', id: itemId };
    }
    const status = v.action === 'accept' ? 'accepted' : v.action === 'decline' ? 'declined' : 'resolved';
    const res = await trx.updateTable('escalations').set({
      status, response: v.response ?? e.response, result_type: linked?.type ?? null, result_id: linked?.id ?? null,
      responded_by: actor.id, responded_at: now.toISOString(), updated_at: now.toISOString(),
    }).where('id', '=', e.id).where('status', '=', e.status).where('updated_at', '=', e.updated_at).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new ConflictError((t) => t.grassroots.errAlreadyAnswered);
    await appendEvent(trx, { streamType: ESCALATION_STREAM, streamId: e.id, action: status, actorId: actor.id, data: { resultType: linked?.type ?? null, resultId: linked?.id ?? null } });
    const people = [...(await organisers(trx, e.from_body_id)), ...(e.created_by === null ? [] : [e.created_by]), ...(await liaisonsOf(trx, [e.from_body_id]))];
    await notifyUsers(trx, people, escalationLink(e.id), (t) => t.grassroots.nRespondedTitle, (t) => t.grassroots.nRespondedBody(e.title, t.grassroots[`status_${status}`]), ['site', 'sms']);
  });
  ctx.pageCache.invalidate();
}

/** The escalated matter as a topic of an open call, proposed by the council; the same title already there is linked instead. */
async function topicFromEscalation(trx: Executor, e: EscalationRow, callId: number, actorId: number): Promise<number> {
  const call = await trx.selectFrom('topic_calls').select(['id', 'body_id']).where('id', '=', callId).executeTakeFirstOrThrow();
  const hash = titleHash(e.title);
  const same = await trx.selectFrom('consultation_topics').select('id').where('call_id', '=', callId).where('content_hash', '=', hash).executeTakeFirst();
  if (same) return same.id;
  const now = new Date().toISOString();
  const title = [...e.title].length > 60 ? [...e.title].slice(0, 60).join('') : e.title;
  const row = await trx.insertInto('consultation_topics').values({
    call_id: callId, body_id: call.body_id, title, reason: e.body, proposer_id: null, proposer_kind: 'council', status: 'proposed',
    staff_note: null, content_hash: hash, created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await appendEvent(trx, { streamType: TOPIC_STREAM, streamId: row.id, action: 'proposed', actorId, data: { callId, proposerKind: 'council', escalationId: e.id, fromBodyId: e.from_body_id } });
  return row.id;
}

// A department's progress on an action item made from an escalation reaches the council;
// when it is done, the escalation is settled.
registerActionSource('escalation', {
  link: (item) => escalationLink(item.source_id),
  async onUpdate(trx, item, kind, _text, actor) {
    const e = await trx.selectFrom('escalations').selectAll().where('id', '=', item.source_id).executeTakeFirst();
    if (!e) return;
    const now = new Date().toISOString();
    await trx.updateTable('escalations').set({ updated_at: now, ...(kind === 'done' ? { status: 'resolved' as const } : {}) }).where('id', '=', e.id).execute();
    await appendEvent(trx, { streamType: ESCALATION_STREAM, streamId: e.id, action: `action_${kind}`, actorId: actor.id, data: { actionItemId: item.id } });
    await notifyUsers(trx, [...(await organisers(trx, e.from_body_id)), ...(e.created_by === null ? [] : [e.created_by])], escalationLink(e.id),
      (t) => t.grassroots.nActionUpdateTitle, (t) => t.grassroots.nActionUpdateBody(e.title, kind));
  },
});
