import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ConsultationsTable, TopicCallsTable } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import { type Scope, can } from '../../platform/permissions.js';
import { isPostgres } from '../../platform/timeline/audit.js';
import type { BodyOption } from '../content/shared/editable-bodies.js';

// Loading consultations and calls, and who may manage them: staff (or facilitators) of a
// holding body or a body above it. A joint consultation may be managed from any holder.

export type ConsultationRow = Selectable<ConsultationsTable>;
export type TopicCallRow = Selectable<TopicCallsTable>;
export const STREAM = 'consultation';

export const validId = (id: number): boolean => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;

export async function loadConsultation(db: Executor, id: number): Promise<ConsultationRow> {
  if (!validId(id)) throw new NotFoundError();
  const row = await db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * Serialises changes to one consultation's registrations (seats, waiting list, codes):
 * a row lock on PostgreSQL; SQLite has one writer, so reading the row is enough.
 */
export async function lockConsultation(trx: Executor, id: number): Promise<ConsultationRow> {
  if (!validId(id)) throw new NotFoundError();
  const q = trx.selectFrom('consultations').selectAll().where('id', '=', id);
  const row = await (isPostgres(trx) ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

export async function loadCall(db: Executor, id: number): Promise<TopicCallRow> {
  if (!validId(id)) throw new NotFoundError();
  const row = await db.selectFrom('topic_calls').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** Every body's permission scope, from one read of the (small) bodies table. */
export async function scopes(db: Executor): Promise<{ scopeOf(bodyId: number): Scope; bodies: Array<BodyOption & { parentId: number | null }> }> {
  const rows = await db.selectFrom('bodies').select(['id', 'parent_id', 'name', 'name_en', 'kind']).orderBy('sort').orderBy('id').execute();
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const rootBodyIds = rows.filter((r) => r.parent_id === null).map((r) => r.id);
  const scopeOf = (bodyId: number): Scope => {
    const bodyPath: number[] = [];
    let cur: number | null | undefined = bodyId;
    while (cur != null && parent.has(cur) && !bodyPath.includes(cur)) { bodyPath.push(cur); cur = parent.get(cur); }
    return { bodyPath, rootBodyIds };
  };
  return { scopeOf, bodies: rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, kind: r.kind, parentId: r.parent_id })) };
}

/** The bodies the user may hold consultations, calls and plans for. */
export async function manageableBodies(db: Executor, user: CurrentUser | null): Promise<BodyOption[]> {
  if (!user) return [];
  const s = await scopes(db);
  return s.bodies.filter((b) => b.kind !== 'department' && can(user, 'consultation.manage', s.scopeOf(b.id)))
    .map(({ id, name, nameEn, kind }) => ({ id, name, nameEn, kind }));
}

export async function canManageAny(db: Executor, user: CurrentUser | null, bodyIds: number[]): Promise<boolean> {
  if (!user) return false;
  if (user.isAdmin) return true;
  return managesAnyIn(await scopes(db), user, bodyIds);
}

/** The rule of `canManageAny`, judged by a body tree the caller already holds. */
export function managesAnyIn(tree: { scopeOf(bodyId: number): Scope }, user: CurrentUser, bodyIds: number[]): boolean {
  return user.isAdmin || bodyIds.some((id) => can(user, 'consultation.manage', tree.scopeOf(id)));
}

export async function assertManageAny(db: Executor, user: CurrentUser | null, bodyIds: number[]): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  if (!(await canManageAny(db, user, bodyIds))) throw new ForbiddenError();
  return user;
}

/** Before a new call, plan or consultation is even validated: the person must organise for some body. */
export async function assertOrganiser(db: Executor, user: CurrentUser | null): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  if (!(await manageableBodies(db, user)).length) throw new ForbiddenError();
  return user;
}

export async function holdingBodyIds(db: Executor, consultationId: number): Promise<number[]> {
  const rows = await db.selectFrom('consultation_bodies').select('body_id').where('consultation_id', '=', consultationId).execute();
  return rows.map((r) => r.body_id);
}

/** Loads a consultation its manager is about to change; anyone else is refused. */
export async function managedConsultation(db: Executor, user: CurrentUser | null, id: number): Promise<{ c: ConsultationRow; user: CurrentUser }> {
  const c = await loadConsultation(db, id);
  const u = await assertManageAny(db, user, [c.lead_body_id, ...(await holdingBodyIds(db, id))]);
  return { c, user: u };
}

export function requireUser(user: CurrentUser | null): CurrentUser {
  if (!user) throw new UnauthenticatedError();
  return user;
}

/** How a proposer or questioner is shown: by role, never by name. */
export function personKind(user: CurrentUser, bodyPath?: number[]): 'member' | 'staff' | 'citizen' {
  if (user.memberships.some((m) => m.role === 'member' || m.role === 'standing_member')) return 'member';
  if (bodyPath && user.memberships.some((m) => (m.role === 'staff' || m.role === 'council_facilitator') && bodyPath.includes(m.bodyId))) return 'staff';
  return 'citizen';
}
