import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { scopeFor } from '../../platform/body-scope.js';
import { can } from '../../platform/permissions.js';
import { maskPhone } from '../../platform/validation.js';
import { mayAdminister } from '../admin/dashboard/service.js';
import type { AccountView } from './pages/account.js';

export async function phoneOf(db: Executor, userId: number): Promise<string | null> {
  const row = await db.selectFrom('user_pii').select('phone').where('user_id', '=', userId).executeTakeFirst();
  return row?.phone ?? null;
}

/** What the account home shows: the person's own name, masked phone and current roles. */
export async function accountView(db: Executor, user: CurrentUser): Promise<AccountView> {
  const ids = [...new Set(user.memberships.map((m) => m.bodyId))];
  const bodies = ids.length ? await db.selectFrom('bodies').select(['id', 'name']).where('id', 'in', ids).execute() : [];
  const name = new Map(bodies.map((b) => [b.id, b.name]));
  const phone = await phoneOf(db, user.id);
  return {
    displayName: user.displayName,
    maskedPhone: phone ? maskPhone(phone) : null,
    roles: user.memberships.map((m) => ({ body: name.get(m.bodyId) ?? '', role: m.role })),
    hasPassword: user.hasPassword,
    isAdmin: user.isAdmin,
    // Staff who may administer something (consultations, content, categories…) reach /admin too.
    mayAdminister: user.memberships.length > 0 || user.isAdmin ? await mayAdminister(db, user) : false,
    canHandlePrivacy: can(user, 'privacy.handle', await scopeFor(db, null)),
  };
}
