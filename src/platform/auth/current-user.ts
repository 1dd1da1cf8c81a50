import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import type { MembershipRole } from '../../db/schema.js';

export interface MembershipGrant {
  bodyId: number;
  role: MembershipRole;
  termId: number | null;
}

/** The signed-in person as services see them. A citizen has no memberships. */
export interface CurrentUser {
  id: number;
  displayName: string;
  isAdmin: boolean;
  hasPassword: boolean;
  totpEnabled: boolean;
  memberships: MembershipGrant[];
}

// Asked on every signed-in request: built once (db/prepared.ts).
const userById = preparedQuery(1, (db, id: number) => db.selectFrom('users')
  .select(['id', 'display_name', 'is_admin', 'password_hash', 'totp_enabled', 'status']).where('id', '=', id));
const membershipsOf = preparedQuery(1, (db, id: number) => db.selectFrom('memberships')
  .select(['body_id', 'role', 'term_id', 'ends_on']).where('user_id', '=', id));

export async function loadCurrentUser(db: Executor, userId: number): Promise<CurrentUser | null> {
  const user = await userById.first(db, userId);
  if (!user || user.status !== 'active') return null;
  const today = new Date().toISOString().slice(0, 10);
  const rows = await membershipsOf.execute(db, userId);
  return {
    id: user.id,
    displayName: user.display_name,
    isAdmin: user.is_admin === 1,
    hasPassword: user.password_hash !== null,
    totpEnabled: user.totp_enabled === 1,
    memberships: rows.filter((r) => !r.ends_on || r.ends_on >= today)
      .map((r) => ({ bodyId: r.body_id, role: r.role, termId: r.term_id })),
  };
}
