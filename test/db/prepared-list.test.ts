import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { preparedList } from '../../src/db/prepared-list.js';
import { type TestApp, createTestApp } from '../helpers/app.js';

// Prepared lists: one prepared query per row count, on both engines.

describe('prepared lists', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  const put = preparedList(2, (db, rows: [key: string, value: string][]) =>
    db.insertInto('settings').values(rows.map(([key, value]) => ({ key, value }))), 3);
  const get = preparedList(1, (db, keys: [key: string][]) =>
    db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys.map((k) => k[0])).orderBy('key'), 3);

  it('inserts and reads lists of every length, each with its own values, past the kept lengths too', async () => {
    const db = t.ctx.database.db;
    const rows = (n: number, tag: string): [string, string][] => Array.from({ length: n }, (_, i) => [`pl.${tag}.${i}`, `${tag}-${i}`]);
    for (const [n, tag] of [[1, 'a'], [2, 'b'], [1, 'c'], [3, 'd'], [5, 'e'], [2, 'f']] as const) {
      await put.execute(db, rows(n, tag));
      const got = await get.execute(db, rows(n, tag).map(([k]) => [k]));
      assert.deepEqual(got, rows(n, tag).map(([key, value]) => ({ key, value })));
    }
    assert.deepEqual(await get.execute(db, [['pl.a.0'], ['pl.none']]), [{ key: 'pl.a.0', value: 'a-0' }]);
  });

  it('refuses an empty list', async () => {
    await assert.rejects(get.execute(t.ctx.database.db, []), /no rows/);
  });
});
