import { sql } from 'kysely';
import type { DialectName, Executor } from '../../db/database.js';
import type { OpinionKind, OpinionStatus } from '../../db/schema.js';
import { newestMatchIds } from '../../platform/search/index.js';
import { choice, int, text, validate } from '../../platform/validation.js';
import { type TimelineItem, opinionTimeline } from './timeline.js';

// The public record: opinions whose senders allowed it and that a handler accepted
// (`public_visible = 1`). Nothing here reads or returns who sent an opinion.

export const PUBLIC_STATUSES = ['accepted', 'replied', 'closed'] as const satisfies readonly OpinionStatus[];
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];
export const LIST_PAGE_SIZE = 20;
/** Counting stops here: the list says "more than 10,000" instead of walking a million index entries. */
export const COUNT_CAP = 10_000;
/**
 * A search lists the newest this many matches (ten pages), filtered and ordered here: each
 * request reads that many candidates, so it bounds a broad query's cost (~3 ms at 1M opinions).
 */
export const SEARCH_CAP = 300;
/** A place filter with at most this many places (a township and its villages) merges one short index walk per place. */
const MERGE_PLACES = 64;

export interface Cursor { at: string; id: number }
export interface PublicFilter {
  q: string | null; category: string | null; bodyId: number | null; regionId: number | null; status: PublicStatus | null;
  hotspot: string | null;
  /** Keyset paging, newest first: `before` shows older opinions, `after` newer ones. */
  before: Cursor | null; after: Cursor | null;
}

const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z)_(\d{1,10})$/;
const cursorRule = () => text({ label: (t) => t.opinionsPublic.filterCursor, max: 50, pattern: CURSOR, required: false });

const spec = {
  q: text({ label: (t) => t.opinionsPublic.filterQuery, max: 100, required: false }),
  category: text({ label: (t) => t.opinionsPublic.filterCategory, max: 40, pattern: /^[a-z0-9_-]+$/, required: false }),
  body: int({ label: (t) => t.opinionsPublic.filterBody, min: 1, required: false }),
  region: int({ label: (t) => t.opinionsPublic.filterRegion, min: 1, required: false }),
  status: choice({ label: (t) => t.opinionsPublic.filterStatus, values: PUBLIC_STATUSES, required: false }),
  hotspot: text({ label: (t) => t.opinionsPublic.filterHotspot, max: 80, pattern: /^[\w.:-]+$/u, required: false }),
  before: cursorRule(),
  after: cursorRule(),
};

const toCursor = (raw: string | null): Cursor | null => {
  const m = raw ? CURSOR.exec(raw) : null;
  return m ? { at: m[1] as string, id: Number(m[2]) } : null;
};
export const cursorParam = (c: Cursor): string => `${c.at}_${c.id}`;

/** Parses the list's query string; a bad value is a localised 400 (ValidationError). */
export function parsePublicFilter(query: unknown): PublicFilter {
  const v = validate(spec, query);
  return {
    q: v.q, category: v.category, bodyId: v.body, regionId: v.region, status: v.status, hotspot: v.hotspot,
    before: toCursor(v.before), after: v.before ? null : toCursor(v.after),
  };
}

export interface PublicListItem {
  id: number; kind: OpinionKind; title: string; body: string; categoryKey: string; categoryName: string; categoryNameEn: string;
  regionId: number | null; status: OpinionStatus; handlerBody: string; handlerBodyEn: string | null; handlerMember: string | null;
  createdAt: string; acceptedAt: string | null; acceptDue: string; replyDue: string; firstRepliedAt: string | null; replyText: string | null;
}

export interface PublicPage {
  items: PublicListItem[];
  older: Cursor | null;
  newer: Cursor | null;
  /** Matches, counted up to COUNT_CAP; null when not counted (two filters at once). */
  total: number | null;
  /** More than `total` match (the count stopped at COUNT_CAP). */
  totalMore: boolean;
  /** The search matched more than it lists (the newest SEARCH_CAP matches are listed). */
  searchCapped: boolean;
}

interface Scope { places: number[] | null }

