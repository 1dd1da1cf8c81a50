import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { liveSseOf } from '../../src/modules/consultations/live-routes.js';
import { liveTopic } from '../../src/modules/consultations/live-service.js';
import { liveHub } from '../../src/platform/live/hub.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { makeLiveConsultation, sseClient } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

describe('live question session', { timeout: 120_000 }, () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let id: number;
  let port: number;
  let registrant: Jar; let stranger: Jar; let member: Jar; let handler: Jar; let staff: Jar; let otherHandler: Jar;
  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    const jars = await Promise.all([w.citizens[0], w.citizens[1], w.member, w.deptHandler, w.staff].map((u) => signedInJar(t.app, t.ctx, u as number)));
    [registrant, stranger, member, handler, staff] = jars as [Jar, Jar, Jar, Jar, Jar];
    const { makeUser } = await import('../helpers/factories.js');
    otherHandler = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: w.otherDepartment, role: 'department_handler' }] }));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(async () => { await t.close(); });
  const db = () => t.ctx.database.db;
  const count = async () => Number((await db().selectFrom('consultation_questions').select((eb) => eb.fn.countAll<number>().as('n')).where('consultation_id', '=', id).executeTakeFirstOrThrow()).n);

  it('registered citizens and members ask; anonymous and unregistered people may not; over-long is a 400', async () => {
    const anon = await postForm(t.app, `/consultations/${id}/live/questions`, { body: '停车位什么时候增加？' });
    assert.ok([401, 403].includes(anon.statusCode) || anon.statusCode === 303 && /login|sign/.test(anon.headers.location ?? ''), `anonymous: ${anon.statusCode}`);
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '我没报名' }, stranger)).statusCode, 403);
    const long = await postForm(t.app, `/consultations/${id}/live/questions`, { body: '长'.repeat(301) }, registrant);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /value|长长长/);
    assert.equal(await count(), 0);
    const ok = await postForm(t.app, `/consultations/${id}/live/questions`, { body: '老城区停车位什么时候增加？', addressedBodyId: String(w.department) }, registrant);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
    const again = await postForm(t.app, `/consultations/${id}/live/questions`, { body: '再问一个' }, registrant);
    assert.equal(again.statusCode, 429, 'one question per person per half minute');
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '委员提问：公交接驳怎么安排？' }, member)).statusCode, 303);
    assert.equal(await count(), 2);
    const page = await get(t.app, `/consultations/${id}/live`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /老城区停车位什么时候增加？/);
    assert.match(page.body, /\/assets\/live\.js/);
    const events = await db().selectFrom('audit_events').select('action').where('stream_type', '=', 'consultation').where('stream_id', '=', String(id)).execute();
    assert.deepEqual(events.map((e) => e.action), ['live.question', 'live.question']);
  });

  it('only a representative of an attending department answers', async () => {
    const q = await db().selectFrom('consultation_questions').select('id').where('consultation_id', '=', id).orderBy('id').executeTakeFirstOrThrow();
    for (const jar of [registrant, member, otherHandler]) {
      assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${q.id}/answer`, { body: '答复' }, jar)).statusCode, 403);
    }
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${q.id}/answer`, { body: '' }, handler)).statusCode, 400);
    const res = await postForm(t.app, `/consultations/${id}/live/questions/${q.id}/answer`, { body: '今年新增 300 个泊位。' }, handler);
    assert.equal(res.statusCode, 303);
    const row = await db().selectFrom('consultation_questions').select('status').where('id', '=', q.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'answered');
    const page = await get(t.app, `/consultations/${id}/live`);
    assert.match(page.body, /今年新增 300 个泊位。/);
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${q.id}/moderate`, { action: 'hide' }, registrant)).statusCode, 403);
  });

  it('the event stream: headers, events as they happen, replay after Last-Event-ID, hidden questions', async () => {
    const c = sseClient(port, `/consultations/${id}/live/events`);
    await c.opened;
    assert.equal(c.status, 200);
    assert.match(String(c.headers['content-type']), /^text\/event-stream/);
    assert.equal(c.headers['cache-control'], 'no-cache');
    assert.equal(c.headers['x-accel-buffering'], 'no');
    assert.equal(c.headers['content-encoding'], undefined);
    await c.waitFor(() => liveHub(t.ctx).subscriberCount(liveTopic(id)) === 1);
    const citizen2 = await signedInJar(t.app, t.ctx, w.citizens[2] as number);
    await db().insertInto('consultation_registrations').values({ consultation_id: id, user_id: w.citizens[2] as number, status: 'confirmed', note: null, queued_at: 'x', confirmed_at: 'x', cancelled_at: null, checkin_code: '654321', checked_in_at: null, created_at: 'x', updated_at: 'x' }).execute();
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '<script>alert(1)</script>夜间停车收费？' }, citizen2)).statusCode, 303);
    await c.waitFor(() => c.events.some((e) => e.event === 'question'));
    const qe = c.events.find((e) => e.event === 'question') as { id: number; data: { id: number; body: string } };
    assert.equal(qe.data.body, '<script>alert(1)</script>夜间停车收费？');
    assert.ok(qe.id > 0);
    const qid = qe.data.id;
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${qid}/moderate`, { action: 'asking' }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${qid}/answer`, { body: '夜间免费。' }, handler)).statusCode, 303);
    await c.waitFor(() => c.events.some((e) => e.event === 'answer'));
    assert.deepEqual(c.events.map((e) => e.event), ['question', 'asking', 'answer']);
    assert.deepEqual([...c.events.map((e) => e.id)].sort((a, b) => a - b), c.events.map((e) => e.id), 'ids increase');
    c.close();

    // Reconnecting after the first event replays the rest from the record.
    const r = sseClient(port, `/consultations/${id}/live/events`, { 'last-event-id': String(qe.id) });
    await r.waitFor(() => r.events.length >= 2);
    assert.deepEqual(r.events.map((e) => [e.id, e.event]), c.events.slice(1).map((e) => [e.id, e.event]));
    assert.equal((r.events[1] as { data: { body: string } }).data.body, '夜间免费。');
    // Hiding is delivered, and a replay from before the question no longer carries its text.
    const q2 = await db().selectFrom('consultation_questions').select('id').where('consultation_id', '=', id).where('status', '=', 'queued').executeTakeFirstOrThrow();
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${q2.id}/moderate`, { action: 'hide', reason: '辱骂' }, staff)).statusCode, 303);
    await r.waitFor(() => r.events.some((e) => e.event === 'hidden'));
    r.close();
    const all = sseClient(port, `/consultations/${id}/live/events?lastEventId=0`);
    await all.waitFor(() => all.events.some((e) => e.event === 'hidden'));
    const hiddenQ = all.events.filter((e) => e.event === 'question' && e.data.id === q2.id);
    assert.deepEqual(hiddenQ, []);
    all.close();
    const page = await get(t.app, `/consultations/${id}/live`);
    assert.doesNotMatch(page.body, /公交接驳/);
  });

  it('refuses what cannot stream with an ordinary answer: bad ids, unknown ids, no event-stream Accept', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/consultations/abc/live/events', headers: { accept: 'text/event-stream' } })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: '/consultations/99999999/live/events', headers: { accept: 'text/event-stream' } })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/consultations/${id}/live/events` })).statusCode, 406);
  });

  it('caps connections per address', async () => {
    const sse = liveSseOf(t.app);
    assert.ok(sse);
    const before = sse.options.maxPerIp;
    sse.options.maxPerIp = 2;
    const a = sseClient(port, `/consultations/${id}/live/events`);
    const b = sseClient(port, `/consultations/${id}/live/events`);
    await a.opened; await b.opened;
    await a.waitFor(() => sse.size === 2);
    const c = sseClient(port, `/consultations/${id}/live/events`);
    await c.opened;
    assert.equal(c.status, 429);
    a.close(); b.close(); c.close();
    await a.waitFor(() => sse.size === 0);
    sse.options.maxPerIp = before;
  });

  it('drops a client that never reads once its buffer passes the limit; readers are unaffected', async () => {
    const sse = liveSseOf(t.app);
    assert.ok(sse);
    sse.options.maxBufferedBytes = 64 * 1024;
    const droppedBefore = sse.dropped;
    const reader = sseClient(port, `/consultations/${id}/live/events`);
    await reader.opened;
    // A raw socket that sends the request and never reads a byte.
    const raw = connect(port, '127.0.0.1');
    raw.pause();
    raw.write(`GET /consultations/${id}/live/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
    await reader.waitFor(() => sse.size === 2);
    const hub = liveHub(t.ctx);
    const filler = 'x'.repeat(4000);
    for (let i = 0; i < 20_000 && sse.dropped === droppedBefore; i++) {
      hub.publishLocal(liveTopic(id), { id: 1_000_000 + i, event: 'ping', data: JSON.stringify({ i, filler }) });
      // Let the sockets drain as a reading client would.
      if (i % 4 === 0) await new Promise((r) => setImmediate(r));
    }
    assert.equal(sse.dropped, droppedBefore + 1, 'the non-reading client was dropped');
    await reader.waitFor(() => sse.size === 1);
    assert.equal(reader.ended, false, 'the reading client is still connected');
    reader.close();
    raw.destroy();
    sse.options.maxBufferedBytes = 256 * 1024;
  });

  it('closing the server ends open streams instead of waiting for them', async () => {
    const c = sseClient(port, `/consultations/${id}/live/events`);
    await c.opened;
    await c.waitFor(() => (liveSseOf(t.app)?.size ?? 0) === 1);
    await t.app.close();
    await c.waitFor(() => c.ended);
  });
});
