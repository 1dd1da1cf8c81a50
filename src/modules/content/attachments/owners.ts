import type { Executor } from '../../../db/database.js';

export const OWNER_TYPES = ['news', 'page'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export interface Owner { type: OwnerType; id: number; bodyId: number; isPublic: boolean; editUrl: string }

/** The news item or page an attachment belongs to, and whether the public may see it. */
export async function findOwner(db: Executor, type: OwnerType, id: number): Promise<Owner | null> {
  const now = new Date().toISOString();
  const row = type === 'news'
    ? await db.selectFrom('news').select(['body_id', 'status', 'published_at']).where('id', '=', id).executeTakeFirst()
    : await db.selectFrom('pages').select(['body_id', 'status', 'published_at']).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const isPublic = row.status === 'published' && row.published_at !== null && row.published_at <= now;
  return { type, id, bodyId: row.body_id, isPublic, editUrl: `/admin/content/${type === 'news' ? 'news' : 'pages'}/${id}` };
}