/**
 * One page of the public list, newest first, with keyset links to older and newer pages
 * and a capped count. `places` is the region filter expanded to its descendants; `onlyIds`
 * restricts to a set (a hotspot's members). A search finds the newest SEARCH_CAP matching
 * public opinions in the search index; the filters then apply to those.
 */
export async function listPublicOpinions(
  db: Executor, dialect: DialectName, f: PublicFilter, places: number[] | null, onlyIds: number[] | null,
): Promise<PublicPage> {
  let ids = onlyIds;
  let searchCapped = false;
  if (f.q) {
    const found = await newestMatchIds(db, dialect, f.q, ['opinion'], SEARCH_CAP + 1);
    searchCapped = found.length > SEARCH_CAP;
    const matched = found.slice(0, SEARCH_CAP);
    const only = ids ? new Set(ids) : null;
    ids = only ? matched.filter((id) => only.has(id)) : matched;
  }
  const empty: PublicPage = { items: [], older: null, newer: null, total: 0, totalMore: false, searchCapped };
  if ((ids && ids.length === 0) || (places && places.length === 0)) return empty;
  if (ids) {
    const { shown, ...page } = await pageOfCandidates(db, f, ids, places);
    return { ...empty, ...page, items: await loadItems(db, shown) };
  }
  const scope: Scope = { places };
  // A count is cheap when one index holds the whole filter; with two filters at once it could walk a large part of one index checking
  // rows, so such pages show no total, only their older/newer links.
  const dims = [f.category, f.bodyId, f.status, places].filter((x) => x !== null).length;
  const countable = dims <= 1;
  const [page, count] = await Promise.all([pageIds(db, f, scope), countable ? countCapped(db, f, scope) : Promise.resolve(null)]);
  const items = await loadItems(db, page.rows.map((r) => r.id));
  return { ...empty, items, older: page.older, newer: page.newer, total: count === null ? null : Math.min(count, COUNT_CAP), totalMore: count !== null && count > COUNT_CAP };
}

/**
 * A page from a bounded set of candidates (a search's newest matches, a hotspot's members):
 * the candidates are read by primary key and filtered, ordered and counted here. In SQL,
 * `public_visible = 1 AND id IN (…)` would make SQLite walk the public index past every
 * public opinion instead of looking up a thousand ids.
 */
async function pageOfCandidates(db: Executor, f: PublicFilter, ids: number[], places: number[] | null) {
  const inPlace = places ? new Set(places) : null;
  const rows = (await db.selectFrom('opinions').select(['id', 'created_at', 'category_key', 'handler_body_id', 'status', 'region_id', 'public_visible'])
    .where('id', 'in', ids).execute())
    .filter((r) => r.public_visible === 1 && (!f.category || r.category_key === f.category) && (!f.bodyId || r.handler_body_id === f.bodyId)
      && (!f.status || r.status === f.status) && (!inPlace || (r.region_id !== null && inPlace.has(r.region_id))))
    .sort((a, b) => -cmp(a, b));
  const size = LIST_PAGE_SIZE;
  let start = 0;
  if (f.before) start = rows.findIndex((r) => cmp(r, { created_at: f.before!.at, id: f.before!.id }) < 0);
  if (f.after) {
    const firstNewer = rows.findIndex((r) => cmp(r, { created_at: f.after!.at, id: f.after!.id }) <= 0);
    const end = firstNewer < 0 ? rows.length : firstNewer;
    start = Math.max(0, end - size);
  }
  if (start < 0) start = rows.length;
  const shown = rows.slice(start, start + size);
  const cur = (r: Row | undefined) => (r ? { at: r.created_at, id: r.id } : null);
  return {
    shown: shown.map((r) => r.id),
    older: start + size < rows.length ? cur(shown[shown.length - 1]) : null,
    newer: start > 0 ? cur(shown[0]) : null,
    total: Math.min(rows.length, COUNT_CAP), totalMore: rows.length > COUNT_CAP,
  };
}

const cmp = (a: Row, b: Row): number => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id);

