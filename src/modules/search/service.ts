import type { DialectName, Executor } from '../../db/database.js';
import { ValidationError } from '../../platform/errors.js';
import { type SearchHit, searchDocuments } from '../../platform/search/index.js';
import { parseQuery } from '../../platform/search/tokenize.js';
import { choice, int, text, validate } from '../../platform/validation.js';

// Search covers only public documents (what is indexed is public), so anyone may search
// and there is no permission to check.

export const SEARCH_TYPES = ['member', 'news', 'page'] as const;
export const QUERY_MAX = 100;
export const PAGE_SIZE = 20;

const spec = {
  q: text({ label: (t) => t.search.query, required: false, max: QUERY_MAX }),
  type: choice({ label: (t) => t.search.type, required: false, values: ['all', ...SEARCH_TYPES] as const }),
  page: int({ label: (t) => t.search.page, required: false, min: 1, max: 100_000 }),
};

export interface SearchView {
  q: string;
  type: 'all' | (typeof SEARCH_TYPES)[number];
  page: number;
  pages: number;
  total: number;
  more: boolean;
  items: SearchHit[];
  /** Words to mark in titles and excerpts. */
  terms: string[];
  /** Why nothing was searched: no query, or a query without letters or digits. */
  notice: 'enter-query' | 'no-terms' | null;
}

/** Validates the query string; a bad parameter throws ValidationError (400) and nothing is searched. */
export function parseSearchQuery(query: unknown): { q: string; type: SearchView['type']; page: number } {
  const v = validate(spec, query);
  return { q: v.q ?? '', type: v.type ?? 'all', page: v.page ?? 1 };
}

/**
 * Runs a search for the page or the API. With `requireQuery` (the API) an empty query
 * is a validation error; the page instead shows a prompt.
 */
export async function runSearch(db: Executor, dialect: DialectName, query: unknown, requireQuery = false): Promise<SearchView> {
  const { q, type, page } = parseSearchQuery(query);
  if (!q && requireQuery) throw new ValidationError([{ field: 'q', message: (t) => t.search.enterQuery }]);
  const parsed = parseQuery(q);
  const terms = [...parsed.required.map((r) => r.text), ...parsed.boosts];
  const view: SearchView = { q, type, page, pages: 0, total: 0, more: false, items: [], terms, notice: null };
  if (!q) return { ...view, notice: 'enter-query' };
  if (!parsed.required.length) return { ...view, notice: 'no-terms' };
  const r = await searchDocuments(db, dialect, { q, types: type === 'all' ? undefined : [type], page, pageSize: PAGE_SIZE });
  return { ...view, total: r.total, more: r.more, items: r.items, pages: Math.ceil(r.total / PAGE_SIZE) };
}
