import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type AppContext, closeContext, createContext } from '../../src/context.js';
import { liveTopic } from '../../src/modules/consultations/live-service.js';
import { liveHub } from '../../src/platform/live/hub.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { postForm } from '../helpers/http.js';
import { makeLiveConsultation, sseClient } from './live-helpers.js';
import { makeConsultationWorld } from './world.js';

// Two app instances — each with its own database pool, page cache and live hub, as two
// processes would have — on the same PostgreSQL schema: a question posted on one reaches an
// SSE client connected to the other through LISTEN/NOTIFY. On SQLite the app runs as one
// process and the hub fans out in-process only, so there is nothing to test across instances.
// Defined only on PostgreSQL (CI runs the whole suite there too): under CI a skipped test fails the run.
(process.env.DATABASE_URL ? describe : () => undefined)('live updates across app instances (PostgreSQL)', { timeout: 60_000 }, () => {
  let a: TestApp;
  let ctxB: AppContext;
  let b: FastifyInstance;
  before(async () => {
    a = await createTestApp();
    ctxB = await createContext(a.ctx.config);
    b = await buildApp(ctxB);
    await b.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await b.close();
    await closeContext(ctxB);
    await a.close();
  });

  it('a question and its answer posted on instance A reach a client of instance B, with the same ids', async () => {
    const w = await makeConsultationWorld(a.ctx);
    const id = await makeLiveConsultation(a.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    const client = sseClient((b.server.address() as AddressInfo).port, `/consultations/${id}/live/events`);
    await client.opened;
    assert.equal(client.status, 200);
    await client.waitFor(() => liveHub(ctxB).subscriberCount(liveTopic(id)) === 1);
    assert.equal(liveHub(a.ctx).subscriberCount(liveTopic(id)), 0, 'nobody listens on A');
    const citizen = await signedInJar(a.app, a.ctx, w.citizens[0] as number);
    assert.equal((await postForm(a.app, `/consultations/${id}/live/questions`, { body: '跨进程：停车位够吗？' }, citizen)).statusCode, 303);
    await client.waitFor(() => client.events.some((e) => e.event === 'question'));
    const q = client.events[0] as { id: number; data: { id: number; body: string } };
    assert.equal(q.data.body, '跨进程：停车位够吗？');
    const audit = await a.ctx.database.db.selectFrom('audit_events').select('id').where('action', '=', 'live.question').where('stream_id', '=', String(id)).executeTakeFirstOrThrow();
    assert.equal(q.id, Number(audit.id));
    const handler = await signedInJar(a.app, a.ctx, w.deptHandler);
    assert.equal((await postForm(a.app, `/consultations/${id}/live/questions/${q.data.id}/answer`, { body: '够。' }, handler)).statusCode, 303);
    await client.waitFor(() => client.events.some((e) => e.event === 'answer'));
    assert.equal(liveHub(ctxB).remoteCount >= 2, true);
    client.close();
  });
});