function filtered(db: Executor, f: PublicFilter, s: Scope, place: number | 'all' | null) {
  // The literal 1: the public indexes are partial (`public_visible = 1`), and a planner only
  // uses them when it can see the query asks for exactly that.
  let q = db.selectFrom('opinions').where('public_visible', '=', sql.lit(1));
  if (f.category) q = q.where('category_key', '=', f.category);
  if (f.bodyId) q = q.where('handler_body_id', '=', f.bodyId);
  if (f.status) q = q.where('status', '=', f.status);
  if (typeof place === 'number') q = q.where('region_id', '=', place);
  else if (place === 'all' && s.places) q = q.where('region_id', 'in', s.places);
  return q;
}

async function countCapped(db: Executor, f: PublicFilter, s: Scope): Promise<number> {
  const inner = filtered(db, f, s, 'all').select('id').limit(COUNT_CAP + 1);
  const r = await db.selectFrom(inner.as('capped')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

type Row = { id: number; created_at: string };

async function pageIds(db: Executor, f: PublicFilter, s: Scope): Promise<{ rows: Row[]; older: Cursor | null; newer: Cursor | null }> {
  const size = LIST_PAGE_SIZE;
  const c = f.before ?? f.after;
  const forward = !f.after; // newest first, unless paging back towards newer opinions
  const dir = forward ? 'desc' : 'asc';
  const one = (place: number | 'all' | null) => {
    let q = filtered(db, f, s, place).select(['id', 'created_at']);
    if (c) {
      q = forward
        ? q.where('created_at', '<=', c.at).where((eb) => eb.or([eb('created_at', '<', c.at), eb('id', '<', c.id)]))
        : q.where('created_at', '>=', c.at).where((eb) => eb.or([eb('created_at', '>', c.at), eb('id', '>', c.id)]));
    }
    return q.orderBy('created_at', dir).orderBy('id', dir).limit(size + 1);
  };
  let rows: Row[];
  if (s.places && s.places.length <= MERGE_PLACES) {
    // A township and its villages: one short walk of the (public, region, created) index per
    // place, merged here, instead of sorting every public opinion of the township.
    const parts = s.places.map((p, i) => db.selectFrom(one(p).as(`p${i}`)).select(['id', 'created_at']));
    const merged = parts.slice(1).reduce((u, p) => u.unionAll(p), parts[0] as (typeof parts)[number]);
    rows = await db.selectFrom(merged.as('u')).select(['id', 'created_at']).orderBy('created_at', dir).orderBy('id', dir).limit(size + 1).execute();
  } else {
    rows = await one(s.places ? 'all' : null).execute();
  }
  const more = rows.length > size;
  rows = rows.slice(0, size);
  if (!forward) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const cur = (r: Row | undefined) => (r ? { at: r.created_at, id: r.id } : null);
  return {
    rows,
    older: forward ? (more ? cur(last) : null) : cur(last),
    newer: forward ? (f.before ? cur(first) : null) : (more ? cur(first) : null),
  };
}

/** The shown fields of these opinions, in the given order; only public ones. */
async function loadItems(db: Executor, ids: number[]): Promise<PublicListItem[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('opinions as o')
    .innerJoin('bodies as b', 'b.id', 'o.handler_body_id')
    .innerJoin('opinion_categories as c', 'c.key', 'o.category_key')
    .leftJoin('users as u', 'u.id', 'o.handler_user_id')
    .select(['o.id', 'o.kind', 'o.title', 'o.body', 'o.category_key', 'c.name as category_name', 'c.name_en as category_name_en',
      'o.region_id', 'o.status', 'b.name as body_name', 'b.name_en as body_name_en', 'u.display_name as member_name',
      'o.created_at', 'o.accepted_at', 'o.accept_due', 'o.reply_due', 'o.first_replied_at', 'o.reply_text', 'o.public_visible'])
    // Only the primary key in SQL: with `public_visible = 1` there SQLite would walk a public index instead.
    .where('o.id', 'in', ids)
    .execute();
  const byId = new Map(rows.filter((r) => r.public_visible === 1).map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [{
      id: r.id, kind: r.kind, title: r.title, body: r.body, categoryKey: r.category_key, categoryName: r.category_name, categoryNameEn: r.category_name_en,
      regionId: r.region_id, status: r.status, handlerBody: r.body_name, handlerBodyEn: r.body_name_en, handlerMember: r.member_name,
      createdAt: r.created_at, acceptedAt: r.accepted_at, acceptDue: r.accept_due, replyDue: r.reply_due, firstRepliedAt: r.first_replied_at, replyText: r.reply_text,
    }];
  });
}

/** One public opinion with what its page shows, or null (not public, or no such opinion). */
export async function findPublicOpinion(db: Executor, id: number): Promise<PublicListItem | null> {
  const [item] = await loadItems(db, [id]);
  return item ?? null;
}

export interface RegionNode { id: number; parentId: number | null; level: string; name: string; nameEn: string | null }
export interface Choices {
  categories: { key: string; name: string; nameEn: string }[];
  bodies: { id: number; name: string; nameEn: string | null; kind: string }[];
  regions: RegionNode[];
}

/** What the filters offer (small tables: categories, bodies that handle opinions, places). */
export async function publicChoices(db: Executor): Promise<Choices> {
  const [categories, bodies, regions] = await Promise.all([
    db.selectFrom('opinion_categories').select(['key', 'name', 'name_en']).orderBy('sort').orderBy('key').execute(),
    db.selectFrom('bodies').select(['id', 'name', 'name_en', 'kind']).where('kind', '!=', 'department').orderBy('sort').orderBy('id').execute(),
    db.selectFrom('regions').select(['id', 'parent_id', 'level', 'name', 'name_en']).orderBy('sort').orderBy('id').execute(),
  ]);
  return {
    categories: categories.map((c) => ({ key: c.key, name: c.name, nameEn: c.name_en })),
    bodies: bodies.map((b) => ({ id: b.id, name: b.name, nameEn: b.name_en, kind: b.kind })),
    regions: regions.map((r) => ({ id: r.id, parentId: r.parent_id, level: r.level, name: r.name, nameEn: r.name_en })),
  };
}

/** A place and every place under it (a township's villages), or null when it does not exist. */
export function placeAndBelow(regions: RegionNode[], id: number): number[] | null {
  if (!regions.some((r) => r.id === id)) return null;
  const children = new Map<number, number[]>();
  for (const r of regions) if (r.parentId !== null) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const out: number[] = [];
  const stack = [id];
  while (stack.length) {
    const next = stack.pop() as number;
    if (out.includes(next)) continue;
    out.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

/** 青山县 › 城关镇 › 东门社区 (from the top), for a region id. */
export function placePath(regions: RegionNode[], id: number | null, locale: string): string[] {
  const byId = new Map(regions.map((r) => [r.id, r]));
  const out: string[] = [];
  let cur = id === null ? undefined : byId.get(id);
  for (let guard = 0; cur && guard < 10; guard++) {
    out.unshift(locale === 'en' && cur.nameEn ? cur.nameEn : cur.name);
    cur = cur.parentId === null ? undefined : byId.get(cur.parentId);
  }
  return out;
}

export interface PublicDetail {
  item: PublicListItem;
  rating: { handling: number; result: number } | null;
  timeline: TimelineItem[];
}

/**
 * A public opinion's page data, or null when it is not public. The timeline is the public
 * one, and steps the sender took (sending, rating) name nobody — even when the sender is
 * someone with a public position.
 */
export async function publicOpinionDetail(db: Executor, id: number): Promise<PublicDetail | null> {
  const row = await db.selectFrom('opinions').selectAll().where('id', '=', id).where('public_visible', '=', 1).executeTakeFirst();
  if (!row) return null;
  const [item, timeline, bySender] = await Promise.all([
    findPublicOpinion(db, id),
    opinionTimeline(db, row, 'public'),
    row.citizen_id === null ? [] : db.selectFrom('audit_events').select('id')
      .where('stream_type', '=', 'opinion').where('stream_id', '=', String(id)).where('actor_id', '=', row.citizen_id).execute(),
  ]);
  if (!item) return null;
  const senderEvents = new Set(bySender.map((e) => Number(e.id)));
  return {
    item,
    rating: row.rating_handling !== null && row.rating_result !== null ? { handling: row.rating_handling, result: row.rating_result } : null,
    timeline: timeline.map((e) => (senderEvents.has(e.id) ? { ...e, actor: null } : e)),
  };
}
