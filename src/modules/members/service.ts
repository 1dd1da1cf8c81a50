import type { Executor } from '../../db/database.js';
import { type FieldIssue, NotFoundError, ValidationError } from '../../platform/errors.js';
import { int, text, validate } from '../../platform/validation.js';
import {
  type DirectoryFilters, type FilterOptions, type MemberProfile, type MemberSummary, PAGE_SIZE,
  findProfile, listDirectory, loadFilterOptions,
} from './queries.js';

// The member directory is public information: anyone may read it, signed in or not, so
// there is no permission to check; what is public is decided by the data (is_public, an
// active account) and personal data (phone, ID) is never selected.

const spec = {
  sector: int({ label: (t) => t.members.sector, required: false, min: 1 }),
  committee: int({ label: (t) => t.members.committee, required: false, min: 1 }),
  township: int({ label: (t) => t.members.township, required: false, min: 1 }),
  term: int({ label: (t) => t.members.term, required: false, min: 1 }),
  q: text({ label: (t) => t.members.nameSearch, required: false, max: 20 }),
  page: int({ label: (t) => t.members.page, required: false, min: 1, max: 100_000 }),
};

export interface Directory {
  filters: DirectoryFilters;
  options: FilterOptions;
  page: number;
  pages: number;
  total: number;
  members: MemberSummary[];
}

/** Validates the query string: numbers must name an existing choice, or the request is refused. */
export function parseFilters(query: unknown, options: FilterOptions): { filters: DirectoryFilters; page: number } {
  const v = validate(spec, query);
  const issues: FieldIssue[] = [];
  const check = (field: 'sector' | 'committee' | 'township' | 'term', list: { id: number }[]) => {
    const id = v[field];
    if (id !== null && !list.some((o) => o.id === id)) issues.push({ field, message: (t) => t.members.invalidFilter(spec[field].label(t)) });
  };
  check('sector', options.sectors);
  check('committee', options.committees);
  check('township', options.townships);
  check('term', options.terms);
  if (issues.length) throw new ValidationError(issues);
  return { filters: { sector: v.sector, committee: v.committee, township: v.township, term: v.term, q: v.q }, page: v.page ?? 1 };
}

// The directory is the same for everyone, signed in or not, and changes only when an
// administrator edits members or structure. Its data (filter choices, and each filtered
// page) is kept per database handle for at most a minute, like the page cache, and dropped
// whenever the page cache is invalidated: anonymous visitors get cached HTML, signed-in
// ones a fresh page around the same data.
const TTL_MS = 60_000;
const MAX_PAGES = 500;
interface Cache { at: number; options: Promise<FilterOptions> | null; pages: Map<string, Promise<Directory>> }
const caches = new WeakMap<object, Cache>();

export function forgetDirectoryCache(db: object): void {
  caches.delete(db);
}

function cacheFor(db: Executor): Cache {
  let c = caches.get(db);
  if (!c || Date.now() - c.at > TTL_MS) {
    c = { at: Date.now(), options: null, pages: new Map() };
    caches.set(db, c);
  }
  return c;
}

/** Stores a pending result so concurrent requests share one query; a failure is forgotten. */
function remember<T>(make: () => Promise<T>, store: (p: Promise<T> | null) => void): Promise<T> {
  const p = make();
  store(p);
  p.catch(() => store(null));
  return p;
}

export async function browseDirectory(db: Executor, query: unknown): Promise<Directory> {
  const c = cacheFor(db);
  const options = await (c.options ?? remember(() => loadFilterOptions(db), (p) => { c.options = p; }));
  const { filters, page } = parseFilters(query, options);
  const key = JSON.stringify([filters.sector, filters.committee, filters.township, filters.term, filters.q, page]);
  const hit = c.pages.get(key);
  if (hit) return hit;
  if (c.pages.size >= MAX_PAGES) c.pages.delete(c.pages.keys().next().value as string);
  return remember(async () => {
    const { total, rows } = await listDirectory(db, filters, page);
    return { filters, options, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), total, members: rows };
  }, (p) => { if (p) c.pages.set(key, p); else c.pages.delete(key); });
}

/** Ids come from the URL: anything but a plain positive number is simply not a member. */
export async function getMemberProfile(db: Executor, rawId: string): Promise<MemberProfile> {
  if (!/^\d{1,10}$/.test(rawId) || Number(rawId) > 2_147_483_647) throw new NotFoundError();
  const profile = await findProfile(db, Number(rawId));
  if (!profile) throw new NotFoundError();
  return profile;
}
