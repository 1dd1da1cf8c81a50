import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { appendEvent, readStream } from '../../src/platform/timeline/audit.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { createTestContext } from '../helpers/app.js';

describe('audit chain', () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  before(async () => ({ ctx, cleanup } = await createTestContext()));
  after(async () => cleanup());
  beforeEach(async () => {
    await ctx.database.db.deleteFrom('audit_events').execute();
    await ctx.database.db.deleteFrom('settings').where('key', '=', 'audit_head').execute();
  });

  async function appendFive(): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await appendEvent(ctx.database.db, { streamType: 'opinion', streamId: i % 2, action: 'note', actorId: null, data: { i, text: '养老' } });
      ids.push(r.id);
    }
    return ids;
  }

  it('verifies a clean chain and reads a stream in order', async () => {
    const ids = await appendFive();
    assert.deepEqual(ids, [1, 2, 3, 4, 5]);
    const report = await verifyAudit(ctx.database.db);
    assert.deepEqual(report, { ok: true, checked: 5, problems: [] });
    const stream = await readStream(ctx.database.db, 'opinion', 0);
    assert.deepEqual(stream.map((e) => e.data.i), [0, 2, 4]);
    assert.equal(stream[0]?.action, 'note');
  });

  it('verifies an empty chain', async () => {
    assert.deepEqual(await verifyAudit(ctx.database.db), { ok: true, checked: 0, problems: [] });
  });

  it('rolls back with the caller\'s transaction', async () => {
    await appendFive();
    await assert.rejects(ctx.database.db.transaction().execute(async (trx) => {
      await appendEvent(trx, { streamType: 'x', streamId: 1, action: 'a', actorId: null });
      throw new Error('boom');
    }), /boom/);
    const next = await appendEvent(ctx.database.db, { streamType: 'x', streamId: 1, action: 'b', actorId: null });
    assert.equal(next.id, 6);
    assert.equal((await verifyAudit(ctx.database.db)).ok, true);
  });

  it('detects an edited row', async () => {
    await appendFive();
    await ctx.database.db.updateTable('audit_events').set({ data: '{"i":99}' }).where('id', '=', 3).execute();
    const r = await verifyAudit(ctx.database.db);
    assert.equal(r.ok, false);
    assert.deepEqual(r.problems, [{ id: 3, kind: 'edited' }]);
  });

  it('detects a row rewritten with a recomputed hash through the next link', async () => {
    await appendFive();
    await ctx.database.db.updateTable('audit_events').set({ hash: 'f'.repeat(64) }).where('id', '=', 2).execute();
    const r = await verifyAudit(ctx.database.db);
    assert.ok(r.problems.every((p) => p.id === 2 && p.kind === 'edited'), JSON.stringify(r.problems));
    assert.equal(r.ok, false);
  });

  it('detects a deleted middle row', async () => {
    await appendFive();
    await ctx.database.db.deleteFrom('audit_events').where('id', '=', 3).execute();
    const r = await verifyAudit(ctx.database.db);
    assert.deepEqual(r.problems, [{ id: 3, kind: 'deleted' }]);
    assert.equal(r.checked, 4);
  });

  it('detects deletion of the newest row through the anchor', async () => {
    await appendFive();
    await ctx.database.db.deleteFrom('audit_events').where('id', '=', 5).execute();
    const r = await verifyAudit(ctx.database.db);
    assert.deepEqual(r.problems, [{ id: 5, kind: 'deleted' }]);
  });

  it('detects a removed anchor', async () => {
    await appendFive();
    await ctx.database.db.deleteFrom('settings').where('key', '=', 'audit_head').execute();
    assert.deepEqual((await verifyAudit(ctx.database.db)).problems, [{ id: 5, kind: 'anchor' }]);
  });

  it('continues after another handle\'s append and after a unit rolled back to its savepoint (the head this handle remembers is only a guess)', async () => {
    await appendFive();
    const other = openDatabase(ctx.config); // another process on the same database
    try {
      assert.equal((await appendEvent(other.db, { streamType: 'x', streamId: 1, action: 'elsewhere', actorId: null })).id, 6);
    } finally {
      await other.close();
    }
    assert.equal((await appendEvent(ctx.database.db, { streamType: 'x', streamId: 1, action: 'here', actorId: null })).id, 7);
    await ctx.database.db.transaction().execute(async (trx) => {
      await sql`SAVEPOINT t_unit`.execute(trx);
      assert.equal((await appendEvent(trx, { streamType: 'x', streamId: 1, action: 'undone', actorId: null })).id, 8);
      await sql`ROLLBACK TO SAVEPOINT t_unit`.execute(trx);
      assert.equal((await appendEvent(trx, { streamType: 'x', streamId: 1, action: 'kept', actorId: null })).id, 8);
    });
    assert.deepEqual((await readStream(ctx.database.db, 'x', 1)).map((e) => e.action), ['elsewhere', 'here', 'kept']);
    assert.deepEqual(await verifyAudit(ctx.database.db), { ok: true, checked: 8, problems: [] });
  });

  it('keeps one valid chain under concurrent appends from parallel transactions', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => ctx.database.db.transaction().execute(async (trx) => {
      await appendEvent(trx, { streamType: 'load', streamId: i, action: 'a', actorId: null, data: { i } });
      if (ctx.database.dialect === 'postgres') await sql`SELECT pg_sleep(0.002)`.execute(trx);
      await appendEvent(trx, { streamType: 'load', streamId: i, action: 'b', actorId: null, data: { i } });
    })));
    const r = await verifyAudit(ctx.database.db);
    assert.deepEqual(r, { ok: true, checked: 80, problems: [] });
  });
});
