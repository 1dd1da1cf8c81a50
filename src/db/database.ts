import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { startCheckpointer } from './checkpointer.js';
import { ImmediateSqliteDialect } from './sqlite-driver.js';
import type { DB } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Anything queries can run on: the database or a transaction the caller owns. */
export type Executor = Kysely<DB>;

export interface Database {
  db: Db;
  dialect: DialectName;
  /** Only on SQLite: the raw handle, for online backup. */
  sqlite?: SQLite.Database;
  /** Only on PostgreSQL: the pool, for LISTEN/NOTIFY. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// Return counts and sums as numbers, not strings (int8 = 20, numeric = 1700).
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

// The SQL of the prepared queries (db/prepared.ts, a fixed set): on PostgreSQL each runs as a
// named statement, parsed and planned once per connection instead of at every run. Any other SQL
// (whose text may vary without bound) stays unnamed.
const statementNames = new Map<string, string>();

/** Marks a query text as one to run as a named statement on PostgreSQL. */
export function nameStatement(text: string): void {
  if (!statementNames.has(text)) statementNames.set(text, `xs_${statementNames.size + 1}`);
}

type QueryFn = (text: unknown, values?: unknown, callback?: unknown) => unknown;
function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn;
  const named: QueryFn = (text, values, callback) => {
    const name = typeof text === 'string' ? statementNames.get(text) : undefined;
    return name ? query({ name, text, values }, callback) : query(text, values, callback);
  };
  client.query = named as typeof client.query;
}

export function openDatabase(config: Pick<Config, 'databaseUrl' | 'pgSchema' | 'sqliteFile'>): Database {
  if (config.databaseUrl) {
    const schema = config.pgSchema;
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    pool.on('connect', useNamedStatements);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', pool, close: () => db.destroy() };
  }
  const sqlite = new SQLite(config.sqliteFile);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MiB of page cache (the default is 2 MiB): at a million opinions the indexes a submission
  // writes no longer evict the small tables every request reads.
  sqlite.pragma('cache_size = -65536');
  const file = config.sqliteFile;
  const checkpointer = file === ':memory:' || file === '' ? null : startCheckpointer(file);
  // Checkpoints run in the checkpointer's thread; this connection only steps in past 40 MiB of log.
  if (checkpointer) sqlite.pragma('wal_autocheckpoint = 10000');
  const handle = withStatementCache(sqlite);
  const dialect = new ImmediateSqliteDialect({ database: handle }, sqlite);
  const db = new Kysely<DB>({ dialect });
  direct.set(db.getExecutor().adapter, { handle, held: () => dialect.driver?.held ?? false });
  return { db, dialect: 'sqlite', sqlite, close: async () => { await checkpointer?.stop(); await db.destroy(); } };
}

/**
 * Statements of fixed shape (db/prepared.ts) can skip Kysely's way to the one SQLite
 * connection (a lock, a connection provider, several promises: about 9 µs a statement, three
 * times what SQLite takes to look a row up by key) and run on the handle at once:
 * better-sqlite3 runs each statement synchronously, so nothing can come between. Only when that
 * is what Kysely would do: for the database, when no one holds the connection (else the
 * statement waits its turn through Kysely, as before, and never lands inside someone else's
 * transaction); for a transaction, while it holds the connection. A vote runs eight such
 * statements (token, user, memberships, target, savepoint, vote, log, release).
 */
const direct = new WeakMap<object, { handle: SQLite.Database; held: () => boolean }>();

/** The SQLite handle to run a statement for `db` on directly now, or null (PostgreSQL, or wait through Kysely). */
export function directSqlite(db: Executor): SQLite.Database | null {
  const executor = db.getExecutor();
  const d = direct.get(executor.adapter);
  // A plugin (none used here) would transform results on Kysely's way only: keep to it then.
  return d && d.held() === db.isTransaction && executor.plugins.length === 0 ? d.handle : null;
}

/**
 * Kysely prepares every statement afresh; compiling SQL is a large share of a simple page's
 * cost. Statements are reused by their SQL text (bounded, least recently used dropped).
 * Safe because Kysely's SQLite driver runs one statement at a time on its one connection.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  const cached = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  }) as SQLite.Database['prepare'];
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return cached;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/**
 * Migrations and schema drops on one PostgreSQL database take this advisory lock: Kysely's
 * migrator reads the whole catalogue, which fails if another schema is dropped meanwhile
 * (test suites and benchmarks each use, then drop, their own schema).
 */
export const SCHEMA_DDL_LOCK = 7_245_001;

export async function withSchemaLock<T>(client: { query(sql: string): Promise<unknown> }, fn: () => Promise<T>): Promise<T> {
  await client.query(`SELECT pg_advisory_lock(${SCHEMA_DDL_LOCK})`);
  try {
    return await fn();
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${SCHEMA_DDL_LOCK})`);
  }
}

/** Drops a PostgreSQL schema (tests, benchmarks) without disturbing a migration elsewhere. */
export async function dropPgSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await withSchemaLock(client, () => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  } finally {
    await client.end();
  }
}

/** Creates the PostgreSQL schema named in config (tests give each suite its own). */
export async function ensurePgSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

/** Runs `fn` in a transaction; SQLite transactions take the write lock up front. */
export function transaction<T>(database: Database, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(fn);
}

export const nowIso = (): string => new Date().toISOString();
export { sql };
