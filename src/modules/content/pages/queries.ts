import type { Executor } from '../../../db/database.js';
import type { PageKind } from '../../../db/schema.js';

export const PAGE_KINDS: readonly PageKind[] = ['overview', 'rules', 'duties', 'page'];

function published(db: Executor) {
  return db.selectFrom('pages').where('status', '=', 'published').where('published_at', '<=', new Date().toISOString());
}

/** Published pages of one kind in their editors' order. */
export async function publishedPagesOfKind(db: Executor, kind: PageKind, limit = 200) {
  return published(db).selectAll().where('kind', '=', kind).orderBy('sort').orderBy('id').limit(limit).execute();
}

export async function publishedPageBySlug(db: Executor, slug: string) {
  return published(db).selectAll().where('slug', '=', slug).orderBy('id').executeTakeFirst();
}

export async function findPage(db: Executor, id: number) {
  return db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
}
export type PageRow = NonNullable<Awaited<ReturnType<typeof findPage>>>;

export async function slugTaken(db: Executor, slug: string, exceptId: number | null): Promise<boolean> {
  let q = db.selectFrom('pages').select('id').where('slug', '=', slug);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
