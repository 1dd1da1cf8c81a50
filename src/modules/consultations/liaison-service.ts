import type { AppContext } from '../../context.js';
import { type Executor, transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { chinaDate } from '../../platform/calendar/index.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { date, int, validate } from '../../platform/validation.js';
import { STREAM, canManageAny, loadConsultation, requireUser, scopes, validId } from './access.js';
import { LIAISON_LINK, councilsCovered } from './grassroots-service.js';
import { notifyUsers, organisers } from './notices.js';

// 委员联系点: the committee's staff assign members to communities (a council, a region, or
// both) for a period. A liaison is told of the community's consultations and escalations
// (grassroots-service) and may join its consultations as a participating member.

export const LIAISON_STREAM = 'member_liaison';
const MEMBER_ROLES = ['member', 'standing_member'] as const;

/** Staff (or admins) of a committee at the top of the tree: they arrange liaison points. */
export async function isLiaisonAdmin(db: Executor, user: CurrentUser | null): Promise<boolean> {
  if (!user) return false;
  if (user.isAdmin) return true;
  const s = await scopes(db);
  return s.bodies.some((b) => b.parentId === null && b.kind === 'committee' && can(user, 'consultation.manage', s.scopeOf(b.id)));
}

export async function assertLiaisonAdmin(db: Executor, user: CurrentUser | null): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  if (!(await isLiaisonAdmin(db, user))) throw new ForbiddenError((t) => t.grassroots.errNotLiaisonAdmin);
  return user;
}

const liaisonSpec = {
  userId: int({ label: (t) => t.grassroots.fMember, min: 1 }),
  bodyId: int({ label: (t) => t.grassroots.fCouncil, min: 1, required: false }),
  regionId: int({ label: (t) => t.grassroots.fRegion, min: 1, required: false }),
  startsOn: date({ label: (t) => t.grassroots.fStartsOn }),
  endsOn: date({ label: (t) => t.grassroots.fEndsOn, required: false }),
};

export async function assignLiaison(ctx: AppContext, user: CurrentUser | null, raw: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = await assertLiaisonAdmin(db, user);
  const v = validate(liaisonSpec, raw);
  const issues: ValidationError['issues'] = [];
  const [member, council, region] = await Promise.all([
    db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id', 'users.display_name'])
      .where('users.id', '=', v.userId).where('users.status', '=', 'active').where('memberships.role', 'in', MEMBER_ROLES).executeTakeFirst(),
    v.bodyId === null ? undefined : db.selectFrom('bodies').select(['id', 'name', 'kind']).where('id', '=', v.bodyId).executeTakeFirst(),
    v.regionId === null ? undefined : db.selectFrom('regions').select(['id', 'name']).where('id', '=', v.regionId).executeTakeFirst(),
  ]);
  if (!member) issues.push({ field: 'userId', message: (t) => t.grassroots.errNotMember });
  if (v.bodyId === null && v.regionId === null) issues.push({ field: 'bodyId', message: (t) => t.grassroots.errCommunityRequired });
  if (v.bodyId !== null && council?.kind !== 'community_council') issues.push({ field: 'bodyId', message: (t) => t.grassroots.errNotCouncil });
  if (v.regionId !== null && !region) issues.push({ field: 'regionId', message: (t) => t.grassroots.errUnknownRegion });
  if (v.endsOn !== null && v.endsOn < v.startsOn) issues.push({ field: 'endsOn', message: (t) => t.grassroots.errEndsBeforeStarts });
  if (issues.length) throw new ValidationError(issues);
  // A council belongs to the committee above it: staff of another committee may not assign to it.
  if (council && !(await canManageAny(db, actor, [council.id]))) throw new ForbiddenError((t) => t.grassroots.errNotLiaisonAdmin);
  const today = chinaDate(new Date());
  const id = await transaction(ctx.database, async (trx) => {
    let dup = trx.selectFrom('member_liaisons').select('id').where('user_id', '=', v.userId)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]));
    dup = v.bodyId === null ? dup.where('body_id', 'is', null) : dup.where('body_id', '=', v.bodyId);
    dup = v.regionId === null ? dup.where('region_id', 'is', null) : dup.where('region_id', '=', v.regionId);
    if (await dup.executeTakeFirst()) throw new ConflictError((t) => t.grassroots.errLiaisonExists);
    const row = await trx.insertInto('member_liaisons').values({
      user_id: v.userId, body_id: v.bodyId, region_id: v.regionId, starts_on: v.startsOn, ends_on: v.endsOn, created_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: LIAISON_STREAM, streamId: row.id, action: 'assigned', actorId: actor.id, data: { userId: v.userId, bodyId: v.bodyId, regionId: v.regionId, startsOn: v.startsOn, endsOn: v.endsOn } });
    const names = [council?.name, region?.name].filter((x): x is string => Boolean(x));
    await notifyUsers(trx, [v.userId], LIAISON_LINK, (t) => t.grassroots.nLiaisonAssignedTitle, (t) => t.grassroots.nLiaisonAssignedBody(names.join(t.grassroots.listSep)));
    return row.id;
  });
  return id;
}

