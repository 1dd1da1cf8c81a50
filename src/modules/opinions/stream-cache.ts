import type { Executor } from '../../db/database.js';
import { perHandle } from '../../platform/ttl-lru.js';

// Data built from an opinion's timeline (its events, the texts they point to, the names they
// mention) changes only when an event is appended to the opinion's hash-chained stream, so it
// is kept per opinion under the id of the stream's newest event, read on every request
// through the stream index (one index lookup instead of the whole read). A new event gives a
// new key, in every process. Names (a body renamed, a person erased) are picked up within
// 5 minutes. Each database handle has its own cache, so two databases in one process (tests)
// never share entries.

const cacheFor = perHandle<Promise<unknown>>(5000, 5 * 60_000);

/** The id of the newest event of an opinion's stream (0 if none). */
export async function streamVersion(db: Executor, opinionId: number): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id'))
    .where('stream_type', '=', 'opinion').where('stream_id', '=', String(opinionId)).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** `load()` once per (what, opinion, stream version); concurrent callers share one load. */
export async function byStreamVersion<T>(db: Executor, what: string, opinionId: number, load: () => Promise<T>): Promise<T> {
  const version = await streamVersion(db, opinionId);
  const cache = cacheFor(db);
  const key = `${what}:${opinionId}:${version}`;
  const hit = cache.get(key);
  if (hit) return hit as Promise<T>;
  const value = load();
  cache.set(key, value);
  // A failed load is not remembered.
  value.catch(() => cache.delete(key, value));
  return value;
}
