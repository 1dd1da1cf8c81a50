import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import { CONSULTATION_MODES, type ConsultationStage, type ConsultationTrack, PARTICIPANT_KINDS } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { ConflictError, type FieldIssue, NotFoundError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { checkbox, choice, dateTime, int, text, validate } from '../../platform/validation.js';
import type { LocalText } from '../../web/i18n/index.js';
import { notifyUsers } from './notices.js';
import { STREAM, type ConsultationRow, assertManageAny, assertOrganiser, managedConsultation, validId } from './access.js';
import { FORMS, checkStageMove, firstStage, isAtOrAfter, trackOf } from './model.js';
import { fillSeats } from './registration-service.js';
import { onConsultationCreated, onStageEntered } from './grassroots-service.js';
import { indexConsultation } from './search-index.js';
import { leadBodyOrFail, planYearIssues } from './plans-service.js';

// The consultation itself as staff prepare it: what, when, where, who holds it, whether
// citizens may register and how many; then moved through its stages. Every change is an
// event on the consultation's hash-chained audit stream.

export const consultationLink = (id: number): string => `/consultations/${id}`;

const spec = {
  title: text({ label: (t) => t.consultations.fTitle, max: 100, min: 4 }),
  summary: text({ label: (t) => t.consultations.fSummary, max: 2000, required: false, multiline: true }),
  form: choice({ label: (t) => t.consultations.fForm, values: FORMS }),
  mode: choice({ label: (t) => t.consultations.fMode, values: CONSULTATION_MODES }),
  leadBodyId: int({ label: (t) => t.consultations.fLeadBody, min: 1 }),
  planItemId: int({ label: (t) => t.consultations.fPlanItem, required: false, min: 1 }),
  year: int({ label: (t) => t.consultations.fYear, required: false, min: 2000, max: 2100 }),
  startsAt: dateTime({ label: (t) => t.consultations.fStartsAt, required: false }),
  endsAt: dateTime({ label: (t) => t.consultations.fEndsAt, required: false }),
  place: text({ label: (t) => t.consultations.fPlace, max: 200, required: false }),
  onlineUrl: text({ label: (t) => t.consultations.fOnlineUrl, max: 500, required: false, pattern: /^https?:\/\/[^\s"<>\\]+$/ }),
  agenda: text({ label: (t) => t.consultations.fAgenda, max: 5000, required: false, multiline: true }),
  isPublic: checkbox({ label: (t) => t.consultations.fIsPublic }),
  registrationOpen: checkbox({ label: (t) => t.consultations.fRegistrationOpen }),
  capacity: int({ label: (t) => t.consultations.fCapacity, required: false, min: 1, max: 100_000 }),
};

const MAX_JOINT = 10;

/** `jointBodyIds` comes as one value or many (a multiple select); each must be a plain id. */
function parseJoint(raw: unknown): number[] | null {
  const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
  const ids: number[] = [];
  for (const v of list) {
    if (v === '') continue;
    if (typeof v !== 'string' && typeof v !== 'number') return null;
    const s = String(v);
    if (!/^\d{1,9}$/.test(s) || Number(s) < 1) return null;
    if (!ids.includes(Number(s))) ids.push(Number(s));
  }
  return ids.length > MAX_JOINT ? null : ids;
}

/** Creates (id null) or edits a consultation; returns its id. */
export async function saveConsultation(ctx: AppContext, user: CurrentUser | null, id: number | null, raw: unknown): Promise<number> {
  const write = await prepareConsultation(ctx.database.db, user, id, raw);
  const savedId = await transaction(ctx.database, write);
  ctx.pageCache.invalidate();
  return savedId;
}

/**
 * Checks a consultation's form (permissions, fields, the bodies) and returns its writing, to
 * run in the caller's transaction: another service that makes a consultation as part of its
 * own change (an accepted escalation) writes both or neither. The caller invalidates the page cache.
 */
export async function prepareConsultation(db: Executor, user: CurrentUser | null, id: number | null, raw: unknown): Promise<(trx: Executor) => Promise<number>> {
  const existing = id === null ? null : (await managedConsultation(db, user, id)).c;
  if (!existing) await assertOrganiser(db, user);
  const v = validate(spec, raw);
  const src = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const joint = parseJoint(src.jointBodyIds);
  if (joint === null) issues.push({ field: 'jointBodyIds', message: (t) => t.consultations.errJointBodies(MAX_JOINT) });
  const jointIds = (joint ?? []).filter((b) => b !== v.leadBodyId);
  if (jointIds.length) {
    const found = await db.selectFrom('bodies').select(['id', 'kind']).where('id', 'in', jointIds).execute();
    if (found.length !== jointIds.length || found.some((b) => b.kind === 'department')) issues.push({ field: 'jointBodyIds', message: (t) => t.consultations.errJointBodies(MAX_JOINT) });
  }
  if (v.endsAt && (!v.startsAt || v.endsAt <= v.startsAt)) issues.push({ field: 'endsAt', message: (t) => t.consultations.errEndsBeforeStarts });
  if (v.registrationOpen && v.capacity === null) issues.push({ field: 'capacity', message: (t) => t.consultations.errCapacityRequired });
  if (existing && v.capacity !== null && v.capacity < existing.seats_taken) issues.push({ field: 'capacity', message: (t) => t.consultations.errCapacityBelowTaken(existing.seats_taken) });
  const track = trackOf(v.form);
  if (existing && track !== existing.track && existing.stage !== firstStage(existing.track)) issues.push({ field: 'form', message: (t) => t.consultations.errTrackLocked });
  let topicId: number | null = null;
  let planYear: number | null = null;
  if (v.planItemId !== null) {
    const item = await db.selectFrom('plan_items').innerJoin('consultation_plans', 'consultation_plans.id', 'plan_items.plan_id')
      .select(['plan_items.topic_id', 'consultation_plans.year']).where('plan_items.id', '=', v.planItemId).executeTakeFirst();
    if (!item) issues.push({ field: 'planItemId', message: (t) => t.consultations.errPlanItem });
    else { topicId = item.topic_id; planYear = item.year; issues.push(...planYearIssues(item.year, v)); }
  }
  if (issues.length) throw new ValidationError(issues);
  await leadBodyOrFail(db, v.leadBodyId);
  const actor = await assertManageAny(db, user, [v.leadBodyId]);
  const now = new Date().toISOString();
  const year = v.year ?? (v.startsAt ? Number(chinaDate(v.startsAt).slice(0, 4)) : planYear ?? Number(chinaDate(new Date()).slice(0, 4)));
  const values = {
    title: v.title, summary: v.summary ?? '', form: v.form, mode: v.mode, track, lead_body_id: v.leadBodyId, plan_item_id: v.planItemId,
    topic_id: topicId, year, starts_at: v.startsAt, ends_at: v.endsAt, place: v.place, online_url: v.onlineUrl, agenda: v.agenda ?? '',
    is_public: v.isPublic ? 1 : 0, registration_open: v.registrationOpen ? 1 : 0, capacity: v.capacity,
    sort_at: v.startsAt ?? existing?.created_at ?? now, updated_at: now,
  };
  return async (trx) => {
    let cid: number;
    if (existing) {
      cid = existing.id;
      await trx.updateTable('consultations').set(values).where('id', '=', cid).execute();
      await trx.deleteFrom('consultation_bodies').where('consultation_id', '=', cid).execute();
    } else {
      const stage: ConsultationStage = firstStage(track);
      cid = (await trx.insertInto('consultations').values({ ...values, stage, seats_taken: 0, stage_changed_at: now, created_by: actor.id, created_at: now })
        .returning('id').executeTakeFirstOrThrow()).id;
    }
    await trx.insertInto('consultation_bodies').values([
      { consultation_id: cid, body_id: v.leadBodyId, role: 'lead' as const },
      ...jointIds.map((b) => ({ consultation_id: cid, body_id: b, role: 'joint' as const })),
    ]).execute();
    const changed = existing ? Object.keys(values).filter((k) => k !== 'updated_at' && k !== 'sort_at' && String(existing[k as keyof ConsultationRow]) !== String(values[k as keyof typeof values])) : [];
    await appendEvent(trx, {
      streamType: STREAM, streamId: cid, action: existing ? 'updated' : 'created', actorId: actor.id,
      data: existing ? { changed, jointBodyIds: jointIds } : { form: v.form, leadBodyId: v.leadBodyId, jointBodyIds: jointIds, isPublic: v.isPublic, planItemId: v.planItemId },
    });
    if (!existing) await onConsultationCreated(trx, cid);
    if (existing && v.capacity !== null && (existing.capacity === null || v.capacity > existing.capacity)) await fillSeats(trx, cid, actor.id);
    await indexConsultation(trx, cid);
    return cid;
  };
}

export async function outcomePublished(db: Executor, id: number): Promise<boolean> {
  const o = await db.selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', id).executeTakeFirst();
  return o?.status === 'published';
}

/** Moves the consultation to a later stage (see model.checkStageMove for the rules). */
export async function moveStage(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<ConsultationStage> {
  const { c, user: actor } = await managedConsultation(ctx.database.db, user, id);
  const to = (raw && typeof raw === 'object' ? (raw as Record<string, unknown>).stage : undefined);
  const problem = checkStageMove(c.track, c.stage, typeof to === 'string' ? to : '', await outcomePublished(ctx.database.db, id));
  if (problem) {
    const message: LocalText = problem === 'needs_outcome' ? (t) => t.consultations.errStageNeedsOutcome
      : problem === 'unknown' ? (t) => t.consultations.errStageUnknown : (t) => t.consultations.errStageBackwards;
    if (problem === 'unknown') throw new ValidationError([{ field: 'stage', message }]);
    throw new ConflictError(message);
  }
  const stage = to as ConsultationStage;
  await transaction(ctx.database, async (trx) => {
    // 已办结 only once every recommendation's action item is done (checked in the transaction
    // that closes: an item cannot be reopened in between).
    if (stage === 'closed') {
      const items = await openItems(trx, id);
      if (items.open > 0) throw new ConflictError((t) => t.consultationsOutcome.errItemsOpen(items.open, items.total));
    }
    await setStage(trx, c, stage, actor.id);
  });
  ctx.pageCache.invalidate();
  return stage;
}

/** The consultation's recommendations' action items: all, and those not done (open or answered). */
export async function openItems(db: Executor, consultationId: number): Promise<{ open: number; total: number }> {
  const r = await db.selectFrom('consultation_recommendations').innerJoin('action_items', 'action_items.id', 'consultation_recommendations.action_item_id')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(eb.case().when('action_items.status', '!=', 'done').then(1).else(0).end()).as('open')])
    .where('consultation_recommendations.consultation_id', '=', consultationId).executeTakeFirst();
  return { open: Number(r?.open ?? 0), total: Number(r?.total ?? 0) };
}

/**
 * Records a stage change (also used when publishing the outcome moves the stage on). Once the
 * consultation is past its deliberating (the outcome stage on the committee's track, the
 * decision on a community council's), its online deliberations stop taking votes and
 * statements: they are closed as an organiser would close them, their results stay public.
 */
export async function setStage(trx: Executor, c: Pick<ConsultationRow, 'id' | 'stage' | 'track'>, stage: ConsultationStage, actorId: number): Promise<void> {
  const now = new Date().toISOString();
  await trx.updateTable('consultations').set({ stage, stage_changed_at: now, updated_at: now }).where('id', '=', c.id).execute();
  const closed = isAtOrAfter(c.track, stage, DELIBERATION_ENDS[c.track]) ? await closeDeliberations(trx, c.id, now) : [];
  await appendEvent(trx, { streamType: STREAM, streamId: c.id, action: 'stage', actorId, data: { from: c.stage, to: stage, ...(closed.length ? { closedDeliberations: closed } : {}) } });
  await onStageEntered(trx, c.id, stage);
}

/** The stage from which a consultation no longer deliberates. */
export const DELIBERATION_ENDS: Record<ConsultationTrack, ConsultationStage> = { standard: 'outcome', community: 'decision' };

/**
 * Closes the consultation's open deliberations (status and closing time, as the deliberation's
 * settings form does) in the caller's transaction; returns their ids. A vote after this gets
 * the deliberation's "closed" error. The caller invalidates the page cache.
 */
export async function closeDeliberations(trx: Executor, consultationId: number, now: string): Promise<number[]> {
  const rows = await trx.updateTable('deliberations').set({ status: 'closed', closed_at: now, updated_at: now })
    .where('consultation_id', '=', consultationId).where('status', '=', 'open').returning('id').execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * Has the consultation stopped deliberating — at the stage that closes its deliberations or
 * later, or its outcome published (which closes them at any stage)? Its deliberations stay
 * closed then. Read it from a row taken with `lockConsultation` in the caller's transaction,
 * so a stage move or a publication cannot slip in before the caller's write.
 */
export async function deliberationsEnded(db: Executor, c: Pick<ConsultationRow, 'id' | 'stage' | 'track'>): Promise<boolean> {
  if (isAtOrAfter(c.track, c.stage, DELIBERATION_ENDS[c.track])) return true;
  const outcome = await db.selectFrom('consultation_outcomes').select('status').where('consultation_id', '=', c.id).executeTakeFirst();
  return outcome?.status === 'published';
}

const participantSpec = {
  kind: choice({ label: (t) => t.consultations.fParticipantKind, values: PARTICIPANT_KINDS }),
  userId: int({ label: (t) => t.consultations.fParticipantMember, required: false, min: 1 }),
  bodyId: int({ label: (t) => t.consultations.fParticipantBody, required: false, min: 1 }),
  name: text({ label: (t) => t.consultations.fParticipantName, max: 60, required: false }),
  role: text({ label: (t) => t.consultations.fParticipantTitle, max: 60, required: false }),
};

/** Invites a member (by account), a department's representative, a citizen representative or an expert. */
export async function addParticipant(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<number> {
  const db = ctx.database.db;
  const { c, user: actor } = await managedConsultation(db, user, id);
  const v = validate(participantSpec, raw);
  let name = v.name;
  let bodyId = v.bodyId;
  let userId: number | null = null;
  if (v.kind === 'member') {
    const m = v.userId === null ? undefined : await db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select(['users.id', 'users.display_name']).where('users.id', '=', v.userId).where('users.status', '=', 'active')
      .where('memberships.role', 'in', ['member', 'standing_member']).executeTakeFirst();
    if (!m) throw new ValidationError([{ field: 'userId', message: (t) => t.consultations.errNotMember }]);
    const dup = await db.selectFrom('consultation_participants').select('id').where('consultation_id', '=', id).where('user_id', '=', m.id).executeTakeFirst();
    if (dup) throw new ConflictError((t) => t.consultations.errAlreadyParticipant);
    userId = m.id;
    name = m.display_name;
    bodyId = null;
  } else if (v.kind === 'department') {
    const dept = bodyId === null ? undefined : await db.selectFrom('bodies').select(['id', 'name', 'kind']).where('id', '=', bodyId).executeTakeFirst();
    if (dept?.kind !== 'department') throw new ValidationError([{ field: 'bodyId', message: (t) => t.consultations.errNotDepartment }]);
    name = name ?? dept.name;
  } else if (!name) {
    throw new ValidationError([{ field: 'name', message: (t) => t.common.errRequired(t.consultations.fParticipantName) }]);
  }
  const pid = await transaction(ctx.database, async (trx) => {
    const row = await trx.insertInto('consultation_participants').values({
      consultation_id: id, kind: v.kind, user_id: userId, body_id: bodyId, name: name as string, title: v.role, attended_at: null, created_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'participant_added', actorId: actor.id, data: { participantId: row.id, kind: v.kind, userId, bodyId } });
    if (userId !== null) {
      await notifyUsers(trx, [userId], `/consultations/${id}/attendance`, (t) => t.consultations.nInvitedTitle, (t) => t.consultations.nInvitedBody(c.title), ['site', 'sms']);
    }
    return row.id;
  });
  ctx.pageCache.invalidate();
  return pid;
}

export async function removeParticipant(ctx: AppContext, user: CurrentUser | null, id: number, participantId: number): Promise<void> {
  const { user: actor } = await managedConsultation(ctx.database.db, user, id);
  if (!validId(participantId)) throw new NotFoundError();
  await transaction(ctx.database, async (trx) => {
    const res = await trx.deleteFrom('consultation_participants').where('id', '=', participantId).where('consultation_id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new NotFoundError();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'participant_removed', actorId: actor.id, data: { participantId } });
  });
  ctx.pageCache.invalidate();
}
