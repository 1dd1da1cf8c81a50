import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LIVE_PAGE_SIZE } from '../../src/modules/consultations/live-service.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { makeLiveConsultation, sseClient } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// The newest page's list of older questions still waiting is kept current by the page's script
// from the event stream. An answer or a hiding says whether it took the question off the queue
// (`wasQueued`): only the first answer does, hiding an answered question does not. The stream
// says so live and when it replays the record; the page carries what the script needs to count.

describe('live events for the waiting list', { timeout: 120_000 }, () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let id = 0;
  let port = 0;
  let q: number[] = [];
  let handler: Jar; let staff: Jar;
  const db = () => t.ctx.database.db;
  const base = () => `/consultations/${id}/live`;

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    const now = new Date().toISOString();
    const rows = await db().insertInto('consultation_questions').values(Array.from({ length: LIVE_PAGE_SIZE + 3 }, (_, i) => ({
      consultation_id: id, author_id: w.member, author_kind: 'member' as const, addressed_body_id: null, body: `第${i + 1}个问题`, status: 'queued' as const,
      hidden_reason: null, answered_at: null, created_at: now, updated_at: now,
    }))).returning('id').execute();
    q = rows.map((r) => r.id).sort((a, b) => a - b);
    [handler, staff] = await Promise.all([signedInJar(t.app, t.ctx, w.deptHandler), signedInJar(t.app, t.ctx, w.staff)]);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(async () => { await t.close(); });

  it('the newest page gives the script the count, the boundary and the sentence to fill in, in both languages', async () => {
    const zh = (await get(t.app, base())).body;
    const below = q[3] as number; // the oldest of the newest LIVE_PAGE_SIZE
    assert.match(zh, new RegExp(`id="xs-live-waiting-section"[^>]*data-total="3" data-below="${below}"`));
    assert.match(zh, /data-note-one="另有 1 个更早的问题还在等待答复，等得最久的排在前面。"/);
    assert.match(zh, /data-note-many="另有 \{n\} 个更早的问题还在等待答复，等得最久的排在前面。"/);
    assert.match(zh, /<p id="xs-live-waiting-note">另有 3 个更早的问题还在等待答复/);
    const en = (await t.app.inject({ method: 'GET', url: base(), headers: { 'accept-language': 'en' } })).body;
    assert.match(en, /data-note-one="1 earlier question is still waiting for an answer, the longest-waiting first."/);
    assert.match(en, /data-note-many="\{n\} earlier questions are still waiting for an answer, the longest-waiting first."/);
  });

  it('answers and hidings say whether they took the question off the queue, live and replayed', async () => {
    const [q1, q2, q3] = q as [number, number, number];
    const live = sseClient(port, `${base()}/events`);
    await live.opened;
    const startId = Number((await db().selectFrom('audit_events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);
    const steps: Array<[string, Jar, Record<string, string>]> = [
      [`${base()}/questions/${q1}/answer`, handler, { body: '第一次答复。' }],
      [`${base()}/questions/${q1}/answer`, handler, { body: '补充答复。' }],
      [`${base()}/questions/${q2}/moderate`, staff, { action: 'hide', reason: '重复' }],
      [`${base()}/questions/${q1}/moderate`, staff, { action: 'hide', reason: '误答' }],
      [`${base()}/questions/${q3}/moderate`, staff, { action: 'asking' }],
    ];
    for (const [url, jar, body] of steps) assert.equal((await postForm(t.app, url, body, jar)).statusCode, 303, url);
    await live.waitFor(() => live.events.length >= 5);
    live.close();
    const expected = [
      { event: 'answer', questionId: q1, wasQueued: true },
      { event: 'answer', questionId: q1, wasQueued: false },
      { event: 'hidden', questionId: q2, wasQueued: true },
      { event: 'hidden', questionId: q1, wasQueued: false },
      { event: 'asking', questionId: q3, wasQueued: undefined },
    ];
    const shape = (e: { event: string; data: { questionId: number; wasQueued?: boolean } }) => ({ event: e.event, questionId: e.data.questionId, wasQueued: e.data.wasQueued });
    assert.deepEqual(live.events.map(shape), expected);
    assert.equal(live.events[0]?.data.body, '第一次答复。', 'the answer as before, with the flag beside it');

    // A page that reconnects gets the same from the record.
    const replay = sseClient(port, `${base()}/events?lastEventId=${startId}`);
    await replay.opened;
    await replay.waitFor(() => replay.events.length >= 5);
    replay.close();
    assert.deepEqual(replay.events.map(shape), expected);
    assert.deepEqual(replay.events.map((e) => e.id), live.events.map((e) => e.id));

    const rows = await db().selectFrom('consultation_questions').select(['id', 'status', 'answered_at', 'hidden_reason']).where('id', 'in', [q1, q2, q3]).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => [r.status, r.hidden_reason]), [['hidden', '误答'], ['hidden', '重复'], ['queued', null]]);
    assert.ok(rows[0]?.answered_at, 'answered before it was hidden');
    const page = (await get(t.app, base())).body;
    assert.match(page, /data-total="1"/, 'the page counts what the events said: one still waiting');
  });
});
