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

// Filter choices (sectors, committees, townships, terms) change a few times a year, and
// every directory request needs them: keep them per database handle for a short while,
// and drop them whenever the page cache is invalidated (any published change).
const OPTIONS_TTL_MS = 60_000;
const optionsCache = new WeakMap<object, { at: number; value: Promise<FilterOptions> }>();

export function forgetFilterOptions(db: object): void {
  optionsCache.delete(db);
}

function filterOptions(db: Executor): Promise<FilterOptions> {
  const hit = optionsCache.get(db);
  if (hit && Date.now() - hit.at < OPTIONS_TTL_MS) return hit.value;
  const value = loadFilterOptions(db);
  optionsCache.set(db, { at: Date.now(), value });
  value.catch(() => optionsCache.delete(db));
  return value;
}

export async function browseDirectory(db: Executor, query: unknown): Promise<Directory> {
  const options = await filterOptions(db);
  const { filters, page } = parseFilters(query, options);
  const { total, rows } = await listDirectory(db, filters, page);
  return { filters, options, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), total, members: rows };
}

/** Ids come from the URL: anything but a plain positive number is simply not a member. */
export async function getMemberProfile(db: Executor, rawId: string): Promise<MemberProfile> {
  if (!/^\d{1,10}$/.test(rawId) || Number(rawId) > 2_147_483_647) throw new NotFoundError();
  const profile = await findProfile(db, Number(rawId));
  if (!profile) throw new NotFoundError();
  return profile;
}
