import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../../../db/schema.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { BadRequestError, NotFoundError, ValidationError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { choice, date, int, text, validate } from '../../../platform/validation.js';
import { guardConstraints, nowIso, requireAdmin } from '../access.js';

const spec = {
  userId: int({ label: (t) => t.adminPeople.user, min: 1 }),
  bodyId: int({ label: (t) => t.adminPeople.body, min: 1 }),
  role: choice({ label: (t) => t.adminPeople.role, values: MEMBERSHIP_ROLES }),
  termId: int({ label: (t) => t.adminPeople.term, min: 1, required: false }),
  title: text({ label: (t) => t.adminPeople.title, max: 50, required: false }),
  startsOn: date({ label: (t) => t.adminPeople.startsOn, required: false }),
  endsOn: date({ label: (t) => t.adminPeople.endsOn, required: false }),
};

export interface MembershipRow {
  id: number; userId: number; userName: string; bodyId: number; bodyName: string; role: MembershipRole;
  termId: number | null; termName: string | null; title: string | null; startsOn: string | null; endsOn: string | null; active: boolean;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Memberships filtered by user and/or body, newest first, paginated. */
export async function listMemberships(db: Executor, user: CurrentUser | null, f: { userId?: number; bodyId?: number; page?: number; pageSize?: number }) {
  await requireAdmin(db, user, 'admin.users');
  const size = f.pageSize ?? 50;
  let q = db.selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('bodies', 'bodies.id', 'memberships.body_id')
    .leftJoin('terms', 'terms.id', 'memberships.term_id');
  if (f.userId !== undefined) q = q.where('memberships.user_id', '=', f.userId);
  if (f.bodyId !== undefined) q = q.where('memberships.body_id', '=', f.bodyId);
  const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.select(['memberships.id', 'memberships.user_id', 'users.display_name', 'memberships.body_id', 'bodies.name as body_name',
    'memberships.role', 'memberships.term_id', 'terms.name as term_name', 'memberships.title', 'memberships.starts_on', 'memberships.ends_on'])
    .orderBy('memberships.id', 'desc').limit(size).offset(((f.page ?? 1) - 1) * size).execute();
  const d = today();
  const list: MembershipRow[] = rows.map((r) => ({
    id: r.id, userId: r.user_id, userName: r.display_name, bodyId: r.body_id, bodyName: r.body_name, role: r.role,
    termId: r.term_id, termName: r.term_name, title: r.title, startsOn: r.starts_on, endsOn: r.ends_on, active: !r.ends_on || r.ends_on >= d,
  }));
  return { rows: list, total: Number(n) };
}

export async function addMembership(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  const v = validate(spec, input);
  if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) throw new ValidationError([{ field: 'endsOn', message: (t) => t.adminPeople.errEndsBeforeStart }]);
  const id = await guardConstraints(() => db.transaction().execute(async (trx) => {
    const [u, b, term] = [
      await trx.selectFrom('users').select(['id', 'status']).where('id', '=', v.userId).executeTakeFirst(),
      await trx.selectFrom('bodies').select('id').where('id', '=', v.bodyId).executeTakeFirst(),
      v.termId === null ? null : await trx.selectFrom('terms').select('id').where('id', '=', v.termId).executeTakeFirst(),
    ];
    const issues: ValidationError['issues'] = [];
    if (!u || u.status === 'erased') issues.push({ field: 'userId', message: (t) => t.adminPeople.errUnknownUser });
    if (!b) issues.push({ field: 'bodyId', message: (t) => t.adminPeople.errUnknownBody });
    if (v.termId !== null && !term) issues.push({ field: 'termId', message: (t) => t.adminPeople.errUnknownTerm });
    if (issues.length) throw new ValidationError(issues);
    const dup = await trx.selectFrom('memberships').select('id').where('user_id', '=', v.userId).where('body_id', '=', v.bodyId)
      .where('role', '=', v.role).where((eb) => (v.termId === null ? eb('term_id', 'is', null) : eb('term_id', '=', v.termId)))
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today())])).executeTakeFirst();
    if (dup) throw new ValidationError([{ field: 'role', message: (t) => t.adminPeople.errDuplicateMembership }]);
    const row = await trx.insertInto('memberships').values({
      user_id: v.userId, body_id: v.bodyId, role: v.role, term_id: v.termId, title: v.title, starts_on: v.startsOn, ends_on: v.endsOn, created_at: nowIso(),
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'membership', streamId: row.id, action: 'created', actorId: actor.id,
      data: { userId: v.userId, bodyId: v.bodyId, role: v.role, termId: v.termId } });
    return row.id;
  }));
  ctx.pageCache.invalidate();
  return id;
}

/** Ends a membership today (or on the given date); the row stays as history. */
export async function endMembership(ctx: AppContext, user: CurrentUser | null, id: number, input: unknown = {}): Promise<number> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  const v = validate({ endsOn: date({ label: (t) => t.adminPeople.endsOn, required: false }) }, input);
  const m = await db.selectFrom('memberships').select(['id', 'user_id', 'starts_on', 'ends_on']).where('id', '=', id).executeTakeFirst();
  if (!m) throw new NotFoundError();
  const endsOn = v.endsOn ?? today();
  if (m.ends_on && m.ends_on <= endsOn) throw new BadRequestError((t) => t.adminPeople.errAlreadyEnded);
  if (v.endsOn && m.starts_on && v.endsOn < m.starts_on) throw new ValidationError([{ field: 'endsOn', message: (t) => t.adminPeople.errEndsBeforeStart }]);
  // Ending means "no longer active": the end date is yesterday's date when ended today.
  const stored = v.endsOn ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('memberships').set({ ends_on: stored }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'membership', streamId: id, action: 'ended', actorId: actor.id, data: { endsOn: stored } });
  });
  ctx.pageCache.invalidate();
  return m.user_id;
}
