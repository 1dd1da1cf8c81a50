import type { Executor } from '../../db/database.js';

// Data built from an opinion's timeline (its events, the texts they point to, the names they
// mention) changes only when an event is appended to the opinion's hash-chained stream, so it
// is kept per opinion under the id of the stream's newest event, read on every request
// through the stream index (one index lookup instead of the whole read). A new event gives a
// new key, in every process. Names (a body renamed, a person erased) are picked up within
// TTL_MS. Each database handle has its own cache, so two databases in one process (tests)
// never share entries.

const MAX_ENTRIES = 5000;
const TTL_MS = 5 * 60_000;

interface Entry { value: Promise<unknown>; expires: number }
const caches = new WeakMap<object, Map<string, Entry>>();

/** The id of the newest event of an opinion's stream (0 if none). */
export async function streamVersion(db: Executor, opinionId: number): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id'))
    .where('stream_type', '=', 'opinion').where('stream_id', '=', String(opinionId)).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** `load()` once per (what, opinion, stream version); concurrent callers share one load. */
export async function byStreamVersion<T>(db: Executor, what: string, opinionId: number, load: () => Promise<T>): Promise<T> {
  const version = await streamVersion(db, opinionId);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${what}:${opinionId}:${version}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  const entry = { value: load(), expires: now + TTL_MS };
  cache.set(key, entry);
  entry.value.catch(() => { if (cache.get(key) === entry) cache.delete(key); });
  return entry.value as Promise<T>;
}
