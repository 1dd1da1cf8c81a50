import type { AppContext } from '../../../context.js';
import type { NewsKind, PageKind, PublishStatus } from '../../../db/schema.js';
import { renderMarkdown } from '../shared/markdown.js';

const now = () => new Date().toISOString();

/** A news item written straight to the table (for read-side tests). */
export async function insertNews(ctx: AppContext, o: { bodyId: number; title?: string; kind?: NewsKind; status?: PublishStatus; publishedAt?: string | null; md?: string }): Promise<number> {
  const md = o.md ?? '正文';
  const status = o.status ?? 'published';
  const r = await ctx.database.db.insertInto('news').values({
    body_id: o.bodyId, kind: o.kind ?? 'news', title: o.title ?? '新闻', summary: '', body_md: md, body_html: renderMarkdown(md), status,
    publish_at: null, published_at: o.publishedAt === undefined ? (status === 'published' ? now() : null) : o.publishedAt,
    author_id: null, created_at: now(), updated_at: now(),
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function insertPage(ctx: AppContext, o: { bodyId: number; slug: string; kind?: PageKind; title?: string; status?: PublishStatus; md?: string; sort?: number }): Promise<number> {
  const md = o.md ?? '页面正文';
  const status = o.status ?? 'published';
  const r = await ctx.database.db.insertInto('pages').values({
    body_id: o.bodyId, slug: o.slug, kind: o.kind ?? 'page', title: o.title ?? o.slug, body_md: md, body_html: renderMarkdown(md), status,
    publish_at: null, published_at: status === 'published' ? now() : null, author_id: null, sort: o.sort ?? 0, created_at: now(), updated_at: now(),
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** One h1 and a label for every visible input, select and textarea. */
export function assertAccessibleHtml(html: string, where: string): void {
  const h1s = html.match(/<h1[\s>]/g) ?? [];
  if (h1s.length !== 1) throw new Error(`${where}: expected one h1, found ${h1s.length}`);
  for (const m of html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attrs = m[2] ?? '';
    if (/type="(hidden|submit)"/.test(attrs)) continue;
    const id = /\sid="([^"]+)"/.exec(attrs)?.[1];
    if (!id || !html.includes(`for="${id}"`)) throw new Error(`${where}: unlabelled ${m[1]} ${attrs}`);
  }
  if (/<a\b[^>]*>\s*<\/a>/.test(html)) throw new Error(`${where}: empty link`);
}
