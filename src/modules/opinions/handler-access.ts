import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { UnauthenticatedError } from '../../platform/errors.js';
import { type Scope, can } from '../../platform/permissions.js';

// Who may do what in the handlers' pages: worked out once per request from the body tree
// (one query), not per row.

export interface BodyInfo { id: number; parentId: number | null; kind: string; name: string; nameEn: string | null; depth: number }

export interface HandlerAccess {
  user: CurrentUser;
  /** Every body, parents before children (for names and pickers). */
  bodies: BodyInfo[];
  /** Bodies whose inbox this person may open (`canHandleBody`), departments excluded. */
  handle: Set<number>;
  /** Bodies whose opinions this person supervises ('opinion.supervise'). */
  supervise: Set<number>;
  /** Departments this person answers for ('action.answer'). */
  departments: number[];
  /** A member (or anyone opinions were passed to by name): has a personal inbox. */
  hasMine: boolean;
  /** Whether the person supervises every body (no body filter needed). */
  superviseAll: boolean;
  /** 'pii.view': sees citizens' phone numbers unmasked. */
  piiView: boolean;
}

const loadBodies = (db: Executor) => db.selectFrom('bodies').select(['id', 'parent_id', 'kind', 'name', 'name_en', 'sort']).orderBy('sort').orderBy('id').execute();

/**
 * `memo`, when given, keeps the body tree between requests (the shared page memo: cleared
 * whenever the structure changes, since changing it invalidates the public pages).
 */
export async function handlerAccess(db: Executor, user: CurrentUser | null, memo?: <T>(key: string, load: () => Promise<T>) => Promise<T>): Promise<HandlerAccess> {
  if (!user) throw new UnauthenticatedError();
  const rows = memo ? await memo('opinions.bodyTree', () => loadBodies(db)) : await loadBodies(db);
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const rootBodyIds = rows.filter((r) => r.parent_id === null).map((r) => r.id);
  const pathOf = (id: number): number[] => {
    const path: number[] = [];
    let cur: number | null | undefined = id;
    while (cur != null && parent.has(cur) && !path.includes(cur)) { path.push(cur); cur = parent.get(cur); }
    return path;
  };
  const handle = new Set<number>();
  const supervise = new Set<number>();
  const departments: number[] = [];
  const mine = new Set(user.memberships.map((m) => m.bodyId));
  for (const r of rows) {
    const scope: Scope = { bodyPath: pathOf(r.id), rootBodyIds };
    if (r.kind === 'department') {
      if (can(user, 'action.answer', scope)) departments.push(r.id);
      continue;
    }
    if (can(user, 'opinion.handle', scope) || (r.kind === 'member_studio' && mine.has(r.id))) handle.add(r.id);
    if (can(user, 'opinion.supervise', scope)) supervise.add(r.id);
  }
  const seat = user.memberships.some((m) => m.role === 'member' || m.role === 'standing_member');
  const hasMine = seat || Boolean(await db.selectFrom('opinions').select('id').where('handler_user_id', '=', user.id).limit(1).executeTakeFirst());
  const nonDept = rows.filter((r) => r.kind !== 'department').length;
  return { user, bodies: orderTree(rows), handle, supervise, departments, hasMine, superviseAll: supervise.size === nonDept,
    piiView: can(user, 'pii.view', { bodyPath: [], rootBodyIds }) };
}

/** Parents first, each followed by its children, with their depth (for indented pickers). */
function orderTree(rows: { id: number; parent_id: number | null; kind: string; name: string; name_en: string | null }[]): BodyInfo[] {
  const children = new Map<number | null, typeof rows>();
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const p = r.parent_id !== null && ids.has(r.parent_id) ? r.parent_id : null;
    children.set(p, [...(children.get(p) ?? []), r]);
  }
  const out: BodyInfo[] = [];
  const seen = new Set<number>();
  const walk = (p: number | null, depth: number) => {
    for (const r of children.get(p) ?? []) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ id: r.id, parentId: r.parent_id, kind: r.kind, name: r.name, nameEn: r.name_en, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Whether the person has any part in handling: an inbox, a supervision, a department. */
export const hasHandlerRights = (a: HandlerAccess): boolean => a.hasMine || a.handle.size > 0 || a.departments.length > 0;

/** The handler pages' navigation: which sections this person sees. */
export interface HandlerNav { inbox: boolean; overdue: boolean; actions: boolean; configure: boolean }
export const navOf = (a: HandlerAccess): HandlerNav => ({
  inbox: a.hasMine || a.handle.size > 0, overdue: a.supervise.size > 0, actions: a.departments.length > 0, configure: a.user.isAdmin,
});

/** Rights on one opinion, as `rightsOn` computes them, from the access already loaded. */
export function rightsFrom(a: HandlerAccess, op: { handler_body_id: number; handler_user_id: number | null }): { handle: boolean; supervise: boolean } {
  return { handle: op.handler_user_id === a.user.id || a.handle.has(op.handler_body_id), supervise: a.supervise.has(op.handler_body_id) };
}
