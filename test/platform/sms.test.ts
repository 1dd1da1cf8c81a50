import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/context.js';
import { JobWorker } from '../../src/platform/jobs/worker.js';
import { SmsSendError, httpSmsAdapter, logSmsAdapter } from '../../src/platform/sms/adapters.js';
import { queueSms } from '../../src/platform/sms/queue.js';
import { createTestContext } from '../helpers/app.js';

interface Received { auth: string | undefined; body: { to: string; text: string; messageId: number } }

/** A stand-in SMS gateway: fails the next `failNext` requests with 503, can hang (`hung` counts those answered). */
async function fakeGateway() {
  const received: Received[] = [];
  const state = { failNext: 0, hangMs: 0, hung: 0 };
  const app: FastifyInstance = Fastify();
  app.post('/send', async (req, reply) => {
    if (state.hangMs) {
      await new Promise((r) => setTimeout(r, state.hangMs));
      state.hung++;
      return reply.code(504).send({ error: 'slow' });
    }
    if (state.failNext > 0) {
      state.failNext--;
      return reply.code(503).send({ error: 'busy' });
    }
    received.push({ auth: req.headers.authorization, body: req.body as Received['body'] });
    return { id: `gw-${received.length}` };
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/send`, received, state, close: () => app.close() };
}

describe('SMS adapters', () => {
  let gw: Awaited<ReturnType<typeof fakeGateway>>;
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  const logged: unknown[] = [];
  const log = { info: (...a: unknown[]) => logged.push(a), warn: (...a: unknown[]) => logged.push(a), error: (...a: unknown[]) => logged.push(a) } as never;

  before(async () => {
    gw = await fakeGateway();
    ({ ctx, cleanup } = await createTestContext({ sms: { adapter: 'http', gatewayUrl: gw.url, gatewayToken: 'gw-secret' } }));
  });
  after(async () => {
    await cleanup();
    await gw.close();
  });
  beforeEach(async () => {
    gw.received.length = 0;
    gw.state.failNext = 0;
    gw.state.hangMs = 0;
    gw.state.hung = 0;
    logged.length = 0;
    await ctx.database.db.deleteFrom('jobs').execute();
  });

  it('the http adapter posts JSON with the bearer token and returns the gateway reference', async () => {
    const a = httpSmsAdapter({ url: gw.url, token: 'gw-secret' });
    const r = await a.send({ messageId: 41, phone: '13812345678', text: '验证码 123456' });
    assert.equal(r.providerRef, 'gw-1');
    assert.deepEqual(gw.received, [{ auth: 'Bearer gw-secret', body: { to: '13812345678', text: '验证码 123456', messageId: 41 } }]);
  });

  it('the http adapter treats non-2xx, timeouts and an unreachable gateway as retryable errors', async () => {
    gw.state.failNext = 1;
    const a = httpSmsAdapter({ url: gw.url, token: 'gw-secret' });
    await assert.rejects(a.send({ messageId: 1, phone: '13812345678', text: 'x' }), (e: SmsSendError) => e.retryable && /HTTP 503/.test(e.message));
    gw.state.hangMs = 300;
    await assert.rejects(httpSmsAdapter({ url: gw.url, token: undefined, timeoutMs: 50 }).send({ messageId: 1, phone: '1', text: 'x' }),
      (e: SmsSendError) => e.retryable && /within 50 ms/.test(e.message));
    // The client gave up, but the request may still reach the gateway later (on a loaded machine,
    // after the next test has set the gateway up to fail): wait until the gateway has answered it
    // (for at most 3 s: if the client gave up before even connecting, it never arrives).
    for (const until = Date.now() + 3000; gw.state.hung < 1 && Date.now() < until;) await new Promise((r) => setTimeout(r, 10));
    await assert.rejects(httpSmsAdapter({ url: 'http://127.0.0.1:9/send', token: undefined }).send({ messageId: 1, phone: '1', text: 'x' }),
      (e: SmsSendError) => e instanceof SmsSendError && e.retryable);
  });

  it('the log adapter logs the id and the masked number, never the text', async () => {
    const r = await logSmsAdapter(log).send({ messageId: 9, phone: '13812345678', text: '验证码 654321' });
    assert.equal(r.providerRef, 'log-9');
    const text = JSON.stringify(logged);
    assert.match(text, /138\*\*\*\*5678/);
    assert.doesNotMatch(text, /654321|13812345678/);
  });

  it('the sms.send job retries a failing gateway until it recovers, then marks the message sent', async () => {
    gw.state.failNext = 2;
    const id = await queueSms(ctx.database.db, '13900001111', '验证码 111222', 'http');
    const w = new JobWorker(ctx, { backoffMs: 1, log });
    for (let round = 0; round < 3; round++) {
      await ctx.database.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('status', '=', 'pending').where('kind', '=', 'sms.send').execute();
      assert.equal(await w.runOnce(), 1);
      const msg = await ctx.database.db.selectFrom('sms_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(msg.status, round < 2 ? 'queued' : 'sent');
    }
    const msg = await ctx.database.db.selectFrom('sms_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(msg.provider_ref, 'gw-1');
    assert.ok(msg.sent_at);
    const job = await ctx.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'sms.send').executeTakeFirstOrThrow();
    assert.equal(job.status, 'done');
    assert.equal(job.attempts, 3);
    assert.deepEqual(gw.received.map((r) => r.body), [{ to: '13900001111', text: '验证码 111222', messageId: id }]);
  });

  it('marks the message failed when the gateway never recovers', async () => {
    gw.state.failNext = 100;
    const id = await ctx.database.db.transaction().execute(async (trx) => {
      const mid = await queueSms(trx, '13900002222', 'hello', 'http');
      await trx.updateTable('jobs').set({ max_attempts: 2 }).execute();
      return mid;
    });
    const w = new JobWorker(ctx, { backoffMs: 1, log });
    for (let round = 0; round < 2; round++) {
      await ctx.database.db.updateTable('jobs').set({ run_at: new Date(0).toISOString() }).where('status', '=', 'pending').execute();
      await w.runOnce();
    }
    const msg = await ctx.database.db.selectFrom('sms_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(msg.status, 'failed');
    assert.match(msg.error ?? '', /HTTP 503/);
    assert.equal((await ctx.database.db.selectFrom('jobs').select('status').executeTakeFirstOrThrow()).status, 'done');
  });

  it('the log adapter path marks a development message sent without a gateway', async () => {
    const id = await queueSms(ctx.database.db, '13900003333', '验证码 999000', 'log');
    assert.equal(await new JobWorker(ctx, { log }).runOnce(), 1);
    const msg = await ctx.database.db.selectFrom('sms_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(msg.status, 'sent');
    assert.equal(msg.provider_ref, `log-${id}`);
    assert.equal(gw.received.length, 0);
    assert.doesNotMatch(JSON.stringify(logged), /999000/);
  });
});
