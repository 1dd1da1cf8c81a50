import type { Compilable } from 'kysely';
import type { Executor } from './database.js';
import { type PreparedQuery, preparedQuery } from './prepared.js';

/**
 * A query whose shape depends only on how many rows of values it is given (`id IN (…)` with
 * one value a row, a multi-row insert with one tuple a row): one prepared query
 * (db/prepared.ts) per row count, made on first use. Counts above `maxRows` are built
 * afresh each time, so rare long lists do not fill the statement caches.
 *
 * Never call it with no rows (`IN ()` is not SQL). The builder gets the rows (placeholders, on
 * the first call for a count) and must use every value of every row as a value, once or more,
 * as preparedQuery requires.
 */
export interface PreparedList<V extends unknown[], R> {
  execute(db: Executor, rows: readonly V[]): Promise<R[]>;
}

export function preparedList<V extends unknown[], R>(
  width: V['length'], build: (db: Executor, rows: V[]) => Compilable<R>, maxRows = 16,
): PreparedList<V, R> {
  const byCount = new Map<number, PreparedQuery<unknown[], R>>();
  const rowsOf = (flat: unknown[]): V[] => Array.from({ length: flat.length / width }, (_, i) => flat.slice(i * width, (i + 1) * width) as V);
  return {
    async execute(db, rows) {
      if (!rows.length) throw new RangeError('preparedList: no rows');
      if (rows.length > maxRows) {
        const q = build(db, rows as V[]).compile();
        return (await db.executeQuery(q)).rows;
      }
      let q = byCount.get(rows.length);
      if (!q) {
        q = preparedQuery(rows.length * width, (d, ...flat: unknown[]) => build(d, rowsOf(flat)));
        byCount.set(rows.length, q);
      }
      return q.execute(db, ...rows.flat());
    },
  };
}
