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

// Asked on every signed-in request, so one read: the person and their memberships (a citizen,
// with none, is one row with the membership columns empty). Built once (db/prepared.ts). The
// session and API-token reads (sessions.ts) join the same columns, so a signed-in request costs
// one round trip for who is asking.
export const USER_COLUMNS = ['u.id', 'u.display_name', 'u.is_admin', 'u.password_hash', 'u.totp_enabled', 'u.status', 'm.body_id', 'm.role', 'm.term_id', 'm.ends_on'] as const;
export interface UserRow {
  id: number; display_name: string; is_admin: number; password_hash: string | null; totp_enabled: number; status: string;
  body_id: number | null; role: MembershipRole | null; term_id: number | null; ends_on: string | null;
}
const userRows = preparedQuery(1, (db, id: number) => db.selectFrom('users as u').leftJoin('memberships as m', 'm.user_id', 'u.id').select(USER_COLUMNS).where('u.id', '=', id));

/** The person from the rows of `USER_COLUMNS` (one per membership); null unless active. */
export function currentUserFrom(rows: readonly UserRow[]): CurrentUser | null {
  const user = rows[0];
  if (!user || user.status !== 'active') return null;
  const today = new Date().toISOString().slice(0, 10);
  return {
    id: user.id,
    displayName: user.display_name,
    isAdmin: user.is_admin === 1,
    hasPassword: user.password_hash !== null,
    totpEnabled: user.totp_enabled === 1,
    memberships: rows.filter((r) => r.body_id !== null && r.role !== null && (!r.ends_on || r.ends_on >= today))
      .map((r) => ({ bodyId: r.body_id!, role: r.role!, termId: r.term_id })),
  };
}

export async function loadCurrentUser(db: Executor, userId: number): Promise<CurrentUser | null> {
  return currentUserFrom(await userRows.execute(db, userId));
}
