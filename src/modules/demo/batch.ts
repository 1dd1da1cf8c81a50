import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

type IdTable = { [K in keyof DB]: DB[K] extends { id: unknown } ? K : never }[keyof DB];

/**
 * Inserts rows in chunks and returns their ids in input order. Within one INSERT, ids are
 * drawn in row order on both engines, so sorting each chunk's returned ids restores it.
 */
export async function insertMany<T extends IdTable>(db: Executor, table: T, rows: Record<string, unknown>[], chunk = 400): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const out = await db.insertInto(table).values(part as never).returning('id' as never).execute() as unknown as { id: number }[];
    ids.push(...out.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return ids;
}

/** Inserts rows in chunks, for tables keyed by something other than a generated id. */
export async function insertAll(db: Executor, table: keyof DB, rows: Record<string, unknown>[], chunk = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await db.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
  }
}
