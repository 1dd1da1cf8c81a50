import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { enqueueJob } from '../../src/platform/jobs/enqueue.js';
import { registerJobHandler } from '../../src/platform/jobs/registry.js';
import { JobWorker } from '../../src/platform/jobs/worker.js';
import { createTestContext } from '../helpers/app.js';

const runs = new Map<number, number>();
const runsByDb = new Map<object, number>();
registerJobHandler('test.count', async (jobCtx, payload: { n: number }, trx) => {
  runsByDb.set(jobCtx.database, (runsByDb.get(jobCtx.database) ?? 0) + 1);
  runs.set(payload.n, (runs.get(payload.n) ?? 0) + 1);
  await trx.insertInto('settings').values({ key: `job-test:${payload.n}`, value: 'x' }).execute();
});
let flakyCalls = 0;
registerJobHandler('test.flaky', async (_ctx, payload: { failTimes: number }, trx) => {
  flakyCalls++;
  await trx.insertInto('settings').values({ key: `flaky:${flakyCalls}`, value: 'x' }).execute();
  if (flakyCalls <= payload.failTimes) throw new Error(`flaky failure ${flakyCalls}`);
});

const jobs = (ctx: AppContext) => ctx.database.db.selectFrom('jobs').selectAll().orderBy('id').execute();

