import type { Executor } from '../db/database.js';
import type { Scope } from './permissions.js';

/** The permission scope of a body: the body and its ancestors, plus the root bodies. */
export async function scopeFor(db: Executor, bodyId: number | null): Promise<Scope> {
  const rows = await db.selectFrom('bodies').select(['id', 'parent_id']).execute();
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const rootBodyIds = rows.filter((r) => r.parent_id === null).map((r) => r.id);
  const bodyPath: number[] = [];
  let cur: number | null | undefined = bodyId;
  while (cur != null && parent.has(cur) && !bodyPath.includes(cur)) {
    bodyPath.push(cur);
    cur = parent.get(cur);
  }
  return { bodyPath, rootBodyIds };
}
