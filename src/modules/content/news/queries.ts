import type { Executor } from '../../../db/database.js';
import type { NewsKind } from '../../../db/schema.js';

export const NEWS_PAGE_SIZE = 20;

export interface NewsFilter { kind: NewsKind | null; bodyId: number | null; page: number }

export interface NewsListItem {
  id: number; kind: NewsKind; title: string; summary: string; published_at: string | null;
  body_id: number; body_name: string; body_name_en: string | null;
}

function published(db: Executor, now: string) {
  return db.selectFrom('news').innerJoin('bodies', 'bodies.id', 'news.body_id')
    .where('news.status', '=', 'published').where('news.published_at', '<=', now);
}

/** Counting stops here: nobody pages through more than 500 pages of news, and counting 100,000 rows on every request is what makes a list slow. */
export const NEWS_COUNT_CAP = 10_000;

/**
 * Published news, newest first, one page of NEWS_PAGE_SIZE, and the total count (capped at
 * NEWS_COUNT_CAP; `withTotal: false` skips counting for lists that show no pager).
 */
export async function listPublishedNews(
  db: Executor, f: NewsFilter, pageSize = NEWS_PAGE_SIZE, opts: { withTotal?: boolean } = {},
): Promise<{ items: NewsListItem[]; total: number }> {
  const now = new Date().toISOString();
  let q = published(db, now);
  if (f.kind) q = q.where('news.kind', '=', f.kind);
  if (f.bodyId) q = q.where('news.body_id', '=', f.bodyId);
  // The count needs no join: every news row has its body (foreign key).
  let c = db.selectFrom('news').where('news.status', '=', 'published').where('news.published_at', '<=', now);
  if (f.kind) c = c.where('news.kind', '=', f.kind);
  if (f.bodyId) c = c.where('news.body_id', '=', f.bodyId);
  const [items, count] = await Promise.all([
    q.select(['news.id', 'news.kind', 'news.title', 'news.summary', 'news.published_at', 'news.body_id',
      'bodies.name as body_name', 'bodies.name_en as body_name_en'])
      .orderBy('news.published_at', 'desc').orderBy('news.id', 'desc')
      .limit(pageSize).offset((f.page - 1) * pageSize).execute(),
    opts.withTotal === false ? Promise.resolve({ n: 0 })
      : db.selectFrom(c.select('news.id').limit(NEWS_COUNT_CAP).as('capped')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function findNews(db: Executor, id: number) {
  return db.selectFrom('news').innerJoin('bodies', 'bodies.id', 'news.body_id')
    .selectAll('news').select(['bodies.name as body_name', 'bodies.name_en as body_name_en'])
    .where('news.id', '=', id).executeTakeFirst();
}
export type NewsRow = NonNullable<Awaited<ReturnType<typeof findNews>>>;

export const isPublicNews = (n: { status: string; published_at: string | null }, now = new Date().toISOString()): boolean =>
  n.status === 'published' && n.published_at !== null && n.published_at <= now;
