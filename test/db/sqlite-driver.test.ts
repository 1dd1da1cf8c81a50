import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { type Database, directSqlite, openDatabase, sql } from '../../src/db/database.js';
import { WRITE_LOCK_WAIT_MS } from '../../src/db/sqlite-driver.js';

// A transaction waiting for SQLite's write lock, held by another connection (the checkpointer's
// RESTART, a CLI process), waits without stopping the event loop.

describe('SQLite transactions waiting for the write lock', () => {
  let dir: string;
  let database: Database;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'xs-sqlite-driver-'));
    database = openDatabase({ sqliteFile: join(dir, 'a.db'), databaseUrl: undefined, pgSchema: undefined });
    database.sqlite!.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the event loop and statements outside transactions run, then begins once the lock is free', async () => {
    const other = new SQLite(join(dir, 'a.db'));
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 2);
    let readDuringWait: number | null = null;
    try {
      const tx = database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO t (id) VALUES (1)`.execute(trx);
      });
      await new Promise((r) => setTimeout(r, 60));
      // Still waiting (the lock is held), and the connection is free for a read meanwhile.
      const handle = directSqlite(database.db);
      assert.ok(handle, 'the connection counts as free while the transaction waits');
      readDuringWait = handle.prepare('SELECT count(*) AS n FROM t').get() as unknown as number;
      other.exec('COMMIT');
      await tx;
    } finally {
      clearInterval(timer);
      other.close();
    }
    // Blocking in SQLite's busy handler, no timer could fire and the other connection (this
    // thread) could never commit: the transaction would fail after the busy timeout.
    assert.ok(ticks >= 5, `the event loop ran while waiting (${ticks} ticks)`);
    assert.ok(readDuringWait !== null);
    const n = database.sqlite!.prepare('SELECT count(*) FROM t').pluck().get();
    assert.equal(n, 1);
  });

  it('gives up with "database is locked" after the wait, having written nothing, and the connection works after', async () => {
    const other = new SQLite(join(dir, 'a.db'));
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    try {
      await assert.rejects(
        database.db.transaction().execute(async (trx) => { await sql`INSERT INTO t (id) VALUES (2)`.execute(trx); }),
        (e: { code?: string }) => e.code === 'SQLITE_BUSY',
      );
      assert.ok(Date.now() - started >= WRITE_LOCK_WAIT_MS - 50);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await database.db.transaction().execute(async (trx) => { await sql`INSERT INTO t (id) VALUES (3)`.execute(trx); });
    const ids = database.sqlite!.prepare('SELECT id FROM t ORDER BY id').pluck().all();
    assert.deepEqual(ids, [1, 3]);
  });
});
