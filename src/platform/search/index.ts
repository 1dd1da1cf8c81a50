import { sql } from 'kysely';
import type { DialectName, Executor } from '../../db/database.js';
import { parseQuery, toFtsQuery, toTsQuery, tokenize } from './tokenize.js';

export interface SearchDoc {
  docType: string;
  docId: number;
  title: string;
  text: string;
  url: string;
  publishedAt: string | null;
}

export interface SearchHit {
  docType: string;
  docId: number;
  title: string;
  excerpt: string;
  url: string;
  publishedAt: string | null;
}

export interface SearchResult {
  /** Matches counted up to TOTAL_CAP; `more` says there are more than that. */
  total: number;
  more: boolean;
  items: SearchHit[];
}

/** Counting stops here: a broad query must not make the database walk the whole index. */
export const TOTAL_CAP = 1000;
const EXCERPT_CHARS = 120;
/**
 * The title's tokens come first, on their own line and repeated, so title matches rank
 * first: bm25 (SQLite) sees a higher term frequency, PostgreSQL weights the line 'A'.
 */
const TITLE_REPEAT = 2;

export function excerptOf(text: string): string {
  const cs = Array.from(text.replace(/\s+/gu, ' ').trim());
  return cs.length > EXCERPT_CHARS ? `${cs.slice(0, EXCERPT_CHARS).join('')}…` : cs.join('');
}

export function documentTokens(title: string, text: string): string {
  const titleTokens = tokenize(title);
  const all = tokenize(`${title}\n${text}`);
  const parts: string[] = [];
  for (let i = 0; i < TITLE_REPEAT; i++) parts.push(...titleTokens);
  return `${parts.join(' ')}\n${all.join(' ')}`;
}

/** Adds the document to the index or replaces its entry. Call it in the change's transaction. */
export async function indexDocument(db: Executor, doc: SearchDoc): Promise<void> {
  const row = {
    title: doc.title,
    excerpt: excerptOf(doc.text),
    url: doc.url,
    published_at: doc.publishedAt,
    tokens: documentTokens(doc.title, doc.text),
  };
  await db.insertInto('search_docs')
    .values({ doc_type: doc.docType, doc_id: doc.docId, ...row })
    .onConflict((oc) => oc.columns(['doc_type', 'doc_id']).doUpdateSet(row))
    .execute();
}

export async function removeDocument(db: Executor, docType: string, docId: number): Promise<void> {
  await db.deleteFrom('search_docs').where('doc_type', '=', docType).where('doc_id', '=', docId).execute();
}

export interface SearchParams {
  q: string;
  types?: string[];
  page: number;
  pageSize: number;
  /** Documents published after this moment are not shown yet (defaults to now). */
  now?: string;
}

interface Row {
  doc_type: string; doc_id: number; title: string; excerpt: string; url: string; published_at: string | null;
}

/**
 * Ranked full-text search: every query term must match; title matches first. The work is
 * bounded however broad the query: the newest TOTAL_CAP + 1 matches are found by id (both
 * engines walk their index in id order), and only those are ranked, so a query that
 * matches most of the index ranks the most recent thousand matches. The query text never
 * reaches SQL: it becomes a term expression of letters and digits, passed as a parameter.
 */
export async function searchDocuments(db: Executor, dialect: DialectName, p: SearchParams): Promise<SearchResult> {
  const parsed = parseQuery(p.q);
  const offset = (p.page - 1) * p.pageSize;
  const m = matchSource(dialect, parsed, p.types, p.now);
  if (!m || p.page < 1 || p.pageSize < 1) return { total: 0, more: false, items: [] };
  const { from, id } = m;

  const newest = await sql<{ id: number }>`SELECT ${id} AS id FROM ${from} ORDER BY ${id} DESC LIMIT ${TOTAL_CAP + 1}`.execute(db);
  const n = newest.rows.length;
  const total = Math.min(n, TOTAL_CAP);
  const result = { total, more: n > TOTAL_CAP, items: [] as SearchHit[] };
  if (offset >= total) return result;
  const cutoff = Number(newest.rows[total - 1]!.id);

  const rank = dialect === 'sqlite'
    ? sql`bm25(search_fts)`
    : sql`-ts_rank(d.tsv, to_tsquery('simple', ${toTsQuery(parsed, 'or')}))`;
  const rows = await sql<Row>`
    SELECT d.doc_type, d.doc_id, d.title, d.excerpt, d.url, d.published_at FROM ${from} AND ${id} >= ${cutoff}
    ORDER BY ${rank}, ${id} DESC LIMIT ${Math.min(p.pageSize, total - offset)} OFFSET ${offset}`.execute(db);
  result.items = rows.rows.map((r) => ({
    docType: r.doc_type, docId: Number(r.doc_id), title: r.title, excerpt: r.excerpt, url: r.url, publishedAt: r.published_at,
  }));
  return result;
}

/** The matching documents' FROM … WHERE, and their id column; null when nothing can match. */
function matchSource(dialect: DialectName, parsed: ReturnType<typeof parseQuery>, types: string[] | undefined, at?: string) {
  const expr = dialect === 'sqlite' ? toFtsQuery(parsed) : toTsQuery(parsed);
  if (!expr || (types && types.length === 0)) return null;
  const now = at ?? new Date().toISOString();
  const typeFilter = types ? sql`AND d.doc_type IN (${sql.join(types)})` : sql``;
  const visible = sql`AND (d.published_at IS NULL OR d.published_at <= ${now}) ${typeFilter}`;
  const from = dialect === 'sqlite'
    ? sql`search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ${expr} ${visible}`
    : sql`search_docs d WHERE d.tsv @@ to_tsquery('simple', ${expr}) ${visible}`;
  // On SQLite the FTS table's rowid, so FTS5 itself walks in id order and applies the cutoff.
  const id = dialect === 'sqlite' ? sql`search_fts.rowid` : sql`d.id`;
  return { from, id };
}

/**
 * The `doc_id`s of the newest `limit` matching documents of the given types, for a list
 * that filters, orders and pages the matches itself (the public opinions list). Bounded
 * like `searchDocuments`: the index is walked in id order and stops at `limit`.
 */
export async function newestMatchIds(db: Executor, dialect: DialectName, q: string, types: string[], limit = TOTAL_CAP + 1): Promise<number[]> {
  const m = matchSource(dialect, parseQuery(q), types);
  if (!m || limit < 1) return [];
  const rows = await sql<{ doc_id: number }>`SELECT d.doc_id FROM ${m.from} ORDER BY ${m.id} DESC LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => Number(r.doc_id));
}
