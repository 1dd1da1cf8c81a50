import type { AppContext } from '../src/context.js';
import type { Executor } from '../src/db/database.js';
import { htmlToText, renderMarkdown } from '../src/modules/content/shared/markdown.js';
import { insertAll, insertMany } from '../src/modules/demo/batch.js';
import { SPECIAL_COMMITTEES } from '../src/modules/demo/data/bodies.js';
import { TOPICS } from '../src/modules/demo/data/news.js';
import { TOWNSHIPS } from '../src/modules/demo/data/places.js';
import { generateMembers } from '../src/modules/demo/people.js';
import { Rng } from '../src/modules/demo/prng.js';
import { insertMembers } from '../src/modules/demo/seed-people.js';
import type { Structure } from '../src/modules/demo/seed-structure.js';
import { indexMember } from '../src/modules/members/search-index.js';
import { documentTokens, excerptOf } from '../src/platform/search/index.js';
import { tokenize } from '../src/platform/search/tokenize.js';

// Realistic volume on top of the demo county: thousands of members and a hundred thousand
// news items and pages, inserted in batches inside transactions and indexed for search
// with the platform's own tokenizer. Documents are built from the demo topics' pieces
// (a headline, three paragraphs, one paragraph of another topic, a township and an issue
// number), and the tokens of each piece are computed once: pieces are separated by line
// breaks, which the tokenizer never reads across, so the union of the pieces' tokens is
// exactly the document's token set (checked against documentTokens on a sample).

const CHUNK = 5000;

interface Doc { title: string; md: string; html: string; text: string; tokens: string }

class DocFactory {
  private html = new Map<string, { md: string; html: string; text: string; bodyTokens: string[] }>();
  private titleTokens = new Map<string, string[]>();

  build(i: number): Doc & { topic: number; township: number } {
    const topic = i % TOPICS.length;
    const township = Math.floor(i / TOPICS.length) % TOWNSHIPS.length;
    const extra = (topic + 1 + (Math.floor(i / 112) % (TOPICS.length - 1))) % TOPICS.length;
    const t = TOPICS[topic]!;
    const town = TOWNSHIPS[township]!.name;
    const issue = `（第${Math.floor(i / 112) + 1}期）`;
    const headline = t.titles[Math.floor(i / 7) % t.titles.length]!.replaceAll('{t}', town);
    const title = `${headline}${issue}`;
    const key = `${topic}|${township}|${extra}`;
    let body = this.html.get(key);
    if (!body) {
      const md = [...t.paras, TOPICS[extra]!.paras[1]!].map((p) => p.replaceAll('{t}', town)).join('\n\n');
      const html = renderMarkdown(md);
      const text = htmlToText(html);
      body = { md, html, text, bodyTokens: tokenize(text) };
      this.html.set(key, body);
    }
    let tt = this.titleTokens.get(title);
    if (!tt) {
      tt = tokenize(title);
      if (this.titleTokens.size > 20_000) this.titleTokens.clear();
      this.titleTokens.set(title, tt);
    }
    const all = [...new Set([...tt, ...body.bodyTokens])];
    return { topic, township, title, md: body.md, html: body.html, text: body.text, tokens: `${[...tt, ...tt].join(' ')}\n${all.join(' ')}` };
  }
}

/** Fails loudly if the shortcut above ever stops matching the platform's own tokens. */
export function checkTokens(): void {
  const f = new DocFactory();
  for (const i of [0, 5, 777, 12_345]) {
    const d = f.build(i);
    const want = documentTokens(d.title, d.text).split(/\s+/).sort();
    const got = d.tokens.split(/\s+/).sort();
    if (want.join(' ') !== got.join(' ')) throw new Error(`bench tokens differ from documentTokens for document ${i}`);
  }
}

export interface Volume { members: number; news: number; pages: number }

export async function seedVolume(ctx: AppContext, s: Structure, v: Volume, log: (l: string) => void): Promise<{ newsIds: number[] }> {
  const db = ctx.database.db;
  const now = Date.now();
  const members = generateMembers(new Rng(7), v.members, SPECIAL_COMMITTEES.length)
    .map((m, i) => ({ ...m, phone: `170${String(i).padStart(8, '0')}` }));
  await db.transaction().execute(async (trx) => {
    const ids = await insertMembers(trx, s, members, new Date(now).toISOString());
    for (const id of ids) await indexMember(trx, id);
  });
  log(`  ${v.members} members`);

  const f = new DocFactory();
  const newsIds: number[] = [];
  for (let start = 0; start < v.news; start += CHUNK) {
    await db.transaction().execute(async (trx) => {
      const docs = Array.from({ length: Math.min(CHUNK, v.news - start) }, (_, k) => f.build(start + k));
      const rows = docs.map((d, k) => {
        const at = new Date(now - ((v.news - start - k) * 5 * 365 * 86_400_000) / v.news).toISOString();
        const body = d.title.includes(TOWNSHIPS[d.township]!.name) ? s.liaisonGroupIds[d.township]! : (s.specialCommitteeIds[TOPICS[d.topic]!.committee] ?? s.committeeId);
        return { body_id: body, kind: TOPICS[d.topic]!.kind ?? 'news', title: d.title, summary: excerptOf(d.text), body_md: d.md, body_html: d.html,
          status: 'published', publish_at: null, published_at: at, author_id: null, created_at: at, updated_at: at };
      });
      const ids = await insertMany(trx, 'news', rows, 500);
      newsIds.push(...ids);
      await insertSearch(trx, docs.map((d, k) => ({ d, type: 'news', id: ids[k]!, url: `/news/${ids[k]}`, at: rows[k]!.published_at })));
    });
    log(`  ${Math.min(start + CHUNK, v.news)} / ${v.news} news items`);
  }
  await db.transaction().execute(async (trx) => {
    const docs = Array.from({ length: v.pages }, (_, k) => f.build(k * 3 + 1));
    const at = new Date(now).toISOString();
    const rows = docs.map((d, k) => ({ body_id: s.committeeId, slug: `volume-page-${k + 1}`, kind: 'page', title: d.title, body_md: d.md, body_html: d.html,
      status: 'published', publish_at: null, published_at: at, author_id: null, sort: 100 + k, created_at: at, updated_at: at }));
    const ids = await insertMany(trx, 'pages', rows, 500);
    await insertSearch(trx, docs.map((d, k) => ({ d, type: 'page', id: ids[k]!, url: `/pages/${rows[k]!.slug}`, at })));
  });
  log(`  ${v.pages} pages`);
  return { newsIds };
}

async function insertSearch(db: Executor, docs: { d: Doc; type: string; id: number; url: string; at: string }[]): Promise<void> {
  await insertAll(db, 'search_docs', docs.map(({ d, type, id, url, at }) => ({
    doc_type: type, doc_id: id, title: d.title, excerpt: excerptOf(d.text), url, published_at: at, tokens: d.tokens,
  })), 500);
}
