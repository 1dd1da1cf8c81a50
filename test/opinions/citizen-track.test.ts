import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadOpinion } from '../../src/modules/opinions/access.js';
import { acceptOpinion, askCitizen, mergeOpinion, replyToOpinion } from '../../src/modules/opinions/handling.js';
import { formatTrackingCode, newTrackingCode } from '../../src/modules/opinions/model.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { Jar, get, postForm } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';
import { citizenTestApp } from './citizen-helpers.js';

// Following an opinion with the tracking code and the last four digits: the timeline, adding
// information, rating (not satisfied reopens once), withdrawing, a merged opinion, the limits.

describe('citizen pages: following an opinion', () => {
  let t: TestApp;
  let w: OpinionWorld;
  before(async () => {
    t = await citizenTestApp();
    w = await makeOpinionWorld(t.ctx);
  });
  after(() => t.close());

  const send = async (o: Record<string, unknown> = {}) =>
    submitOpinion(t.ctx, { kind: 'user', user: await userOf(t.ctx, w.citizen) }, sampleOpinion(w, o));
  const last4 = () => w.citizenPhone.slice(-4);
  /** A fresh browser that proves the code with the last four digits. */
  async function lookUp(code: string) {
    const jar = new Jar();
    const res = await postForm(t.app, '/opinions/track', { code: formatTrackingCode(code).toLowerCase(), last4: last4() }, jar);
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `/opinions/track/${code}`);
    return jar;
  }

  it('code + last four digits open the timeline; wrong digits do not; add information, reply, "not satisfied" reopens, then closes', async () => {
    const sent = await send({ title: '河道垃圾堆积', body: '东门社区旁边的河道垃圾堆积，夏天有异味，希望定期清理。' });
    const stranger = new Jar();
    const blind = await get(t.app, `/opinions/track/${sent.trackingCode}`, stranger);
    assert.equal(blind.statusCode, 303, 'the view needs the proof first');
    assert.equal(blind.headers.location, `/opinions/track?code=${sent.trackingCode}`);
    const lookup = await get(t.app, String(blind.headers.location), stranger);
    assert.equal(lookup.statusCode, 200);
    assert.ok(lookup.body.includes(`value="${formatTrackingCode(sent.trackingCode)}"`), 'the code is prefilled');

    const wrong = await postForm(t.app, '/opinions/track', { code: sent.trackingCode, last4: last4() === '0000' ? '1111' : '0000' }, stranger);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /查询码或手机号后四位不正确/);
    assert.equal((await get(t.app, `/opinions/track/${sent.trackingCode}`, stranger)).statusCode, 303, 'still closed');

    const jar = await lookUp(sent.trackingCode);
    let view = await get(t.app, `/opinions/track/${sent.trackingCode}`, jar);
    assert.equal(view.statusCode, 200);
    assert.match(view.body, /<h1>河道垃圾堆积<\/h1>/);
    assert.match(view.body, /待受理/);
    assert.match(view.body, /李委员\d+（青山县政协\d+）/);
    assert.match(view.body, /已收到/, 'the timeline starts with the submission');
    assert.doesNotMatch(view.body, /评价答复/, 'nothing to rate yet');

    const member = await userOf(t.ctx, w.member);
    await acceptOpinion(t.ctx, member, sent.id);
    await askCitizen(t.ctx, member, sent.id, { question: '请问具体是哪一段河道？' });
    view = await get(t.app, `/opinions/track/${sent.trackingCode}`, jar);
    assert.match(view.body, /办理中/);
    assert.match(view.body, /请问具体是哪一段河道？/, 'the question is on the timeline');

    const empty = await postForm(t.app, `/opinions/track/${sent.trackingCode}/info`, { info: '' }, jar);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /请填写补充内容/);
    const added = await postForm(t.app, `/opinions/track/${sent.trackingCode}/info`, { info: '是东门桥到南门桥之间那一段。' }, jar);
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, `/opinions/track/${sent.trackingCode}?done=added`);
    view = await get(t.app, String(added.headers.location), jar);
    assert.match(view.body, /补充的信息已送给办理人/);
    assert.match(view.body, /群众补充/);
    assert.match(view.body, /是东门桥到南门桥之间那一段。/);

    await replyToOpinion(t.ctx, member, sent.id, { reply: '已协调环卫所每周清理两次。' });
    view = await get(t.app, `/opinions/track/${sent.trackingCode}`, jar);
    assert.match(view.body, /评价答复/);
    assert.match(view.body, /name="handling" value="3"/);
    assert.match(view.body, /已协调环卫所每周清理两次。/);
    const half = await postForm(t.app, `/opinions/track/${sent.trackingCode}/rate`, { handling: '3' }, jar);
    assert.equal(half.statusCode, 400);
    assert.match(half.body, /请填写对办理结果的评价/);
    assert.match(half.body, /name="handling" value="3" checked/, 'the choice made is kept');

    const rated = await postForm(t.app, `/opinions/track/${sent.trackingCode}/rate`, { handling: '2', result: '1', comment: '清理后又堆起来了' }, jar);
    assert.equal(rated.statusCode, 303);
    assert.equal(rated.headers.location, `/opinions/track/${sent.trackingCode}?done=reopened`);
    let op = await loadOpinion(t.ctx.database.db, sent.id);
    assert.equal(op.status, 'accepted');
    assert.equal(op.reopen_count, 1);
    view = await get(t.app, String(rated.headers.location), jar);
    assert.match(view.body, /会重新办理一次/);
    assert.match(view.body, /办理过程：基本满意；办理结果：不满意/);

    await replyToOpinion(t.ctx, member, sent.id, { reply: '已增设两处垃圾收集点。' });
    const second = await postForm(t.app, `/opinions/track/${sent.trackingCode}/rate`, { handling: '1', result: '1' }, jar);
    assert.equal(second.headers.location, `/opinions/track/${sent.trackingCode}?done=rated`, 'reopened only once');
    op = await loadOpinion(t.ctx.database.db, sent.id);
    assert.equal(op.status, 'closed');
    view = await get(t.app, `/opinions/track/${sent.trackingCode}`, jar);
    assert.doesNotMatch(view.body, /action="[^"]*\/(info|withdraw|rate)"/, 'no actions once closed');
    const late = await postForm(t.app, `/opinions/track/${sent.trackingCode}/info`, { info: '还有一点' }, jar);
    assert.equal(late.statusCode, 409);
  });

  it('withdraw asks first; the signed-in sender needs no code; a stranger signed in is sent to look it up', async () => {
    const sent = await send({ title: '广场舞噪音扰民', body: '晚上十点后广场舞音响声音仍然很大，影响休息。' });
    const mine = await signedInJar(t.app, t.ctx, w.citizen);
    assert.equal((await get(t.app, `/opinions/track?code=${sent.trackingCode}`, mine)).headers.location, `/opinions/track/${sent.trackingCode}`);
    const other = await signedInJar(t.app, t.ctx, w.otherMember);
    assert.equal((await get(t.app, `/opinions/track/${sent.trackingCode}`, other)).statusCode, 303);
    const forged = await postForm(t.app, `/opinions/track/${sent.trackingCode}/withdraw`, { confirm: 'yes' }, other);
    assert.equal(forged.statusCode, 303);
    assert.equal((await loadOpinion(t.ctx.database.db, sent.id)).status, 'received', 'a stranger cannot withdraw it');

    const ask = await postForm(t.app, `/opinions/track/${sent.trackingCode}/withdraw`, {}, mine);
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /确定要撤回“广场舞噪音扰民”吗/);
    assert.equal((await loadOpinion(t.ctx.database.db, sent.id)).status, 'received', 'asking is not withdrawing');
    const done = await postForm(t.app, `/opinions/track/${sent.trackingCode}/withdraw`, { confirm: 'yes' }, mine);
    assert.equal(done.statusCode, 303);
    assert.equal((await loadOpinion(t.ctx.database.db, sent.id)).status, 'withdrawn');
    assert.match((await get(t.app, String(done.headers.location), mine)).body, /已撤回/);
  });

  it('a merged opinion shows the one it was merged into', async () => {
    const one = await send({ title: '学校门口没有斑马线', body: '实验小学门口没有斑马线，孩子过马路很危险。', target: 'body', targetBodyId: String(w.liaisonGroup) });
    const two = await send({ title: '小学门口缺斑马线', body: '实验小学门口需要画斑马线并安排护学岗。', target: 'body', targetBodyId: String(w.liaisonGroup) });
    await mergeOpinion(t.ctx, await userOf(t.ctx, w.staff), two.id, { into: one.trackingCode });
    const jar = await lookUp(two.trackingCode);
    const view = await get(t.app, `/opinions/track/${two.trackingCode}`, jar);
    assert.match(view.body, /已合并/);
    assert.match(view.body, /与另一件意见合并办理/);
    assert.match(view.body, /学校门口没有斑马线/, 'its title (the other sender allowed it to be public)');
    assert.ok(!view.body.includes(formatTrackingCode(one.trackingCode)), 'not the other opinion’s tracking code');
  });

  it('locks a code after ten wrong tries, and limits look-ups per address', async () => {
    const sent = await send({ title: '路灯不亮已经两周', body: '东门社区主干道路灯坏了两周，晚上出行不安全。' });
    const jar = new Jar();
    const wrong = last4() === '0000' ? '1111' : '0000';
    for (let i = 0; i < 10; i++) assert.equal((await postForm(t.app, '/opinions/track', { code: sent.trackingCode, last4: wrong }, jar)).statusCode, 400);
    const locked = await postForm(t.app, '/opinions/track', { code: sent.trackingCode, last4: last4() }, jar);
    assert.equal(locked.statusCode, 429);
    assert.match(locked.body, /已暂时锁定/);
    let limited = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await postForm(t.app, '/opinions/track', { code: newTrackingCode(), last4: '1234' }, jar);
      if (res.statusCode === 429) limited = res;
      else assert.equal(res.statusCode, 400);
    }
    assert.ok(limited, 'the per-address limit answered');
    assert.match(limited.body, /查询太频繁/);
  });
});
