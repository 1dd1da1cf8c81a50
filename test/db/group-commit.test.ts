import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groupCommitFor, groupCommitter } from '../../src/db/group-commit.js';
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

  it("`once` work runs once per transaction, before the commit, counting only the units that succeeded", async () => {
    const g = groupCommitter(t.ctx.database, { maxBatch: 64 });
    const counted: number[] = [];
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => g.run(async (trx, batch) => {
      batch.once('gc.e', async (tx, units) => {
        counted.push(units);
        await tx.insertInto('settings').values({ key: `gc.e.once.${counted.length}`, value: String(units) }).execute();
      });
      if (i === 5) throw new ConflictError();
      return i;
    })));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    // However the units were batched, the counts add up to the 11 that succeeded, one call per transaction.
    assert.equal(counted.reduce((a, b) => a + b, 0), 11);
    for (let k = 1; k <= counted.length; k++) assert.equal(await has(`gc.e.once.${k}`), true);
  });

  it('if the `once` work fails, no unit of the batch is stored and every unit rejects', async () => {
    const g = groupCommitter(t.ctx.database);
    const r = await Promise.allSettled([1, 2, 3].map((i) => g.run(async (trx, batch) => {
      await put(`gc.f.${i}`)(trx);
      batch.once('gc.f', async () => { throw new ConflictError(); });
    })));
    assert.deepEqual(r.map((x) => x.status), ['rejected', 'rejected', 'rejected']);
    for (const i of [1, 2, 3]) assert.equal(await has(`gc.f.${i}`), false);
  });

  it('the engine\'s own committer (a transaction each on PostgreSQL) runs `once` work too', async () => {
    const n = await groupCommitFor(t.ctx.database).run(async (trx, batch) => {
      let units = 0;
      batch.once('gc.g', async (tx, u) => { units = u; await tx.insertInto('settings').values({ key: 'gc.g', value: String(u) }).execute(); });
      return () => units;
    });
    assert.equal(n(), 1);
    assert.equal(await has('gc.g'), true);
  });
});
