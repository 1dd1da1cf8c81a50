import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groupCommitter } from '../../src/db/group-commit.js';
import { ConflictError } from '../../src/platform/errors.js';
import { type TestApp, createTestApp } from '../helpers/app.js';

// Group commit: concurrent units share a transaction, each in its own savepoint.

describe('group commit', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  const put = (key: string) => async (trx: Parameters<Parameters<ReturnType<typeof groupCommitter>['run']>[0]>[0]) => {
    await trx.insertInto('settings').values({ key, value: 'v' }).execute();
    return key;
  };
  const has = async (key: string) => Boolean(await t.ctx.database.db.selectFrom('settings').select('key').where('key', '=', key).executeTakeFirst());

  it('runs concurrent units together; a failing unit is rolled back alone and rejects with its own error', async () => {
    const g = groupCommitter(t.ctx.database, { maxBatch: 10 });
    const results = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => g.run(async (trx) => {
      await put(`gc.a.${i}`)(trx);
      if (i % 7 === 3) throw new ConflictError();
      return i;
    })));
    for (const [i, r] of results.entries()) {
      if (i % 7 === 3) {
        assert.equal(r.status, 'rejected');
        assert.ok((r as PromiseRejectedResult).reason instanceof ConflictError);
        assert.equal(await has(`gc.a.${i}`), false, `unit ${i} rolled back`);
      } else {
        assert.deepEqual(r, { status: 'fulfilled', value: i });
        assert.equal(await has(`gc.a.${i}`), true, `unit ${i} committed`);
      }
    }
  });

  it('a unit sees the writes of the units before it in its batch', async () => {
    const g = groupCommitter(t.ctx.database);
    const [, second] = await Promise.all([
      g.run(put('gc.b.first')),
      g.run(async (trx) => Boolean(await trx.selectFrom('settings').select('key').where('key', '=', 'gc.b.first').executeTakeFirst())),
    ]);
    assert.equal(second, true);
  });

  it('a unit that breaks a constraint is rolled back; the batch commits the others', async () => {
    const g = groupCommitter(t.ctx.database);
    const r = await Promise.allSettled([g.run(put('gc.c.1')), g.run(put('gc.c.1')), g.run(put('gc.c.2'))]);
    assert.deepEqual(r.map((x) => x.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(await has('gc.c.2'), true);
  });

  it('resolves only after commit: a unit alone that fails leaves nothing', async () => {
    const g = groupCommitter(t.ctx.database);
    await assert.rejects(g.run(async (trx) => { await put('gc.d.1')(trx); throw new ConflictError(); }), ConflictError);
    assert.equal(await has('gc.d.1'), false);
    assert.equal(await g.run(put('gc.d.2')), 'gc.d.2');
    assert.equal(await has('gc.d.2'), true);
  });
});
