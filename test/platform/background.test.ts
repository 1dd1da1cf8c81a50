import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { type AppContext, closeContext, createContext } from '../../src/context.js';
import { type Background, startBackground } from '../../src/platform/background.js';
import { enqueueJob } from '../../src/platform/jobs/enqueue.js';
import { createTestContext } from '../helpers/app.js';

const log = Fastify({ logger: false }).log;
const onPg = Boolean(process.env.DATABASE_URL);

async function until(cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

describe('background', () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  before(async () => ({ ctx, cleanup } = await createTestContext()));
  after(async () => cleanup());

  it('runs the job worker inline when configured, and stops it', async () => {
    const inline = { ...ctx, config: { ...ctx.config, workerInline: true, workerPollMs: 10 } };
    const bg = await startBackground(inline, log);
    try {
      await enqueueJob(ctx.database.db, { kind: 'no.handler.here', payload: {} });
      assert.ok(await until(async () => (await ctx.database.db.selectFrom('jobs').select('status').where('kind', '=', 'no.handler.here').executeTakeFirst())?.status === 'failed'));
    } finally {
      await bg.stop();
    }
  });

  // Defined only on PostgreSQL, which CI runs the whole suite on too: SQLite is one node by design.
  (onPg ? it : () => undefined)('invalidating the page cache on one node clears it on another (PostgreSQL)', async () => {
    const other = await createContext(ctx.config);
    let a: Background | null = null;
    let b: Background | null = null;
    try {
      a = await startBackground(ctx, log);
      b = await startBackground(other, log);
      other.pageCache.set('/zh/', '<p>old</p>');
      ctx.pageCache.set('/zh/', '<p>old</p>');
      ctx.pageCache.invalidate();
      assert.equal(ctx.pageCache.size, 0);
      assert.ok(await until(() => other.pageCache.size === 0), 'the other node cleared its cache');
      // And the other way round; a node's own signal does not loop back.
      ctx.pageCache.set('/zh/', '<p>new</p>');
      other.pageCache.invalidate();
      assert.ok(await until(() => ctx.pageCache.size === 0));
    } finally {
      await a?.stop();
      await b?.stop();
      await closeContext(other);
    }
  });
});
