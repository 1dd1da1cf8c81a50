import type { Executor } from '../../db/database.js';
import { validId } from './access.js';

// The newest page of a live session shows its newest questions; those still waiting for an
// answer further back would only be on older pages. The newest page also lists them, the
// longest-waiting first, a page at a time (`?waiting=<question id>` continues after that id),
// each linking to the page that holds it with its answer form — so the departments'
// representatives see every unanswered question from the page they keep open.

export const WAITING_PAGE_SIZE = 20;

export interface WaitingQuestion { id: number; body: string; authorKind: 'member' | 'citizen' | 'staff'; addressedTo: string | null; createdAt: string }
export interface WaitingList {
  /** Questions still waiting, older than the newest page, in all. */
  total: number;
  items: WaitingQuestion[];
  /** `?waiting=` as asked (null: from the longest-waiting); `next` the value for the following page, when there is one. */
  after: number | null; next: number | null;
}

/** `?waiting=` of the page: a question id or nothing; anything else (undefined) is a page that does not exist. */
export function parseWaiting(raw: unknown): number | null | undefined {
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) return undefined;
  return validId(Number(raw)) ? Number(raw) : undefined;
}

/** Queued (not answered, not hidden) questions with an id below `below`, after `after`, oldest first; index consultation_questions_c. */
async function load(db: Executor, consultationId: number, below: number, after: number | null): Promise<WaitingList> {
  const base = db.selectFrom('consultation_questions').where('consultation_questions.consultation_id', '=', consultationId)
    .where('consultation_questions.status', '=', 'queued').where('consultation_questions.id', '<', below);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    (after === null ? base : base.where('consultation_questions.id', '>', after))
      .leftJoin('bodies', 'bodies.id', 'consultation_questions.addressed_body_id')
      .select(['consultation_questions.id', 'consultation_questions.body', 'author_kind', 'consultation_questions.created_at', 'bodies.name as addressed'])
      .orderBy('consultation_questions.id').limit(WAITING_PAGE_SIZE + 1).execute(),
  ]);
  const items = rows.slice(0, WAITING_PAGE_SIZE).map((r) => ({ id: r.id, body: r.body, authorKind: r.author_kind, addressedTo: r.addressed, createdAt: r.created_at }));
  return { total: Number(count.n), items, after, next: rows.length > WAITING_PAGE_SIZE ? (items.at(-1)?.id ?? null) : null };
}

// Kept per database and session while its stream has no newer event, as the page's questions are.
const cache = new WeakMap<object, Map<string, { version: number; list: Promise<WaitingList> }>>();
const CACHE_SIZE = 32;

export function waitingQuestions(db: Executor, consultationId: number, below: number, after: number | null, version: number): Promise<WaitingList> {
  let byKey = cache.get(db);
  if (!byKey) cache.set(db, (byKey = new Map()));
  const key = `${consultationId}|${below}|${after ?? ''}`;
  const hit = byKey.get(key);
  if (hit && hit.version === version) return hit.list;
  const list = load(db, consultationId, below, after);
  byKey.delete(key);
  byKey.set(key, { version, list });
  if (byKey.size > CACHE_SIZE) byKey.delete(byKey.keys().next().value as string);
  list.catch(() => { if (byKey.get(key)?.list === list) byKey.delete(key); });
  return list;
}
