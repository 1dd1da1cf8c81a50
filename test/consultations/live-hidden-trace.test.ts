import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { makeLiveConsultation, sseClient } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// A hidden question stays on the record as a trace in its place: the public page (and an older
// page holding it) says a question was hidden by the moderator, when, and the category given —
// never its text, its department or its answers. Organisers still see it whole. The event stream
// carries the time and category, live and when it replays the record.

describe('live session: a hidden question leaves a trace', { timeout: 120_000 }, () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let id = 0;
  let port = 0;
  let q: number[] = [];
  let handler: Jar; let staff: Jar;
  const db = () => t.ctx.database.db;
  const base = () => `/consultations/${id}/live`;
  const en = (url: string, jar?: Jar) => get(t.app, url, jar, { 'accept-language': 'en' });

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    const now = new Date().toISOString();
    const rows = await db().insertInto('consultation_questions').values(['小区停车位不足怎么办？', '某某住在几号楼，电话是多少？', '公园开放时间能否延长？'].map((body) => ({
      consultation_id: id, author_id: w.member, author_kind: 'member' as const, addressed_body_id: w.department, body, status: 'queued' as const,
      hidden_reason: null, answered_at: null, created_at: now, updated_at: now,
    }))).returning('id').execute();
    q = rows.map((r) => r.id).sort((a, b) => a - b);
    [handler, staff] = await Promise.all([signedInJar(t.app, t.ctx, w.deptHandler), signedInJar(t.app, t.ctx, w.staff)]);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(async () => { await t.close(); });

  it('the moderation form asks for a public category; a wrong one is refused and nothing is hidden', async () => {
    const page = (await get(t.app, base(), staff)).body;
    assert.match(page, new RegExp(`<label for="hidecat-${q[1]}">隐藏理由（公开显示） #${q[1]}</label>`));
    assert.match(page, /<option value="other" selected>其他原因<\/option>/);
    const bad = await postForm(t.app, `${base()}/questions/${q[1]}/moderate`, { action: 'hide', category: 'gossip' }, staff);
    assert.equal(bad.statusCode, 400);
    assert.equal((await db().selectFrom('consultation_questions').select('status').where('id', '=', q[1] as number).executeTakeFirstOrThrow()).status, 'queued');
  });

  it('live: the hiding carries its time and category; the public page shows the trace in its place, in zh and en', async () => {
    const live = sseClient(port, `${base()}/events`);
    await live.opened;
    const before = Date.now();
    assert.equal((await postForm(t.app, `${base()}/questions/${q[2]}/answer`, { body: '夏季延长到晚十点。' }, handler)).statusCode, 303);
    assert.equal((await postForm(t.app, `${base()}/questions/${q[1]}/moderate`, { action: 'hide', category: 'privacy', reason: '含他人住址电话' }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `${base()}/questions/${q[2]}/moderate`, { action: 'hide' }, staff)).statusCode, 303);
    await live.waitFor(() => live.events.filter((e) => e.event === 'hidden').length >= 2);
    live.close();
    const hidden = live.events.filter((e) => e.event === 'hidden').map((e) => e.data as { questionId: number; category: string; hiddenAt: string });
    assert.deepEqual(hidden.map((h) => [h.questionId, h.category]), [[q[1], 'privacy'], [q[2], 'other']], 'no category given: other');
    for (const h of hidden) assert.ok(Date.parse(h.hiddenAt) >= before - 1000 && Date.parse(h.hiddenAt) <= Date.now());
    assert.ok(!JSON.stringify(live.events.filter((e) => e.event === 'hidden')).includes('含他人住址电话'), 'the organiser’s note stays off the stream');

    const pub = (await get(t.app, base())).body;
    assert.doesNotMatch(pub, /某某住在几号楼|公园开放时间|夏季延长到晚十点|含他人住址电话/);
    assert.match(pub, new RegExp(`<li id="q-${q[1]}" class="xs-live-hidden"><p class="xs-muted">一条提问已被主持人隐藏（[^（）]+，涉及他人隐私）</p></li>`));
    assert.match(pub, new RegExp(`<li id="q-${q[2]}" class="xs-live-hidden"><p class="xs-muted">一条提问已被主持人隐藏（[^（）]+，其他原因）</p></li>`));
    // In its place: between the questions before and after it.
    const at = (s: string) => pub.indexOf(s);
    assert.ok(at(`id="q-${q[0]}"`) < at(`id="q-${q[1]}"`) && at(`id="q-${q[1]}"`) < at(`id="q-${q[2]}"`));
    assert.match(pub, /小区停车位不足怎么办？/);
    // The page gives the script the sentence and the categories for traces that arrive live.
    assert.match(pub, /data-hidden-trace="一条提问已被主持人隐藏（\{time\}，\{reason\}）"/);
    assert.match(pub, /data-hide-privacy="涉及他人隐私"/);
    const pubEn = (await en(base())).body;
    assert.match(pubEn, /A question was hidden by the moderator \([^()]+, about someone’s private life\)\./);
    assert.doesNotMatch(pubEn, /某某住在几号楼/);
    // A signed-in participant who does not moderate sees the trace too.
    assert.doesNotMatch((await get(t.app, base(), handler)).body, /某某住在几号楼/);

    const own = (await get(t.app, base(), staff)).body;
    assert.match(own, /某某住在几号楼/);
    assert.match(own, /已隐藏（不公开显示）：涉及他人隐私/);
  });

  it('the record: an older page and a replayed stream keep the trace', async () => {
    const older = (await get(t.app, `${base()}?before=${(q[2] as number) + 1}`)).body;
    assert.match(older, /一条提问已被主持人隐藏（[^（）]+，涉及他人隐私）/);
    assert.doesNotMatch(older, /某某住在几号楼/);
    const replay = sseClient(port, `${base()}/events?lastEventId=0`);
    await replay.waitFor(() => replay.events.filter((e) => e.event === 'hidden').length >= 2);
    replay.close();
    const hidden = replay.events.filter((e) => e.event === 'hidden').map((e) => e.data as { questionId: number; category: string | null; hiddenAt: string | null });
    assert.ok(hidden.length >= 2);
    for (const h of hidden) assert.ok(h.hiddenAt && h.category, JSON.stringify(h));
    assert.deepEqual([...new Set(hidden.map((h) => `${h.questionId}:${h.category}`))].sort(), [`${q[1]}:privacy`, `${q[2]}:other`].sort());
    assert.ok(!replay.events.some((e) => e.event === 'question' && (e.data as { id: number }).id === q[1]), 'its text is not replayed');
  });
});