const endSpec = { endsOn: date({ label: (t) => t.grassroots.endOn, required: false }) };

/** Ends an assignment on the given day (today when none is given). */
export async function endLiaison(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await assertLiaisonAdmin(db, user);
  if (!validId(id)) throw new NotFoundError();
  const row = await db.selectFrom('member_liaisons').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  if (row.body_id !== null && !(await canManageAny(db, actor, [row.body_id]))) throw new ForbiddenError((t) => t.grassroots.errNotLiaisonAdmin);
  const today = chinaDate(new Date());
  if (row.ends_on !== null && row.ends_on < today) throw new ConflictError((t) => t.grassroots.errLiaisonEnded);
  const endsOn = validate(endSpec, raw).endsOn ?? today;
  if (endsOn < row.starts_on) throw new ValidationError([{ field: 'endsOn', message: (t) => t.grassroots.errEndsBeforeStarts }]);
  await transaction(ctx.database, async (trx) => {
    await trx.updateTable('member_liaisons').set({ ends_on: endsOn }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: LIAISON_STREAM, streamId: id, action: 'ended', actorId: actor.id, data: { endsOn } });
  });
}

export const LIAISONS_SIZE = 50;

/** The assignments for the staff page: current ones (default) or all, newest first. */
export async function listLiaisons(db: Executor, all: boolean, page: number) {
  const today = chinaDate(new Date());
  let q = db.selectFrom('member_liaisons');
  if (!all) q = q.where((eb) => eb.or([eb('member_liaisons.ends_on', 'is', null), eb('member_liaisons.ends_on', '>=', today)]));
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.innerJoin('users', 'users.id', 'member_liaisons.user_id').leftJoin('bodies', 'bodies.id', 'member_liaisons.body_id').leftJoin('regions', 'regions.id', 'member_liaisons.region_id')
      .select(['member_liaisons.id', 'member_liaisons.starts_on', 'member_liaisons.ends_on', 'users.display_name', 'bodies.name as body_name', 'bodies.name_en as body_name_en', 'regions.name as region_name', 'regions.name_en as region_name_en'])
      .orderBy('member_liaisons.id', 'desc').limit(LIAISONS_SIZE).offset((page - 1) * LIAISONS_SIZE).execute(),
  ]);
  const total = Number(count.n);
  return { total, page, pages: Math.max(1, Math.ceil(total / LIAISONS_SIZE)), items: rows.map((r) => ({ ...r, ended: r.ends_on !== null && r.ends_on < today })) };
}

/** Choices for the assignment form: members, councils, regions. */
export async function liaisonOptions(db: Executor) {
  const [members, councils, regions] = await Promise.all([
    db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id', 'users.display_name']).distinct()
      .where('memberships.role', 'in', MEMBER_ROLES).where('users.status', '=', 'active').orderBy('users.display_name').limit(2000).execute(),
    db.selectFrom('bodies').select(['id', 'name', 'name_en']).where('kind', '=', 'community_council').orderBy('sort').orderBy('id').limit(2000).execute(),
    db.selectFrom('regions').select(['id', 'name', 'name_en', 'level']).where('level', 'in', ['township', 'village']).orderBy('sort').orderBy('id').limit(2000).execute(),
  ]);
  return { members, councils, regions };
}

