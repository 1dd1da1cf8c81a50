import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { preparedQuery } from '../../src/db/prepared.js';
import { type TestApp, createTestApp } from '../helpers/app.js';

// Prepared queries: built once per dialect, run with new values, inside and outside transactions.

describe('prepared queries', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  const put = preparedQuery(2, (db, key: string, value: string) => db.insertInto('settings').values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value })));
  const get = preparedQuery(1, (db, key: string) => db.selectFrom('settings').select(['key', 'value']).where('key', '=', key).limit(1));

  it('runs with each call\'s values, a repeated argument in every place it appears, constants kept', async () => {
    const db = t.ctx.database.db;
    await put.execute(db, 'pq.a', 'one');
    await put.execute(db, 'pq.b', 'two');
    await put.execute(db, 'pq.a', 'three'); // the upsert's second use of `value`
    assert.deepEqual(await get.first(db, 'pq.a'), { key: 'pq.a', value: 'three' });
    assert.deepEqual(await get.first(db, 'pq.b'), { key: 'pq.b', value: 'two' });
    assert.equal(await get.first(db, 'pq.none'), undefined);
  });

  it('runs in a transaction (and is rolled back with it)', async () => {
    const db = t.ctx.database.db;
    await assert.rejects(db.transaction().execute(async (trx) => {
      await put.execute(trx, 'pq.t', 'in');
      assert.deepEqual(await get.first(trx, 'pq.t'), { key: 'pq.t', value: 'in' });
      throw new Error('roll back');
    }), /roll back/);
    assert.equal(await get.first(db, 'pq.t'), undefined);
  });

  // On SQLite a prepared query runs on the one connection at once when it is free (db/database.ts,
  // directSqlite): while a transaction holds it, a query of the database must still wait its
  // turn, never run inside that transaction.
  it('a query of the database made while a transaction runs never sees its uncommitted writes', async () => {
    const db = t.ctx.database.db;
    let seen: Promise<unknown> | null = null;
    await assert.rejects(db.transaction().execute(async (trx) => {
      await put.execute(trx, 'pq.dirty', 'uncommitted');
      seen = get.first(db, 'pq.dirty');
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('roll back');
    }), /roll back/);
    assert.equal(await seen, undefined);
    let later: Promise<unknown> | null = null;
    await db.transaction().execute(async (trx) => {
      await put.execute(trx, 'pq.clean', 'committed');
      later = get.first(db, 'pq.clean');
    });
    // Committed by the time it could run (SQLite: it waited), or read before (PostgreSQL): never a half state.
    const v = await later;
    assert.ok(v === undefined || JSON.stringify(v) === JSON.stringify({ key: 'pq.clean', value: 'committed' }));
    assert.deepEqual(await get.first(db, 'pq.clean'), { key: 'pq.clean', value: 'committed' });
  });

  it('a failing statement rejects (also when run on the connection at once), and the next one runs', async () => {
    const db = t.ctx.database.db;
    const bad = preparedQuery(1, (d, key: string) => d.insertInto('settings').values({ key, value: null as unknown as string }));
    await assert.rejects(bad.execute(db, 'pq.null'));
    await assert.rejects(db.transaction().execute(async (trx) => { await bad.execute(trx, 'pq.null'); }));
    await put.execute(db, 'pq.after', 'ok');
    assert.deepEqual(await get.first(db, 'pq.after'), { key: 'pq.after', value: 'ok' });
  });

  it('runs as a named statement on PostgreSQL (parsed once per connection); other SQL stays unnamed', async () => {
    const db = t.ctx.database.db;
    if (t.ctx.database.dialect !== 'postgres') {
      // SQLite has no server-side statements; there the prepared statement is kept on the handle.
      assert.deepEqual(await get.first(db, 'pq.a'), { key: 'pq.a', value: 'three' });
      return;
    }
    await db.connection().execute(async (conn) => {
      await get.first(conn, 'pq.a');
      await get.first(conn, 'pq.b');
      await conn.selectFrom('settings').select('key').where('key', '=', 'pq.none').execute();
      const named = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'xs\_%'`.execute(conn);
      const texts = named.rows.map((r) => r.statement);
      assert.equal(texts.filter((x) => x.includes('"key" = $1') && x.includes('limit')).length, 1, texts.join('\n'));
      assert.ok(!texts.some((x) => x.includes('select "key" from "settings" where')), 'a query built each time is not named');
    });
  });

  it('refuses a builder that does not pass an argument through as a value', async () => {
    const bad = preparedQuery(1, (db, key: string) => db.selectFrom('settings').select('key').where(sql.ref('key'), '=', sql.lit(key.length)));
    await assert.rejects(bad.first(t.ctx.database.db, 'x'), /argument 0 is not a parameter/);
  });
});
