import type SQLite from 'better-sqlite3';
import { type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

/** How long a transaction waits for SQLite's write lock before failing "database is locked" (the connection's busy timeout). */
export const WRITE_LOCK_WAIT_MS = 5000;

const isBusy = (e: unknown): boolean => /^SQLITE_BUSY/.test(String((e as { code?: unknown } | null)?.code ?? ''));

/**
 * Transactions on SQLite begin IMMEDIATE, taking the write lock at once. A plain (deferred)
 * transaction that reads and then writes asks for the lock at its first write, and if another
 * connection holds it then (the checkpointer thread's RESTART, a CLI process), SQLite answers
 * "database is locked" at once instead of waiting its busy timeout, because waiting could
 * deadlock. This process has one connection and runs its transactions one at a time, so taking
 * the lock early costs it nothing.
 *
 * While another connection holds the lock, SQLite's busy handler would wait by sleeping 1, 2,
 * 5, 10… ms in this thread: the event loop stopped, every request waiting, and a 3 ms hold
 * became an 8 ms wait (bench/profile-holdups.ts: waits of 12–18 ms in BEGIN; bench/wal-locks.ts:
 * the busy handler's sleeps). So BEGIN asks without waiting, and while the lock is held
 * elsewhere the event loop runs, trying again every millisecond, up to `WRITE_LOCK_WAIT_MS`.
 * Meanwhile the connection counts as free (`held` false), so statements that need no
 * transaction (db/prepared.ts) run.
 */
export class ImmediateSqliteDriver extends SqliteDriver {
  /** Whether Kysely holds the one connection now (a transaction, or a statement being run). */
  held = false;
  readonly #begin: () => void;

  constructor(config: SqliteDialectConfig, raw: SQLite.Database) {
    super(config);
    // This pragma acts when compiled, not when run: so exec each time (1 µs for both).
    const wait = `PRAGMA busy_timeout = ${WRITE_LOCK_WAIT_MS}`;
    const begin = raw.prepare('BEGIN IMMEDIATE');
    this.#begin = () => {
      raw.exec('PRAGMA busy_timeout = 0');
      try {
        begin.run();
      } finally {
        raw.exec(wait);
      }
    };
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    this.held = true;
    return connection;
  }

  override async releaseConnection(): Promise<void> {
    this.held = false;
    await super.releaseConnection();
  }

  override async beginTransaction(): Promise<void> {
    const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
    for (;;) {
      try {
        this.#begin();
        return;
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw e;
      }
      this.held = false;
      await new Promise((r) => setTimeout(r, 1));
      this.held = true;
    }
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #raw: SQLite.Database;
  driver: ImmediateSqliteDriver | null = null;

  constructor(config: SqliteDialectConfig, raw: SQLite.Database) {
    super(config);
    this.#config = config;
    this.#raw = raw;
  }

  override createDriver(): Driver {
    this.driver = new ImmediateSqliteDriver(this.#config, this.#raw);
    return this.driver;
  }
}
