import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, csrfToken, get, postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, jars, makeConsultationWorld, postAndId, textOf } from './world.js';

// 议题征集 to 年度协商计划 through the pages, as staff, citizens and members would use them.

describe('consultations: topic calls, supports, comments, the annual plan', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let member: Jar;
  let citizen: Jar[];
  let callId: number;
  let topicId: number;
  let memberTopicId: number;
  const year = Number(dayOffset(0).slice(0, 4));
  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    member = await signedInJar(t.app, t.ctx, w.member);
    citizen = await jars(t.app, t.ctx, w.citizens);
  });
  after(() => t.close());

  const count = async (table: 'consultation_topics' | 'topic_supports' | 'topic_comments') =>
    Number((await t.ctx.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('staff open a call; only its managers may; it is public once published', async () => {
    const fields = { bodyId: String(w.committee), title: '2026年度协商议题征集', description: '围绕民生热点，征集年度协商议题。', opensOn: dayOffset(-1), closesOn: dayOffset(10), published: 'on' };
    const bad = await postForm(t.app, '/admin/consultations/calls', { ...fields, closesOn: dayOffset(-5) }, staff);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /截止日期不能早于开始日期/);
    assert.equal((await postForm(t.app, '/admin/consultations/calls', fields, citizen[0] as Jar)).statusCode, 403);
    assert.equal((await postForm(t.app, '/admin/consultations/calls', fields, await signedInJar(t.app, t.ctx, w.outsider))).statusCode, 403);
    callId = await postAndId(t.app, '/admin/consultations/calls', fields, staff, /calls\/(\d+)/);
    const list = await get(t.app, '/consultations/calls');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /2026年度协商议题征集/);
    assert.match(list.body, /征集中/);
    assert.equal((await get(t.app, `/admin/consultations/calls/${callId}`, citizen[0])).statusCode, 403);
  });

  it('signed-in citizens and members propose topics with reasons; bad input stores nothing', async () => {
    const anon = await get(t.app, `/consultations/calls/${callId}/propose`);
    assert.equal(anon.statusCode, 303);
    assert.match(anon.headers.location ?? '', /^\/sign-in\?next=/);
    const form = await get(t.app, `/consultations/calls/${callId}/propose`, citizen[0]);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="reason"/);
    const before = await count('consultation_topics');
    const bad = await postForm(t.app, `/consultations/calls/${callId}/topics`, { title: '停车', reason: '太短' }, citizen[0]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<title>错误：/);
    assert.match(bad.body, /value="停车"/, 'the typed title is kept');
    assert.equal(await count('consultation_topics'), before);
    topicId = await postAndId(t.app, `/consultations/calls/${callId}/topics`, { title: '老旧小区停车难问题', reason: '东门社区等老旧小区车位不足，夜间占用消防通道，群众反映强烈。' }, citizen[0] as Jar, /topics\/(\d+)/);
    memberTopicId = await postAndId(t.app, `/consultations/calls/${callId}/topics`, { title: '农村养老服务设施建设', reason: '农村留守老人多，日间照料中心覆盖不足，需要统筹规划。' }, member, /topics\/(\d+)/);
    const dup = await postForm(t.app, `/consultations/calls/${callId}/topics`, { title: '老旧小区 停车难问题', reason: '同样的问题，换个说法再提一次，看看能不能重复。' }, citizen[1]);
    assert.equal(dup.statusCode, 400);
    assert.match(dup.body, /已经有人提出了同样的议题/);
    const anonPost = await postForm(t.app, `/consultations/calls/${callId}/topics`, { title: '匿名议题测试', reason: '匿名用户不能提出议题，应当被拒绝。' });
    assert.equal(anonPost.statusCode, 401);
  });

  it('others support a topic once, can withdraw, cannot support their own; counts show, names never do', async () => {
    const support = (jar: Jar, id = topicId) => postForm(t.app, `/consultations/topics/${id}/support`, {}, jar);
    const withdraw = (jar: Jar, id = topicId) => postForm(t.app, `/consultations/topics/${id}/withdraw`, {}, jar);
    assert.equal((await support(citizen[1] as Jar)).statusCode, 303);
    const twice = await support(citizen[1] as Jar);
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /每人只能支持一次/);
    assert.equal((await support(citizen[0] as Jar)).statusCode, 409, 'the proposer cannot support their own topic');
    assert.equal((await support(member)).statusCode, 303);
    assert.equal((await withdraw(member)).statusCode, 303);
    assert.equal((await withdraw(member)).statusCode, 409, 'withdrawing twice');
    assert.equal((await support(citizen[2] as Jar)).statusCode, 303);
    assert.equal((await support(citizen[3] as Jar, memberTopicId)).statusCode, 303);
    const anon = await t.app.inject({ method: 'POST', url: `/consultations/topics/${topicId}/support`, payload: `_csrf=${encodeURIComponent(csrfToken(t.app, citizen[4] as Jar))}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `xs_csrf=${(citizen[4] as Jar).cookies.get('xs_csrf')}` } });
    assert.equal(anon.statusCode, 401);
    const row = await t.ctx.database.db.selectFrom('consultation_topics').select('support_count').where('id', '=', topicId).executeTakeFirstOrThrow();
    assert.equal(row.support_count, 2);
    assert.equal(await count('topic_supports'), 3);

    const page = await get(t.app, `/consultations/calls/${callId}`);
    const text = textOf(page);
    assert.match(text, /老旧小区停车难问题/);
    assert.match(text, /群众提出/);
    assert.match(text, /委员提出/);
    assert.match(text, /2 人支持/);
    assert.match(text, /不作为对任何人的排名/);
    for (const name of ['市民', '李委员']) assert.ok(!text.includes(name), `no proposer names on the call page (${name})`);
    assert.ok(text.indexOf('老旧小区停车难问题') < text.indexOf('农村养老服务设施建设'), 'topics in the order they came, not by support');
    const mine = await get(t.app, `/consultations/topics/${topicId}`, citizen[1]);
    assert.match(mine.body, /撤回支持/);
    assert.match(mine.body, /你已支持这个议题/);
  });

  it('people comment on a topic; an empty comment is refused with the form kept', async () => {
    const bad = await postForm(t.app, `/consultations/topics/${topicId}/comments`, { body: ' ' }, citizen[2]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /error-summary/);
    const ok = await postForm(t.app, `/consultations/topics/${topicId}/comments`, { body: '建议同时考虑错时共享停车。' }, citizen[2]);
    assert.equal(ok.statusCode, 303);
    const page = await get(t.app, `/consultations/topics/${topicId}`);
    assert.match(page.body, /错时共享停车/);
    assert.match(textOf(page), /评论（1 条）/);
    assert.match(page.body, /登录后可以支持和评论/);
  });

  it('staff select a topic into the year’s plan; the plan page and the topic show it; twice is refused', async () => {
    const planFields = { bodyId: String(w.committee), year: String(year), title: `${year}年度政治协商计划`, intro: '经主席会议研究确定。', published: 'on' };
    const planId = await postAndId(t.app, '/admin/consultations/plans', planFields, staff, /plans\/(\d+)/);
    const again = await postForm(t.app, '/admin/consultations/plans', planFields, staff);
    assert.equal(again.statusCode, 409, 'one plan per body and year');
    const select = { planId: String(planId), form: 'thematic', leadBodyId: String(w.specialCommittee), quarter: '2', itemTitle: '' };
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${topicId}/select`, select, citizen[0])).statusCode, 403);
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${topicId}/select`, { ...select, leadBodyId: String(w.department) }, staff)).statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${topicId}/select`, select, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${topicId}/select`, select, staff)).statusCode, 409);
    const plan = textOf(await get(t.app, `/consultations/plans/${year}`));
    assert.match(plan, /老旧小区停车难问题/);
    assert.match(plan, /第二季度/);
    assert.match(plan, /专题协商会/);
    assert.match(plan, /来自议题征集/);
    assert.match(textOf(await get(t.app, `/consultations/topics/${topicId}`)), /已列入计划/);
    assert.match(textOf(await get(t.app, '/consultations/plans')), new RegExp(`${year} 年度协商计划`));
    assert.equal((await get(t.app, `/consultations/plans/${year + 50}`)).statusCode, 404);
    assert.equal((await get(t.app, '/consultations/plans/99999')).statusCode, 404);
  });

  it('staff decline a topic with a public reason, hide one, and it leaves the public list', async () => {
    const noNote = await postForm(t.app, `/admin/consultations/topics/${memberTopicId}/moderate`, { action: 'decline', note: '' }, staff);
    assert.equal(noNote.statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${memberTopicId}/moderate`, { action: 'decline', note: '已纳入民政部门年度工作，不再单独协商。' }, staff)).statusCode, 303);
    assert.match(textOf(await get(t.app, `/consultations/topics/${memberTopicId}`)), /已纳入民政部门年度工作/);
    const spam = await postAndId(t.app, `/consultations/calls/${callId}/topics`, { title: '无关广告内容测试', reason: '这是一条与协商无关的内容，应当被隐藏。' }, citizen[5] as Jar, /topics\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${spam}/moderate`, { action: 'hide', note: '' }, staff)).statusCode, 303);
    assert.equal((await get(t.app, `/consultations/topics/${spam}`)).statusCode, 404);
    assert.doesNotMatch((await get(t.app, `/consultations/calls/${callId}`)).body, /无关广告内容测试/);
    assert.match((await get(t.app, `/admin/consultations/calls/${callId}`, staff)).body, /无关广告内容测试/, 'staff still see it');
  });

  let pendingId = 0;
  it('a proposed topic of an open call shows as open for support', async () => {
    pendingId = await postAndId(t.app, `/consultations/calls/${callId}/topics`, { title: '老旧小区加装电梯', reason: '多层住宅老人上下楼困难，希望推动加装电梯。' }, citizen[3] as Jar, /topics\/(\d+)/);
    assert.match(textOf(await get(t.app, `/consultations/topics/${pendingId}`)), /征集中/);
  });

  it('a closed call takes no more topics, supports or comments', async () => {
    assert.equal((await postForm(t.app, `/admin/consultations/calls/${callId}/close`, {}, staff)).statusCode, 303);
    const late = await postForm(t.app, `/consultations/calls/${callId}/topics`, { title: '截止后的议题', reason: '征集截止以后再提交，应当被拒绝。' }, citizen[4]);
    assert.equal(late.statusCode, 409);
    assert.equal((await postForm(t.app, `/consultations/topics/${topicId}/support`, {}, citizen[4])).statusCode, 409);
    assert.equal((await postForm(t.app, `/consultations/topics/${topicId}/comments`, { body: '截止后的评论' }, citizen[4])).statusCode, 409);
    assert.match(textOf(await get(t.app, `/consultations/calls/${callId}`)), /已截止/);
    assert.equal((await verifyAudit(t.ctx.database.db)).ok, true);
  });

  it('after the call closed, its topics that were neither selected nor declined no longer say 征集中', async () => {
    const tags = (html: string) => [...html.matchAll(/<span class="xs-tag">([^<]*)<\/span>/g)].map((x) => x[1]);
    const call = await get(t.app, `/consultations/calls/${callId}`);
    assert.ok(call.body.includes('老旧小区加装电梯'));
    assert.ok(tags(call.body).includes('征集已截止'), String(tags(call.body)));
    assert.ok(!tags(call.body).includes('征集中'), String(tags(call.body)));
    assert.ok(tags(call.body).includes('已列入计划'), 'a selected topic keeps its status');
    const topic = await get(t.app, `/consultations/topics/${pendingId}`);
    assert.deepEqual(tags(topic.body), ['征集已截止']);
    const en = await get(t.app, `/consultations/calls/${callId}`, undefined, { 'accept-language': 'en' });
    assert.ok(tags(en.body).includes('Call closed'));
    assert.ok(!tags(en.body).includes('Open for support'));
    const topicEn = await get(t.app, `/consultations/topics/${pendingId}`, undefined, { 'accept-language': 'en' });
    assert.deepEqual(tags(topicEn.body), ['Call closed']);
    // Staff pages say the same: the call's topic table and the topic's own page.
    const adminCall = (await get(t.app, `/admin/consultations/calls/${callId}`, staff)).body;
    const row = adminCall.slice(adminCall.indexOf('老旧小区加装电梯'));
    assert.match(row.slice(0, row.indexOf('</tr>')), /征集已截止/);
    assert.doesNotMatch(row.slice(0, row.indexOf('</tr>')), /征集中/);
    assert.ok(tags((await get(t.app, `/admin/consultations/topics/${pendingId}`, staff)).body).includes('征集已截止'));
  });
});
