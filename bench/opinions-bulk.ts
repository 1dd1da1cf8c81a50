import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { Database } from '../src/db/database.js';

// Bulk inserts for the benchmark's seed, below Kysely: on SQLite the raw better-sqlite3
// handle with cached single-row prepared statements; on PostgreSQL one INSERT … SELECT FROM
// unnest(…) per table and batch (one array parameter per column, so a batch of any size is
// a single round trip). Rows are arrays in column order; the caller owns the transaction.

export type ColType = 'int' | 'text';
export type Cols = readonly (readonly [string, ColType])[];


export interface Bulk {
  insert(table: string, cols: Cols, rows: unknown[][]): Promise<void>;
  /** Runs `fn` in one transaction. */
  tx<T>(fn: () => Promise<T>): Promise<T>;
  exec(sqlText: string, params?: unknown[]): Promise<void>;
  release(): Promise<void>;
}

export async function openBulk(database: Database): Promise<Bulk> {
  if (database.dialect === 'sqlite') return sqliteBulk(database.sqlite!);
  return pgBulk(await database.pool!.connect());
}

function sqliteBulk(h: SQLite.Database): Bulk {
  // A million opinions carry fourteen indexes: with SQLite's default 2 MB page cache every
  // insert would read index pages back from the OS. The seed's own connection gets 1 GB.
  const cacheSize = h.pragma('cache_size', { simple: true });
  h.pragma('cache_size = -1048576');
  // One row per statement: better-sqlite3 runs a prepared single-row INSERT about twice as
  // fast per row as a multi-row VALUES list (measured here).
  const stmts = new Map<string, SQLite.Statement>();
  const stmt = (table: string, cols: Cols): SQLite.Statement => {
    let s = stmts.get(table);
    if (!s) {
      s = h.prepare(`INSERT INTO ${table} (${cols.map((c) => c[0]).join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
      stmts.set(table, s);
    }
    return s;
  };
  return {
    async insert(table, cols, rows) {
      const s = stmt(table, cols);
      for (const r of rows) s.run(r);
    },
    async tx(fn) {
      h.exec('BEGIN');
      try {
        const out = await fn();
        h.exec('COMMIT');
        return out;
      } catch (err) {
        h.exec('ROLLBACK');
        throw err;
      }
    },
    async exec(sqlText, params = []) {
      h.prepare(sqlText).run(...params);
    },
    async release() {
      h.pragma(`cache_size = ${Number(cacheSize)}`);
    },
  };
}

function pgBulk(client: pg.PoolClient): Bulk {
  return {
    async insert(table, cols, rows) {
      if (rows.length === 0) return;
      const arrays = cols.map((_, c) => rows.map((r) => r[c] ?? null));
      const casts = cols.map(([, type], i) => `$${i + 1}::${type === 'int' ? 'int8' : 'text'}[]`).join(',');
      await client.query(`INSERT INTO ${table} (${cols.map((c) => c[0]).join(',')}) SELECT * FROM unnest(${casts})`, arrays);
    },
    async tx(fn) {
      await client.query('BEGIN');
      try {
        const out = await fn();
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    },
    async exec(sqlText, params = []) {
      await client.query(sqlText, params);
    },
    async release() {
      client.release();
    },
  };
}
