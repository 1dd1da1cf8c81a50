import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { OpinionsTable } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { scopeFor } from '../../platform/body-scope.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';

export type OpinionRow = Selectable<OpinionsTable>;

export async function loadOpinion(db: Executor, id: number): Promise<OpinionRow> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError();
  const row = await db.selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

export interface Rights {
  /** Accept, reply, assign, forward, merge: the member it was sent to, or the handling body's staff. */
  handle: boolean;
  /** Sees ratings and overdue items of the bodies below, and exports. */
  supervise: boolean;
  /** The citizen who sent it. */
  sender: boolean;
}

/** Whether a user may handle a body's inbox: its staff (or a parent's), or anyone on a member studio. */
export async function canHandleBody(db: Executor, user: CurrentUser | null, bodyId: number): Promise<boolean> {
  if (!user) return false;
  const scope = await scopeFor(db, bodyId);
  if (can(user, 'opinion.handle', scope)) return true;
  if (!user.memberships.some((m) => m.bodyId === bodyId)) return false;
  const body = await db.selectFrom('bodies').select('kind').where('id', '=', bodyId).executeTakeFirst();
  return body?.kind === 'member_studio';
}

export async function rightsOn(db: Executor, user: CurrentUser | null, op: OpinionRow): Promise<Rights> {
  if (!user) return { handle: false, supervise: false, sender: false };
  const scope = await scopeFor(db, op.handler_body_id);
  const supervise = can(user, 'opinion.supervise', scope);
  const handle = op.handler_user_id === user.id || (await canHandleBody(db, user, op.handler_body_id));
  return { handle, supervise, sender: op.citizen_id === user.id };
}

export async function assertHandler(db: Executor, user: CurrentUser | null, op: OpinionRow): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  const r = await rightsOn(db, user, op);
  if (!r.handle && !r.supervise) throw new ForbiddenError();
  return user;
}
