import type { Executor } from '../../db/database.js';
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

export async function loadCurrentUser(db: Executor, userId: number): Promise<CurrentUser | null> {
  const user = await db.selectFrom('users')
    .select(['id', 'display_name', 'is_admin', 'password_hash', 'totp_enabled', 'status'])
    .where('id', '=', userId).executeTakeFirst();
  if (!user || user.status !== 'active') return null;
  const today = new Date().toISOString().slice(0, 10);
  const rows = await db.selectFrom('memberships').select(['body_id', 'role', 'term_id', 'ends_on'])
    .where('user_id', '=', userId).execute();
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