describe('job worker', () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  before(async () => ({ ctx, cleanup } = await createTestContext()));
  after(async () => cleanup());
  beforeEach(async () => {
    await ctx.database.db.deleteFrom('jobs').execute();
    await ctx.database.db.deleteFrom('settings').execute();
    runs.clear();
    flakyCalls = 0;
  });

  it('two workers on separate connections drain 300 jobs, none run twice, none lost', async () => {
    for (let i = 0; i < 300; i += 50) {
      await ctx.database.db.transaction().execute(async (trx) => {
        for (let n = i; n < i + 50; n++) await enqueueJob(trx, { kind: 'test.count', payload: { n } });
      });
    }
    // PostgreSQL: a second pool, as a second process would have. SQLite has one writer and
    // better-sqlite3 blocks the thread while it waits, so both workers share the handle.
    const pg = ctx.database.dialect === 'postgres';
    const other = pg ? openDatabase(ctx.config) : ctx.database;
    const ctx2: AppContext = { ...ctx, database: other };
    const a = new JobWorker(ctx, { pollMs: 5, batch: 7 });
    const b = new JobWorker(ctx2, { pollMs: 5, batch: 7 });
    try {
      a.start();
      b.start();
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const left = await ctx.database.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'done').executeTakeFirstOrThrow();
        if (Number(left.n) === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      if (pg) await other.close();
    }
    const rows = await jobs(ctx);
    assert.equal(rows.length, 300);
    assert.ok(rows.every((r) => r.status === 'done' && r.attempts === 1), 'every job done on its first attempt');
    assert.equal(runs.size, 300);
    assert.ok([...runs.values()].every((c) => c === 1), 'no job ran twice');
    const effects = await ctx.database.db.selectFrom('settings').select('key').where('key', 'like', 'job-test:%').execute();
    assert.equal(effects.length, 300);
    const byWorker = new Set(rows.map((r) => r.locked_by));
    assert.deepEqual([...byWorker], [null]);
    if (pg) assert.ok((runsByDb.get(ctx.database) ?? 0) > 0 && (runsByDb.get(other) ?? 0) > 0, 'both workers took jobs');
  });

  it('runs again a job whose worker died holding it', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    await ctx.database.db.insertInto('jobs').values({
      kind: 'test.count', payload: JSON.stringify({ n: 7 }), status: 'running', run_at: past, attempts: 1,
      locked_by: 'dead-worker', locked_until: past, created_at: past, last_error: null, dedupe_key: null, finished_at: null,
    }).execute();
    // A claim that is still valid is left alone.
    await ctx.database.db.insertInto('jobs').values({
      kind: 'test.count', payload: JSON.stringify({ n: 8 }), status: 'running', run_at: past, attempts: 1,
      locked_by: 'busy-worker', locked_until: new Date(Date.now() + 60_000).toISOString(), created_at: past, last_error: null, dedupe_key: null, finished_at: null,
    }).execute();
    const w = new JobWorker(ctx);
    assert.equal(await w.runOnce(), 1);
    const [dead, busy] = await jobs(ctx);
    assert.equal(dead?.status, 'done');
    assert.equal(dead?.attempts, 2);
    assert.equal(busy?.status, 'running');
    assert.deepEqual([...runs.entries()], [[7, 1]]);
  });

  it('a live worker renews its claim while a job takes longer than the lease; no other worker takes it over', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let prepared = 0;
    registerJobHandler('test.long', async (_ctx, _p, trx) => {
      await trx.insertInto('settings').values({ key: 'long-done', value: '1' }).execute();
    }, { beforeTransaction: async () => { prepared++; await gate; } });
    await enqueueJob(ctx.database.db, { kind: 'test.long', payload: {}, runAt: new Date(Date.now() - 1000) });
    const first = new JobWorker(ctx, { id: 'first', leaseMs: 150 });
    const running = first.runOnce();
    await new Promise((r) => setTimeout(r, 600)); // four leases
    const [held] = await jobs(ctx);
    assert.equal(held?.locked_by, 'first');
    assert.ok(held!.locked_until! > new Date().toISOString(), 'the claim was renewed');
    const second = new JobWorker(ctx, { id: 'second', leaseMs: 150 });
    const other = second.runOnce();
    await new Promise((r) => setTimeout(r, 50));
    release();
    assert.equal(await other, 0);
    assert.equal(await running, 1);
    assert.equal(prepared, 1, 'the job ran once');
    const [done] = await jobs(ctx);
    assert.deepEqual([done?.status, done?.attempts, done?.locked_by], ['done', 1, null]);
  });

  it('retries a failing handler with backoff, rolling back its work, then fails it', async () => {
    await enqueueJob(ctx.database.db, { kind: 'test.flaky', payload: { failTimes: 99 }, maxAttempts: 3 });
    const w = new JobWorker(ctx, { backoffMs: 60_000 });
    const t0 = Date.now();
    assert.equal(await w.runOnce(), 1);
    let [job] = await jobs(ctx);
    assert.equal(job?.status, 'pending');
    assert.equal(job?.attempts, 1);
    assert.match(job?.last_error ?? '', /flaky failure 1/);
    assert.ok(Date.parse(job?.run_at ?? '') >= t0 + 60_000, 'first retry after the backoff');
    assert.equal(await w.runOnce(), 0, 'not due before the backoff');
    for (const wait of [1, 2]) {
      await ctx.database.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).execute();
      assert.equal(await w.runOnce(), 1);
      [job] = await jobs(ctx);
      if (wait === 1) assert.ok(Date.parse(job?.run_at ?? '') >= Date.now() + 110_000, 'backoff doubles');
    }
    assert.equal(job?.status, 'failed');
    assert.equal(job?.attempts, 3);
    assert.match(job?.last_error ?? '', /flaky failure 3/);
    const effects = await ctx.database.db.selectFrom('settings').select('key').where('key', 'like', 'flaky:%').execute();
    assert.equal(effects.length, 0, 'failed attempts changed nothing');
  });

  it('commits a retried job\'s work once it succeeds', async () => {
    await enqueueJob(ctx.database.db, { kind: 'test.flaky', payload: { failTimes: 1 } });
    const w = new JobWorker(ctx, { backoffMs: 1 });
    await w.runOnce();
    await new Promise((r) => setTimeout(r, 5));
    await w.runOnce();
    const [job] = await jobs(ctx);
    assert.equal(job?.status, 'done');
    assert.equal(job?.last_error, null);
    const effects = await ctx.database.db.selectFrom('settings').select('key').where('key', 'like', 'flaky:%').execute();
    assert.deepEqual(effects.map((e) => e.key), ['flaky:2']);
  });

  it('fails unknown job kinds and malformed payloads cleanly', async () => {
    await enqueueJob(ctx.database.db, { kind: 'no.such.kind', payload: {} });
    await ctx.database.db.insertInto('jobs').values({
      kind: 'test.count', payload: '{not json', status: 'pending', run_at: new Date(0).toISOString(), max_attempts: 1,
      locked_by: null, locked_until: null, created_at: new Date().toISOString(), last_error: null, dedupe_key: null, finished_at: null,
    }).execute();
    const w = new JobWorker(ctx);
    assert.equal(await w.runOnce(), 2);
    const rows = await jobs(ctx);
    const unknown = rows.find((r) => r.kind === 'no.such.kind');
    assert.equal(unknown?.status, 'failed');
    assert.match(unknown?.last_error ?? '', /unknown job kind/);
    const bad = rows.find((r) => r.kind === 'test.count');
    assert.equal(bad?.status, 'failed');
    assert.match(bad?.last_error ?? '', /SyntaxError/);
  });

  it('stop waits for the job in hand and hands back the rest of the batch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let started!: () => void;
    const running = new Promise<void>((r) => { started = r; });
    registerJobHandler('test.slow', async (_ctx, _p, trx) => {
      started();
      await gate;
      await trx.insertInto('settings').values({ key: 'slow-done', value: '1' }).execute();
    });
    await enqueueJob(ctx.database.db, { kind: 'test.slow', payload: {}, runAt: new Date(Date.now() - 2000) });
    await enqueueJob(ctx.database.db, { kind: 'test.count', payload: { n: 1 }, runAt: new Date(Date.now() - 1000) });
    const w = new JobWorker(ctx, { pollMs: 5 });
    w.start();
    await running;
    const stopped = w.stop();
    let done = false;
    void stopped.then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(done, false, 'stop waits for the running job');
    release();
    await stopped;
    const rows = await jobs(ctx);
    assert.deepEqual(rows.map((r) => [r.kind, r.status, r.attempts]), [['test.slow', 'done', 1], ['test.count', 'pending', 0]]);
  });
});
