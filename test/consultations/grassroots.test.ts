import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../src/modules/admin/tokens/service.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { updateActionItem } from '../../src/modules/actions/service.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { userOf } from '../helpers/opinions.js';
import { makeGrassrootsWorld } from './grassroots-world.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { dayOffset, postAndId, textOf } from './world.js';

// Grassroots linkage through the pages: a community council under a township liaison group
// under the committee escalates upward (only upward, only its own), the receivers answer;
// members assigned as liaisons see and join their communities' consultations and are told
// of them; the council publishes its decision and result notices.

describe('consultations: grassroots linkage', () => {
  let t: TestApp;
  const db = () => t.ctx.database.db;
  let committee: number; let group: number; let council: number; let otherCouncil: number; let department: number; let township: number;
  let staff: number; let groupStaff: number; let facilitator: number; let otherFacilitator: number; let member: number; let otherMember: number; let citizen: number;
  type Who = 'staff' | 'groupStaff' | 'facilitator' | 'otherFacilitator' | 'member' | 'otherMember' | 'citizen';
  const jar = {} as Record<Who, Jar>;
  let consultation: number;
  const count = async (table: 'escalations' | 'member_liaisons' | 'consultation_notices') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const noticesOf = async (userId: number) => (await db().selectFrom('notifications').select(['title', 'body', 'link']).where('user_id', '=', userId).orderBy('id').execute());

  before(async () => {
    t = await createTestApp();
    ({ committee, group, council, otherCouncil, department, township, staff, groupStaff, facilitator, otherFacilitator, member, otherMember, citizen } = await makeGrassrootsWorld(t.ctx));
    for (const [k, id] of Object.entries({ staff, groupStaff, facilitator, otherFacilitator, member, otherMember, citizen })) jar[k as Who] = await signedInJar(t.app, t.ctx, id);
  });
  after(() => t.close());

  it('committee staff assign a member as liaison of a township; bad input is a 400 and stores nothing; others may not', async () => {
    const fields = { userId: String(member), regionId: String(township), startsOn: dayOffset(-30) };
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ regionId: '' }, /请选择社区议事会或区划/],
      [{ userId: String(citizen) }, /请选择一位政协委员/],
      [{ bodyId: String(group) }, /请选择社区议事会/],
      [{ endsOn: dayOffset(-40) }, /结束日期不能早于开始日期/],
      [{ startsOn: '2026-02-30' }, /开始日期/],
    ];
    for (const [change, message] of bad) {
      const res = await postForm(t.app, '/admin/consultations/liaisons', { ...fields, ...change }, jar.staff);
      assert.equal(res.statusCode, 400, JSON.stringify(change));
      assert.match(textOf(res), message);
    }
    assert.equal((await postForm(t.app, '/admin/consultations/liaisons', fields, jar.facilitator)).statusCode, 403);
    assert.equal((await postForm(t.app, '/admin/consultations/liaisons', fields, jar.member)).statusCode, 403);
    assert.equal((await get(t.app, '/admin/consultations/liaisons', jar.facilitator)).statusCode, 403);
    assert.equal(await count('member_liaisons'), 0);
    const res = await postForm(t.app, '/admin/consultations/liaisons', fields, jar.staff);
    assert.equal(res.statusCode, 303);
    assert.equal((await postForm(t.app, '/admin/consultations/liaisons', fields, jar.staff)).statusCode, 409, 'the same assignment twice');
    assert.equal(await count('member_liaisons'), 1);
    const page = await get(t.app, '/admin/consultations/liaisons', jar.staff);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page), /张委员 东城街道/);
    assert.ok((await noticesOf(member)).some((n) => n.title === '你被安排为委员联系点'));
  });

  it('a member who is no liaison, a citizen and visitors cannot see the liaison page', async () => {
    assert.match((await get(t.app, '/account', jar.member)).body, /href="\/my\/liaison"/, 'members find it from their account');
    assert.doesNotMatch((await get(t.app, '/account', jar.citizen)).body, /href="\/my\/liaison"/);
    assert.equal((await get(t.app, '/my/liaison', jar.otherMember)).statusCode, 403);
    assert.equal((await get(t.app, '/my/liaison', jar.citizen)).statusCode, 403);
    assert.equal((await get(t.app, '/my/liaison/escalations', jar.otherMember)).statusCode, 403);
    const anon = await get(t.app, '/my/liaison');
    assert.equal(anon.statusCode, 303);
    assert.match(anon.headers.location ?? '', /^\/sign-in/);
  });

  it('the council creates a community consultation; its liaison is told and can join it once', async () => {
    consultation = await postAndId(t.app, '/admin/consultations', {
      title: '东门社区加装电梯议事协商', form: 'community', mode: 'in_person', leadBodyId: String(council), summary: '老旧小区加装电梯的费用分摊。', isPublic: 'on',
    }, jar.facilitator, /consultations\/(\d+)/);
    assert.ok((await noticesOf(member)).some((n) => n.title === '联系社区有新的协商活动' && n.body.includes('加装电梯')));
    assert.ok(!(await noticesOf(otherMember)).some((n) => n.title === '联系社区有新的协商活动'));
    const page = await get(t.app, '/my/liaison', jar.member);
    assert.equal(page.statusCode, 200);
    assert.match(textOf(page), /东门社区加装电梯议事协商/);
    assert.equal((await postForm(t.app, `/my/liaison/consultations/${consultation}/join`, {}, jar.otherMember)).statusCode, 403);
    assert.equal((await postForm(t.app, `/my/liaison/consultations/${consultation}/join`, {}, jar.member)).statusCode, 303);
    assert.equal((await postForm(t.app, `/my/liaison/consultations/${consultation}/join`, {}, jar.member)).statusCode, 409);
    const joined = await db().selectFrom('consultation_participants').selectAll().where('consultation_id', '=', consultation).execute();
    assert.deepEqual(joined.map((p) => [p.kind, p.user_id]), [['member', member]]);
    assert.ok((await noticesOf(facilitator)).some((n) => n.title === '联系委员参加协商'));
    assert.match(textOf(await get(t.app, '/my/liaison', jar.member)), /你已参加/);
    const other = await postAndId(t.app, '/admin/consultations', { title: '西山村道路硬化协商', form: 'community', mode: 'in_person', leadBodyId: String(otherCouncil) }, jar.otherFacilitator, /consultations\/(\d+)/);
    assert.equal((await postForm(t.app, `/my/liaison/consultations/${other}/join`, {}, jar.member)).statusCode, 403, 'not one of the liaison\'s communities');
  });

  it('a council escalates only upward and only for itself; bad input is a 400 and nothing is stored', async () => {
    const fields = { fromBodyId: String(council), toBodyId: String(group), consultationId: String(consultation), title: '加装电梯费用分摊难以议定', description: '议事会三次协商未能就低层住户补偿达成一致，需要街道协调住建部门给出政策口径。' };
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ toBodyId: String(otherCouncil) }, /只能提请给本机构的上级机构/],
      [{ toBodyId: String(council) }, /只能提请给本机构的上级机构/],
      [{ toBodyId: String(department) }, /只能提请给本机构的上级机构/],
      [{ title: '' }, /请填写事项名称/],
      [{ description: '太短' }, /情况说明/],
      [{ consultationId: '99999' }, /只能关联本议事会的协商活动/],
      [{ toBodyId: 'x' }, /提请给/],
    ];
    for (const [change, message] of bad) {
      const res = await postForm(t.app, '/admin/consultations/escalations', { ...fields, ...change }, jar.facilitator);
      assert.equal(res.statusCode, 400, JSON.stringify(change));
      assert.match(textOf(res), message);
      if (!('title' in change)) assert.match(res.body, /value="加装电梯费用分摊难以议定"/, 'the form comes back with what was typed');
    }
    assert.equal((await postForm(t.app, '/admin/consultations/escalations', { ...fields, fromBodyId: String(otherCouncil) }, jar.facilitator)).statusCode, 403, 'another council');
    assert.equal((await postForm(t.app, '/admin/consultations/escalations', { ...fields, fromBodyId: String(council) }, jar.otherFacilitator)).statusCode, 403);
    assert.equal((await postForm(t.app, '/admin/consultations/escalations', fields, jar.staff)).statusCode, 403, 'committee staff do not speak for the council');
    assert.equal((await postForm(t.app, '/admin/consultations/escalations', fields, jar.citizen)).statusCode, 403);
    assert.equal(await count('escalations'), 0);
    const form = await get(t.app, `/admin/consultations/escalations/new?from=${council}&consultation=${consultation}`, jar.facilitator);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`<option value="${group}"`));
    assert.match(form.body, new RegExp(`<option value="${committee}"`));
    assert.doesNotMatch(form.body, new RegExp(`<option value="${otherCouncil}"`));
    const id = await postAndId(t.app, '/admin/consultations/escalations', fields, jar.facilitator, /escalations\/(\d+)/);
    const row = await db().selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.from_body_id, row.to_body_id, row.consultation_id, row.status], [council, group, consultation, 'sent']);
    assert.ok((await noticesOf(groupStaff)).some((n) => n.title === '有新的提请协商事项' && n.body.includes('东门社区议事会')));
    assert.ok((await noticesOf(member)).some((n) => n.title === '联系社区提请了协商事项'));
    // The receiver's inbox shows where it came from: council, region, consultation.
    const inboxPage = await get(t.app, '/admin/consultations/escalations/inbox', jar.groupStaff);
    assert.equal(inboxPage.statusCode, 200);
    assert.match(textOf(inboxPage), /加装电梯费用分摊难以议定 东门社区议事会 东门社区/);
    const detail = await get(t.app, `/admin/consultations/escalations/${id}`, jar.groupStaff);
    assert.match(textOf(detail), /来自社区协商 东门社区加装电梯议事协商/);
    assert.match(detail.body, /name="action"/);
    assert.equal((await get(t.app, `/admin/consultations/escalations/${id}`, jar.otherFacilitator)).statusCode, 403);
    assert.match(textOf(await get(t.app, '/admin/consultations/escalations/sent', jar.facilitator)), /加装电梯费用分摊难以议定 东城街道政协联络组/);
    // Public on the consultation's page, since the consultation is public.
    assert.match(textOf(await get(t.app, `/consultations/${consultation}`)), /向上级提请的事项 加装电梯费用分摊难以议定 提请东城街道政协联络组 · 待处理/);
  });

  it('the receiver answers: the council may not; decline needs a reason; accept records what it became', async () => {
    const [first] = await db().selectFrom('escalations').select('id').execute();
    const id = first?.id as number;
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'answer', response: '自己答复自己' }, jar.facilitator)).statusCode, 403);
    const noReason = await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'decline', response: '' }, jar.groupStaff);
    assert.equal(noReason.statusCode, 400);
    assert.match(textOf(noReason), /不予受理或直接答复时请填写答复内容/);
    const noCall = await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'accept', result: 'new_topic' }, jar.groupStaff);
    assert.equal(noCall.statusCode, 400);
    assert.match(textOf(noCall), /请选择一个正在征集中的议题征集/);
    const foreign = await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'accept', result: 'consultation', resultId: String(consultation + 1) }, jar.groupStaff);
    assert.equal(foreign.statusCode, 400, 'a consultation of another council cannot be linked');
    assert.equal((await db().selectFrom('escalations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'sent');
    // Accept into a new consultation of the liaison group (a draft it completes).
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'accept', result: 'new_consultation', form: 'thematic', response: '街道将组织专题协商。' }, jar.groupStaff)).statusCode, 303);
    const done = await db().selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(done.status, 'accepted');
    assert.equal(done.result_type, 'consultation');
    const made = await db().selectFrom('consultations').selectAll().where('id', '=', done.result_id as number).executeTakeFirstOrThrow();
    assert.deepEqual([made.lead_body_id, made.is_public, made.title], [group, 0, '加装电梯费用分摊难以议定']);
    assert.ok((await noticesOf(facilitator)).some((n) => n.title === '提请事项有了答复' && n.body.includes('已受理')));
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'decline', response: '改主意了' }, jar.groupStaff)).statusCode, 409);
    const sentPage = textOf(await get(t.app, `/admin/consultations/escalations/${id}`, jar.facilitator));
    assert.match(sentPage, /已转化为协商活动：加装电梯费用分摊难以议定/);
    assert.match(sentPage, /街道将组织专题协商/);

    // To the committee: accepted as a topic in its open call.
    const call = (await db().insertInto('topic_calls').values({
      body_id: committee, title: '2027年度协商议题征集', description: '征集', opens_on: dayOffset(-1), closes_on: dayOffset(20), plan_year: null, published: 1,
      closed_at: null, created_by: staff, created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow()).id;
    const second = await postAndId(t.app, '/admin/consultations/escalations', {
      fromBodyId: String(council), toBodyId: String(committee), title: '社区养老服务站运营经费', description: '养老服务站运营经费缺口较大，社区无力解决，建议县政协协商。',
    }, jar.facilitator, /escalations\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${second}/respond`, { action: 'accept', result: 'new_topic', callId: String(call) }, jar.groupStaff)).statusCode, 403, 'the liaison group is not the receiver');
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${second}/respond`, { action: 'accept', result: 'new_topic', callId: String(call) }, jar.staff)).statusCode, 303);
    const topic = await db().selectFrom('consultation_topics').selectAll().where('call_id', '=', call).executeTakeFirstOrThrow();
    assert.deepEqual([topic.proposer_kind, topic.title, topic.body_id], ['council', '社区养老服务站运营经费', committee]);
    assert.equal((await db().selectFrom('escalations').select('result_id').where('id', '=', second).executeTakeFirstOrThrow()).result_id, topic.id);

    // A third one answered directly.
    const third = await postAndId(t.app, '/admin/consultations/escalations', {
      fromBodyId: String(council), toBodyId: String(group), title: '垃圾分类亭选址', description: '居民对垃圾分类亭选址意见不一，请联络组给出意见。',
    }, jar.facilitator, /escalations\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${third}/respond`, { action: 'answer', response: '按街道统一规划，选址在东门北侧空地。', result: 'topic', resultId: String(topic.id) }, jar.groupStaff)).statusCode, 400, 'a result only on acceptance');
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${third}/respond`, { action: 'answer', response: '按街道统一规划，选址在东门北侧空地。' }, jar.groupStaff)).statusCode, 303);
    assert.equal((await db().selectFrom('escalations').select('status').where('id', '=', third).executeTakeFirstOrThrow()).status, 'resolved');
    const sent = textOf(await get(t.app, '/admin/consultations/escalations/sent', jar.facilitator));
    assert.match(sent, /社区养老服务站运营经费 青山县政协 \S+ 已受理 社区养老服务站运营经费/);
    assert.match(textOf(await get(t.app, '/my/liaison/escalations', jar.member)), /垃圾分类亭选址/);
    const events = await db().selectFrom('audit_events').select('action').where('stream_type', '=', 'escalation').where('stream_id', '=', String(second)).orderBy('id').execute();
    assert.deepEqual(events.map((e) => e.action), ['created', 'accepted']);
  });

  it('an accepted matter gets its result later: a department\'s action item, whose completion settles it', async () => {
    const handler = await makeUser(t.ctx, { name: '住建局办理员', roles: [{ bodyId: department, role: 'department_handler' }] });
    const id = await postAndId(t.app, '/admin/consultations/escalations', {
      fromBodyId: String(council), toBodyId: String(group), title: '楼道照明维修', description: '老旧楼道照明长期损坏，产权不清，社区无法协调维修。',
    }, jar.facilitator, /escalations\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'accept', result: 'none' }, jar.groupStaff)).statusCode, 303);
    assert.equal((await db().selectFrom('escalations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'accepted');
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'decline', response: '不办了' }, jar.groupStaff)).statusCode, 409, 'accepted stays accepted');
    const noDays = await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'accept', result: 'new_action_item', departmentId: String(department) }, jar.groupStaff);
    assert.equal(noDays.statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/escalations/${id}/respond`, { action: 'accept', result: 'new_action_item', departmentId: String(department), dueDays: '15' }, jar.groupStaff)).statusCode, 303);
    const e = await db().selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(e.result_type, 'action_item');
    const item = await db().selectFrom('action_items').selectAll().where('id', '=', e.result_id as number).executeTakeFirstOrThrow();
    assert.deepEqual([item.source_type, item.source_id, item.owner_body_id, item.assigned_by_body_id], ['escalation', id, department, group]);
    assert.ok((await noticesOf(handler)).length > 0, 'the department is told');
    const handlerJar = await signedInJar(t.app, t.ctx, handler);
    assert.match(textOf(await get(t.app, `/admin/consultations/escalations/${id}`, handlerJar)), /楼道照明维修/, 'the department sees where its item came from');
    assert.doesNotMatch((await get(t.app, `/admin/consultations/escalations/${id}`, handlerJar)).body, /name="action"/);
    await updateActionItem(t.ctx, await userOf(t.ctx, handler), item.id, 'done', { text: '已完成楼道照明维修，共更换灯具 24 盏。' });
    assert.equal((await db().selectFrom('escalations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'resolved');
    assert.ok((await noticesOf(facilitator)).some((n) => n.title === '提请事项的督办有新进展' && n.body.includes('已办结')));
  });

  it('community notices: the notice stages need their notice; publishing moves the stage; the public sees them', async () => {
    const stage = () => db().selectFrom('consultations').select('stage').where('id', '=', consultation).executeTakeFirstOrThrow().then((r) => r.stage);
    const early = await postForm(t.app, `/admin/consultations/${consultation}/notices`, { kind: 'decision', body: '经议事会协商决定：加装电梯。', noticeUntil: dayOffset(7) }, jar.facilitator);
    assert.equal(early.statusCode, 409);
    assert.match(textOf(early), /形成决定后才能发布决定公示/);
    assert.equal((await postForm(t.app, `/admin/consultations/${consultation}/stage`, { stage: 'decision' }, jar.facilitator)).statusCode, 303);
    assert.match((await get(t.app, `/admin/consultations/${consultation}`, jar.facilitator)).body, new RegExp(`href="/admin/consultations/${consultation}/notices"`));
    const skip = await postForm(t.app, `/admin/consultations/${consultation}/stage`, { stage: 'decision_notice' }, jar.facilitator);
    assert.equal(skip.statusCode, 409);
    assert.match(textOf(skip), /请先发布决定公示/);
    assert.equal(await stage(), 'decision');
    const before = (await noticesOf(member)).length;
    const bad: Array<[Record<string, string>, RegExp]> = [[{ noticeUntil: dayOffset(-1) }, /公示截止日期不能早于今天/], [{ body: '' }, /请填写公示内容/], [{ kind: 'rumour' }, /公示类别/]];
    for (const [change, message] of bad) {
      const res = await postForm(t.app, `/admin/consultations/${consultation}/notices`, { kind: 'decision', body: '经议事会协商决定：**加装电梯**，费用按楼层分摊。', noticeUntil: dayOffset(7), ...change }, jar.facilitator);
      assert.equal(res.statusCode, 400, JSON.stringify(change));
      assert.match(textOf(res), message);
    }
    assert.equal((await postForm(t.app, `/admin/consultations/${consultation}/notices`, { kind: 'result', body: '电梯已完工并投入使用。', noticeUntil: dayOffset(7) }, jar.facilitator)).statusCode, 409, 'the result after the decision');
    assert.equal((await postForm(t.app, `/admin/consultations/${consultation}/notices`, { kind: 'decision', body: '经议事会协商决定：加装电梯。', noticeUntil: dayOffset(7) }, jar.otherFacilitator)).statusCode, 403);
    assert.equal(await count('consultation_notices'), 0);
    assert.equal((await postForm(t.app, `/admin/consultations/${consultation}/notices`, { kind: 'decision', body: '经议事会协商决定：**加装电梯**，费用按楼层分摊。', noticeUntil: dayOffset(7) }, jar.facilitator)).statusCode, 303);
    assert.equal(await stage(), 'decision_notice');
    assert.ok((await noticesOf(member)).slice(before).some((n) => n.title === '联系社区的协商有进展' && n.body.includes('决定公示')));
    const pub = await get(t.app, `/consultations/${consultation}/notices`);
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /<strong>加装电梯<\/strong>/);
    assert.match(textOf(pub), new RegExp(`公示期至 ${dayOffset(7)}`));
    assert.match((await get(t.app, `/consultations/${consultation}`)).body, /<strong>加装电梯<\/strong>/);
    assert.match(textOf(await get(t.app, `/consultations/notices?region=${township}`)), /决定公示：东门社区加装电梯议事协商/);
    assert.match(textOf(await get(t.app, `/consultations/notices?body=${council}`)), /决定公示：东门社区加装电梯议事协商/);
    assert.doesNotMatch(textOf(await get(t.app, `/consultations/notices?body=${otherCouncil}`)), /东门社区加装电梯议事协商/);
    assert.equal((await get(t.app, '/consultations/notices?body=abc')).statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/${consultation}/notices`, { kind: 'result', body: '电梯已完工并投入使用。', noticeUntil: dayOffset(10) }, jar.facilitator)).statusCode, 303);
    assert.equal(await stage(), 'result_notice');
    // The committee's track has no notices.
    const standard = await postAndId(t.app, '/admin/consultations', { title: '县城停车专题协商会', form: 'thematic', mode: 'in_person', leadBodyId: String(committee) }, jar.staff, /consultations\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/${standard}/notices`, { kind: 'decision', body: '决定如下，请周知。', noticeUntil: dayOffset(3) }, jar.staff)).statusCode, 409);
  });

  it('the API: escalate and answer with bearer tokens, notices and liaison data; bad input is a 400 with nothing stored', async () => {
    const token = async (userId: number) => ({ authorization: `Bearer ${(await createApiToken(db(), { userId, name: 'app', createdBy: null })).token}` });
    const councilAuth = await token(facilitator);
    const before = await count('escalations');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/escalations', headers: councilAuth, payload: { fromBodyId: council, toBodyId: otherCouncil, title: '停车位划线', description: '小区停车位划线方案需要街道确认。' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).error.code, 'validation_failed');
    assert.equal(await count('escalations'), before);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/escalations', payload: {} })).statusCode, 401);
    const committeeTopic = (await db().selectFrom('consultation_topics').select('id').where('body_id', '=', committee).executeTakeFirstOrThrow()).id;
    const foreignTopic = await t.app.inject({ method: 'POST', url: '/api/v1/escalations', headers: councilAuth, payload: { fromBodyId: council, toBodyId: group, topicId: committeeTopic, title: '停车位划线', description: '小区停车位划线方案需要街道确认。' } });
    assert.equal(foreignTopic.statusCode, 400, 'a topic the council did not collect');
    assert.equal(await count('escalations'), before);
    const now = new Date().toISOString();
    const ownCall = (await db().insertInto('topic_calls').values({ body_id: council, title: '东门社区议题征集', description: '征集', opens_on: dayOffset(-5), closes_on: dayOffset(5), plan_year: null, published: 1, closed_at: null, created_by: facilitator, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    const ownTopic = (await db().insertInto('consultation_topics').values({ call_id: ownCall, body_id: council, title: '小区停车位划线', reason: '停车位不足，乱停乱放。', proposer_id: citizen, proposer_kind: 'citizen', status: 'proposed', staff_note: null, content_hash: 'x1', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/escalations', headers: councilAuth, payload: { fromBodyId: council, toBodyId: group, topicId: ownTopic, title: '停车位划线', description: '小区停车位划线方案需要街道确认。' } });
    assert.equal(made.statusCode, 201);
    const id = JSON.parse(made.body).id as number;
    assert.equal((await db().selectFrom('escalations').select('topic_id').where('id', '=', id).executeTakeFirstOrThrow()).topic_id, ownTopic);
    assert.match(textOf(await get(t.app, `/admin/consultations/escalations/${id}`, jar.groupStaff)), /来自议题 小区停车位划线/);
    const sentList = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/escalations?box=sent', headers: councilAuth })).body);
    assert.ok(sentList.items.some((e: { id: number }) => e.id === id));
    const receiver = await token(groupStaff);
    const inboxList = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/escalations?status=sent', headers: receiver })).body);
    assert.deepEqual(inboxList.items.map((e: { id: number }) => e.id), [id]);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/escalations/${id}/response`, headers: councilAuth, payload: { action: 'answer', response: '自己答复' } })).statusCode, 403);
    const answered = await t.app.inject({ method: 'POST', url: `/api/v1/escalations/${id}/response`, headers: receiver, payload: { action: 'decline', response: '属于物业职责，请议事会督促物业。' } });
    assert.equal(answered.statusCode, 200);
    assert.equal(JSON.parse(answered.body).status, 'declined');
    assert.equal(JSON.parse((await t.app.inject({ method: 'GET', url: `/api/v1/escalations/${id}`, headers: councilAuth })).body).response, '属于物业职责，请议事会督促物业。');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/escalations/${id}`, headers: await token(otherFacilitator) })).statusCode, 403);
    const notices = JSON.parse((await t.app.inject({ method: 'GET', url: `/api/v1/consultations/${consultation}/notices` })).body);
    assert.deepEqual(notices.notices.map((n: { kind: string }) => n.kind), ['result', 'decision']);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/consultation-notices?region=-1' })).statusCode, 400);
    const mine = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/me/liaison', headers: await token(member) })).body);
    assert.deepEqual(mine.council_ids, [council]);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me/liaison', headers: await token(otherMember) })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/member-liaisons', headers: await token(member) })).statusCode, 403);
    assert.equal(JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/member-liaisons', headers: await token(staff) })).body).total, 1);
  });

  it('a liaison assignment ends; the audit chain still verifies', async () => {
    const row = await db().selectFrom('member_liaisons').select('id').executeTakeFirstOrThrow();
    assert.equal((await postForm(t.app, `/admin/consultations/liaisons/${row.id}/end`, {}, jar.facilitator)).statusCode, 403);
    assert.equal((await postForm(t.app, `/admin/consultations/liaisons/${row.id}/end`, { endsOn: dayOffset(-60) }, jar.staff)).statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/liaisons/${row.id}/end`, {}, jar.staff)).statusCode, 303);
    assert.equal((await db().selectFrom('member_liaisons').select('ends_on').where('id', '=', row.id).executeTakeFirstOrThrow()).ends_on, dayOffset(0));
    assert.equal((await get(t.app, '/admin/consultations/grassroots', jar.facilitator)).statusCode, 200);
    assert.equal((await get(t.app, '/admin/consultations/grassroots', jar.citizen)).statusCode, 403);
    const audit = await verifyAudit(db());
    assert.equal(audit.ok, true);
  });
});
