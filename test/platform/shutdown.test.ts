import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { shutdown } from '../../src/cli/serve.js';
import { startBackground } from '../../src/platform/background.js';
import { enqueueJob } from '../../src/platform/jobs/enqueue.js';
import { registerJobHandler } from '../../src/platform/jobs/registry.js';
import { createTestContext } from '../helpers/app.js';

let jobStarted!: () => void;
const jobRunning = new Promise<void>((r) => { jobStarted = r; });
registerJobHandler('test.shutdown.slow', async (_ctx, _payload, trx) => {
  jobStarted();
  await new Promise((r) => setTimeout(r, 400));
  await trx.insertInto('settings').values({ key: 'slow-job', value: 'finished' }).execute();
});

describe('graceful shutdown', () => {
  it('lets the request in flight and the job in hand finish before the database closes', async () => {
    const { ctx, cleanup } = await createTestContext({ workerInline: true, workerPollMs: 10 });
    const order: string[] = [];
    const close = ctx.database.close.bind(ctx.database);
    ctx.database.close = async () => { order.push('database closed'); await close(); };
    const app = await buildApp(ctx);
    // Registered by this test only: a request that takes a while and uses the database.
    let requestStarted!: () => void;
    const requestRunning = new Promise<void>((r) => { requestStarted = r; });
    app.get('/api/v1/test-slow', async () => {
      requestStarted();
      await new Promise((r) => setTimeout(r, 400));
      const row = await ctx.database.db.selectFrom('settings').select('key').limit(1).execute();
      order.push('request finished');
      return { ok: true, rows: row.length };
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const background = await startBackground(ctx, app.log);
    try {
      await enqueueJob(ctx.database.db, { kind: 'test.shutdown.slow', payload: {} });
      await jobRunning;
      const response = fetch(`${address}/api/v1/test-slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
      await requestRunning;
      const stopped = shutdown(app, background, ctx).then(() => order.push('shutdown done'));
      const res = await response;
      await stopped;
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: true, rows: 1 });
      assert.deepEqual(order, ['request finished', 'database closed', 'shutdown done']);
      // The job committed: reopen the same database and look.
      const { openDatabase } = await import('../../src/db/database.js');
      const again = openDatabase(ctx.config);
      try {
        const job = await again.db.selectFrom('jobs').select(['status']).executeTakeFirstOrThrow();
        assert.equal(job.status, 'done');
        const mark = await again.db.selectFrom('settings').select('value').where('key', '=', 'slow-job').executeTakeFirst();
        assert.equal(mark?.value, 'finished');
      } finally {
        await again.close();
      }
    } finally {
      ctx.database.close = async () => {};
      await cleanup();
      await close().catch(() => {});
    }
  });
});
