import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { scopeFor } from '../../../platform/body-scope.js';
import { ForbiddenError, UnauthenticatedError } from '../../../platform/errors.js';
import { can } from '../../../platform/permissions.js';
import { manageableBodies } from '../../consultations/access.js';

export interface Dashboard {
  structure: { regions: number; bodies: number; sectors: number; terms: number } | null;
  users: { users: number } | null;
  tokens: { active: number } | null;
  outbox: { pending: number; failed: number; sms: number } | null;
  content: boolean;
  privacy: { pending: number } | null;
  opinionCategories: boolean;
  /** Holds consultations (and their online deliberations) for some body. */
  consultations: boolean;
}

const count = async (db: Executor, table: 'regions' | 'bodies' | 'sectors' | 'terms' | 'users' | 'sms_messages') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** What the signed-in person may administer, with counts; nothing at all is a 403. */
export async function loadDashboard(db: Executor, user: CurrentUser | null): Promise<Dashboard> {
  if (!user) throw new UnauthenticatedError();
  const root = await scopeFor(db, null);
  // Content rights sit on a body: any body the person belongs to (or the root) may grant them.
  const bodyIds = [...new Set([...root.rootBodyIds, ...user.memberships.map((m) => m.bodyId)])];
  let content = false;
  for (const id of bodyIds) {
    if (can(user, 'content.publish', await scopeFor(db, id))) { content = true; break; }
  }
  const d: Dashboard = {
    structure: can(user, 'admin.structure', root)
      ? { regions: await count(db, 'regions'), bodies: await count(db, 'bodies'), sectors: await count(db, 'sectors'), terms: await count(db, 'terms') } : null,
    users: can(user, 'admin.users', root) ? { users: await count(db, 'users') } : null,
    tokens: can(user, 'admin.tokens', root)
      ? { active: Number((await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).executeTakeFirstOrThrow()).n) } : null,
    outbox: null,
    content,
    privacy: can(user, 'privacy.handle', root)
      ? { pending: Number((await db.selectFrom('data_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n) } : null,
    opinionCategories: can(user, 'opinion.configure', root),
    consultations: user.isAdmin || (await manageableBodies(db, user)).length > 0,
  };
  if (can(user, 'admin.outbox', root)) {
    const jobs = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('status', 'in', ['pending', 'failed']).groupBy('status').execute();
    const of = (s: string) => Number(jobs.find((j) => j.status === s)?.n ?? 0);
    d.outbox = { pending: of('pending'), failed: of('failed'), sms: await count(db, 'sms_messages') };
  }
  if (!d.structure && !d.users && !d.tokens && !d.outbox && !d.content && !d.privacy && !d.opinionCategories && !d.consultations) throw new ForbiddenError();
  return d;
}
