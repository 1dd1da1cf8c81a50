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

  it('refuses a builder that does not pass an argument through as a value', async () => {
    const bad = preparedQuery(1, (db, key: string) => db.selectFrom('settings').select('key').where(sql.ref('key'), '=', sql.lit(key.length)));
    await assert.rejects(bad.first(t.ctx.database.db, 'x'), /argument 0 is not a parameter/);
  });
});
