import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import { holdingBodyIds, loadConsultation, scopes } from '../consultations/access.js';
import type { DeliberationRow } from './model.js';

// Who sees and who manages a deliberation. One of a consultation is as public as the
// consultation and is managed by the consultation's organisers ('consultation.manage' on a
// holding body); a standalone one (imported) is public and managed by its body's organisers,
// or by administrators when it has no body.

export const validId = (id: number): boolean => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;

export async function loadDeliberation(db: Executor, id: number): Promise<DeliberationRow> {
  if (!validId(id)) throw new NotFoundError();
  const row = await db.selectFrom('deliberations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** The bodies whose organisers manage the deliberation (empty: administrators only). */
export async function managingBodyIds(db: Executor, d: Pick<DeliberationRow, 'consultation_id' | 'body_id'>): Promise<number[]> {
  if (d.consultation_id !== null) {
    const c = await loadConsultation(db, d.consultation_id);
    return [c.lead_body_id, ...(await holdingBodyIds(db, c.id))];
  }
  return d.body_id === null ? [] : [d.body_id];
}

export async function canManage(db: Executor, user: CurrentUser | null, d: DeliberationRow): Promise<boolean> {
  if (!user) return false;
  if (user.isAdmin) return true;
  if (!user.memberships.length) return false;
  const bodies = await managingBodyIds(db, d);
  if (!bodies.length) return false;
  const s = await scopes(db);
  return bodies.some((b) => can(user, 'consultation.manage', s.scopeOf(b)));
}

export async function assertManage(db: Executor, user: CurrentUser | null, d: DeliberationRow): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  if (!(await canManage(db, user, d))) throw new ForbiddenError();
  return user;
}

/** A deliberation the public may see: standalone, or of a public consultation. */
export async function isPublic(db: Executor, d: DeliberationRow): Promise<boolean> {
  if (d.consultation_id === null) return true;
  const c = await db.selectFrom('consultations').select('is_public').where('id', '=', d.consultation_id).executeTakeFirst();
  return c?.is_public === 1;
}

/** Loads a deliberation for someone who is not (necessarily) its organiser; hidden ones are not found. */
export async function visibleDeliberation(db: Executor, id: number, user: CurrentUser | null = null): Promise<DeliberationRow> {
  const d = await loadDeliberation(db, id);
  if (!(await isPublic(db, d)) && !(await canManage(db, user, d))) throw new NotFoundError();
  return d;
}

export async function managedDeliberation(db: Executor, user: CurrentUser | null, id: number): Promise<{ d: DeliberationRow; user: CurrentUser }> {
  const d = await loadDeliberation(db, id);
  return { d, user: await assertManage(db, user, d) };
}

/** May the user create a deliberation for this consultation? */
export async function assertManageConsultation(db: Executor, user: CurrentUser | null, consultationId: number): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  const c = await loadConsultation(db, consultationId);
  const bodies = [c.lead_body_id, ...(await holdingBodyIds(db, c.id))];
  if (user.isAdmin) return user;
  const s = await scopes(db);
  if (!bodies.some((b) => can(user, 'consultation.manage', s.scopeOf(b)))) throw new ForbiddenError();
  return user;
}

export async function assertManageBody(db: Executor, user: CurrentUser | null, bodyId: number | null): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  if (user.isAdmin) return user;
  if (bodyId === null) throw new ForbiddenError();
  const s = await scopes(db);
  if (!s.bodies.some((b) => b.id === bodyId) || !can(user, 'consultation.manage', s.scopeOf(bodyId))) throw new ForbiddenError();
  return user;
}
