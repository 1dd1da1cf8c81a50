import type { Executor } from '../../db/database.js';
import { indexDocument } from '../../platform/search/index.js';
import { htmlToText, renderMarkdown } from '../content/shared/markdown.js';
import { insertMany } from './batch.js';
import { type NewsSeed, TOPICS, newsItem } from './data/news.js';
import { PAGES } from './data/pages.js';
import { TOWNSHIPS } from './data/places.js';
import type { Structure } from './seed-structure.js';

/** The committee's overview, rules and duties, published and indexed for search. */
export async function seedPages(db: Executor, s: Structure, authorId: number | null, now: string): Promise<void> {
  const rows = PAGES.map((p, i) => ({
    body_id: s.committeeId, slug: p.slug, kind: p.kind, title: p.title, body_md: p.md.trim(), body_html: renderMarkdown(p.md.trim()),
    status: 'published', publish_at: null, published_at: now, author_id: authorId, sort: i, created_at: now, updated_at: now,
  }));
  const ids = await insertMany(db, 'pages', rows);
  for (const [i, r] of rows.entries()) {
    await indexDocument(db, { docType: 'page', docId: ids[i]!, title: r.title, text: htmlToText(r.body_html), url: `/pages/${r.slug}`, publishedAt: now });
  }
}

/** The body a news item belongs to: its township's liaison group, the committee, or a special committee. */
export function newsBody(s: Structure, n: NewsSeed, mentionsTownship: boolean): number {
  if (n.kind === 'announcement') return s.committeeId;
  if (mentionsTownship) return s.liaisonGroupIds[n.township]!;
  return s.specialCommitteeIds[n.committee] ?? s.committeeId;
}

/** A news row; `html` lets bulk callers render a topic's Markdown once. */
export function newsRow(s: Structure, i: number, publishedAt: string, authorId: number | null, suffix = '', html?: string) {
  const township = i % TOWNSHIPS.length;
  const n = newsItem(i, TOWNSHIPS[township]!.name, township, suffix);
  const topic = TOPICS[i % TOPICS.length]!;
  const title = topic.titles[Math.floor(i / TOPICS.length) % topic.titles.length]!;
  return {
    body_id: newsBody(s, n, title.includes('{t}')), kind: n.kind, title: n.title, summary: n.summary, body_md: n.md,
    body_html: html ?? renderMarkdown(n.md), status: 'published' as const, publish_at: null, published_at: publishedAt,
    author_id: authorId, created_at: publishedAt, updated_at: publishedAt,
  };
}

/** `count` news items and announcements spread over the year before `now`, published and indexed. */
export async function seedNews(db: Executor, s: Structure, count: number, authorId: number | null, now: Date): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => {
    const daysAgo = Math.floor(((count - i) * 360) / count);
    const at = new Date(now.getTime() - daysAgo * 86_400_000 - ((i * 7) % 9) * 3_600_000).toISOString();
    return newsRow(s, i, at, authorId);
  });
  const ids = await insertMany(db, 'news', rows);
  for (const [i, r] of rows.entries()) {
    await indexDocument(db, { docType: 'news', docId: ids[i]!, title: r.title, text: htmlToText(r.body_html), url: `/news/${ids[i]}`, publishedAt: r.published_at });
  }
}