/** The person's active assignments; a member who has none may not see the liaison page. */
export async function myAssignments(db: Executor, user: CurrentUser | null) {
  if (!user) throw new UnauthenticatedError();
  if (!user.memberships.some((m) => m.role === 'member' || m.role === 'standing_member')) throw new ForbiddenError((t) => t.grassroots.errNotLiaison);
  const today = chinaDate(new Date());
  const rows = await db.selectFrom('member_liaisons').leftJoin('bodies', 'bodies.id', 'member_liaisons.body_id').leftJoin('regions', 'regions.id', 'member_liaisons.region_id')
    .select(['member_liaisons.id', 'member_liaisons.body_id', 'member_liaisons.region_id', 'member_liaisons.starts_on', 'member_liaisons.ends_on',
      'bodies.name as body_name', 'bodies.name_en as body_name_en', 'regions.name as region_name', 'regions.name_en as region_name_en'])
    .where('member_liaisons.user_id', '=', user.id).where('member_liaisons.starts_on', '<=', today)
    .where((eb) => eb.or([eb('member_liaisons.ends_on', 'is', null), eb('member_liaisons.ends_on', '>=', today)]))
    .orderBy('member_liaisons.id').limit(100).execute();
  if (!rows.length) throw new ForbiddenError((t) => t.grassroots.errNotLiaison);
  return { assignments: rows, councils: await councilsCovered(db, rows) };
}

export const COMMUNITY_SIZE = 20;

/** The liaison's communities' consultations, public or not (a liaison may join either), with whether they take part. */
export async function communityConsultations(db: Executor, userId: number, councils: number[], page: number) {
  if (!councils.length) return { total: 0, page, pages: 1, items: [] };
  const q = db.selectFrom('consultations')
    .where('consultations.id', 'in', (eb) => eb.selectFrom('consultation_bodies').select('consultation_id').where('body_id', 'in', councils));
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.innerJoin('bodies', 'bodies.id', 'consultations.lead_body_id')
      .leftJoin('consultation_participants as me', (j) => j.onRef('me.consultation_id', '=', 'consultations.id').on('me.user_id', '=', userId))
      .select(['consultations.id', 'consultations.title', 'consultations.stage', 'consultations.form', 'consultations.is_public', 'consultations.starts_at',
        'bodies.name as body_name', 'bodies.name_en as body_name_en', 'me.id as participant_id'])
      .orderBy('consultations.sort_at', 'desc').orderBy('consultations.id', 'desc').limit(COMMUNITY_SIZE).offset((page - 1) * COMMUNITY_SIZE).execute(),
  ]);
  const total = Number(count.n);
  return { total, page, pages: Math.max(1, Math.ceil(total / COMMUNITY_SIZE)), items: rows };
}

/** A liaison joins a consultation of one of their communities, as a participating member. */
export async function joinAsLiaison(ctx: AppContext, user: CurrentUser | null, consultationId: number): Promise<void> {
  const db = ctx.database.db;
  const person = requireUser(user);
  const { councils } = await myAssignments(db, person);
  const c = await loadConsultation(db, consultationId);
  const held = councils.length ? await db.selectFrom('consultation_bodies').select('body_id').where('consultation_id', '=', c.id).where('body_id', 'in', councils).executeTakeFirst() : undefined;
  if (!held) throw new ForbiddenError((t) => t.grassroots.errNotYourCommunity);
  if (c.stage === 'closed') throw new ConflictError((t) => t.grassroots.errConsultationClosed);
  await transaction(ctx.database, async (trx) => {
    const dup = await trx.selectFrom('consultation_participants').select('id').where('consultation_id', '=', c.id).where('user_id', '=', person.id).executeTakeFirst();
    if (dup) throw new ConflictError((t) => t.grassroots.errAlreadyJoined);
    const me = await trx.selectFrom('users').select('display_name').where('id', '=', person.id).executeTakeFirstOrThrow();
    const row = await trx.insertInto('consultation_participants').values({
      consultation_id: c.id, kind: 'member', user_id: person.id, body_id: null, name: me.display_name, title: null, attended_at: null, created_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: STREAM, streamId: c.id, action: 'participant_added', actorId: person.id, data: { participantId: row.id, kind: 'member', userId: person.id, bodyId: null, via: 'liaison' } });
    await notifyUsers(trx, await organisers(trx, held.body_id), `/admin/consultations/${c.id}`, (t) => t.grassroots.nLiaisonJoinedTitle, (t) => t.grassroots.nLiaisonJoinedBody(me.display_name, c.title));
  });
  ctx.pageCache.invalidate();
}
