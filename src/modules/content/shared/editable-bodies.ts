import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { can } from '../../../platform/permissions.js';

export interface BodyOption { id: number; name: string; nameEn: string | null; kind: string }

/**
 * The bodies a user may publish content for: those where a membership grants
 * content.publish, and everything below them. One query; the tree is walked in memory.
 */
export async function publishableBodies(db: Executor, user: CurrentUser): Promise<BodyOption[]> {
  const rows = await db.selectFrom('bodies').select(['id', 'parent_id', 'name', 'name_en', 'kind', 'sort'])
    .orderBy('sort').orderBy('id').execute();
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const roots = rows.filter((r) => r.parent_id === null).map((r) => r.id);
  const pathOf = (id: number): number[] => {
    const path: number[] = [];
    let cur: number | null | undefined = id;
    while (cur != null && !path.includes(cur)) { path.push(cur); cur = parent.get(cur); }
    return path;
  };
  return rows.filter((r) => can(user, 'content.publish', { bodyPath: pathOf(r.id), rootBodyIds: roots }))
    .map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, kind: r.kind }));
}

export const bodyName = (b: { name: string; name_en?: string | null; nameEn?: string | null }, locale: string): string =>
  (locale === 'en' ? (b.name_en ?? b.nameEn) : null) || b.name;
