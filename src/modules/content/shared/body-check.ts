import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { scopeFor } from '../../../platform/body-scope.js';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../../../platform/errors.js';
import { assertCan } from '../../../platform/permissions.js';
import { publishableBodies } from './editable-bodies.js';

/** The chosen body exists and the user may publish for it (staff of a group, not of its committee). */
export async function assertCanPublishFor(db: Executor, user: CurrentUser | null, bodyId: number): Promise<CurrentUser> {
  const body = await db.selectFrom('bodies').select('id').where('id', '=', bodyId).executeTakeFirst();
  if (!body) throw new ValidationError([{ field: 'body_id', message: (t) => t.contentAdmin.errUnknownBody }]);
  assertCan(user, 'content.publish', await scopeFor(db, bodyId));
  return user;
}

/** Before reading a submission: who is not signed in, or may publish for no body at all, is refused outright. */
export async function assertEditor(db: Executor, user: CurrentUser | null): Promise<CurrentUser> {
  if (!user) throw new UnauthenticatedError();
  if (!(await publishableBodies(db, user)).length) throw new ForbiddenError();
  return user;
}
