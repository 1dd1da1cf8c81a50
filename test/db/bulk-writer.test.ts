import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bulkWriter } from '../../src/db/bulk-writer.js';
import type { Executor } from '../../src/db/database.js';
import { type TestApp, createTestApp } from '../helpers/app.js';

// Bulk writes: items arriving together are written by one call in one transaction; a failing
// batch is written again item by item.

describe('bulk writer', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  const keys = async (prefix: string) => (await t.ctx.database.db.selectFrom('settings').select('key')
    .where('key', 'like', `${prefix}%`).orderBy('key').execute()).map((r) => r.key);

  it('writes items that arrive together in one call, and answers each after the commit', async () => {
    const calls: number[] = [];
    const w = bulkWriter(t.ctx.database, async (trx: Executor, items: string[]) => {
      calls.push(items.length);
      await trx.insertInto('settings').values(items.map((key) => ({ key, value: 'v' }))).execute();
    });
    const seen: string[][] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => w.write(`bw.a.${i}`).then(async () => { seen.push(await keys(`bw.a.${i}`)); })));
    assert.deepEqual(calls, [10], 'one call for the ten');
    for (const k of seen) assert.equal(k.length, 1, 'stored when answered');
    assert.equal((await keys('bw.a.')).length, 10);
  });

  it('a failing batch is written again item by item: the bad item rejects with its own error, the others are stored once', async () => {
    const calls: number[] = [];
    const w = bulkWriter(t.ctx.database, async (trx: Executor, items: string[]) => {
      calls.push(items.length);
      // A key already stored breaks the primary key: the whole call fails.
      await trx.insertInto('settings').values(items.map((key) => ({ key, value: 'v' }))).execute();
    }, { maxBatch: 8 });
    await w.write('bw.b.3');
    calls.length = 0;
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => w.write(`bw.b.${i}`)));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.deepEqual(calls, [6, 1, 1, 1, 1, 1, 1], 'the batch, then each alone');
    assert.deepEqual(await keys('bw.b.'), ['bw.b.0', 'bw.b.1', 'bw.b.2', 'bw.b.3', 'bw.b.4', 'bw.b.5']);
  });

  it('an item alone that fails leaves nothing, and the writer goes on', async () => {
    const w = bulkWriter(t.ctx.database, async (trx: Executor, items: string[]) => {
      await trx.insertInto('settings').values(items.map((key) => ({ key, value: 'v' }))).execute();
      if (items.includes('bw.c.bad')) throw new Error('refused');
    });
    await assert.rejects(w.write('bw.c.bad'), /refused/);
    await w.write('bw.c.good');
    assert.deepEqual(await keys('bw.c.'), ['bw.c.good']);
  });
});
