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

interface Rights {
  root: Awaited<ReturnType<typeof scopeFor>>;
  structure: boolean; users: boolean; tokens: boolean; outbox: boolean; content: boolean; privacy: boolean; opinionCategories: boolean; consultations: boolean;
}

/** Which parts of the dashboard the person may use (no counting). */
async function rightsOf(db: Executor, user: CurrentUser): Promise<Rights> {
  const root = await scopeFor(db, null);
  // Content rights sit on a body: any body the person belongs to (or the root) may grant them.
  const bodyIds = [...new Set([...root.rootBodyIds, ...user.memberships.map((m) => m.bodyId)])];
  let content = false;
  for (const id of bodyIds) {
    if (can(user, 'content.publish', await scopeFor(db, id))) { content = true; break; }
  }
  return {
    root, content,
    structure: can(user, 'admin.structure', root), users: can(user, 'admin.users', root), tokens: can(user, 'admin.tokens', root),
    outbox: can(user, 'admin.outbox', root), privacy: can(user, 'privacy.handle', root), opinionCategories: can(user, 'opinion.configure', root),
    consultations: user.isAdmin || (await manageableBodies(db, user)).length > 0,
  };
}

const anyRight = (r: Rights): boolean => r.structure || r.users || r.tokens || r.outbox || r.content || r.privacy || r.opinionCategories || r.consultations;

/** Whether the dashboard has anything for this person (the account page links it then). */
export async function mayAdminister(db: Executor, user: CurrentUser): Promise<boolean> {
  return user.isAdmin || anyRight(await rightsOf(db, user));
}

/** What the signed-in person may administer, with counts; nothing at all is a 403. */
export async function loadDashboard(db: Executor, user: CurrentUser | null): Promise<Dashboard> {
  if (!user) throw new UnauthenticatedError();
  const r = await rightsOf(db, user);
  if (!anyRight(r)) throw new ForbiddenError();
  const d: Dashboard = {
    structure: r.structure
      ? { regions: await count(db, 'regions'), bodies: await count(db, 'bodies'), sectors: await count(db, 'sectors'), terms: await count(db, 'terms') } : null,
    users: r.users ? { users: await count(db, 'users') } : null,
    tokens: r.tokens
      ? { active: Number((await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).executeTakeFirstOrThrow()).n) } : null,
    outbox: null,
    content: r.content,
    privacy: r.privacy
      ? { pending: Number((await db.selectFrom('data_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n) } : null,
    opinionCategories: r.opinionCategories,
    consultations: r.consultations,
  };
  if (r.outbox) {
    const jobs = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('status', 'in', ['pending', 'failed']).groupBy('status').execute();
    const of = (s: string) => Number(jobs.find((j) => j.status === s)?.n ?? 0);
    d.outbox = { pending: of('pending'), failed: of('failed'), sms: await count(db, 'sms_messages') };
  }
  return d;
}
