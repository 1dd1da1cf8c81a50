import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateActionItem } from '../../src/modules/actions/service.js';
import { ACTION_TITLE_MAX, actionTitle } from '../../src/modules/consultations/outcome-publish.js';
import { addWorkingDays } from '../../src/platform/calendar/index.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { userOf } from '../helpers/opinions.js';
import { type ConsultationWorld, dayOffset, jars, makeConsultationWorld, postAndId, textOf } from './world.js';

// A consultation from the editor to its recommendations being done, through the pages.

const LONG_REC = `推行机关单位停车位夜间错时共享\n在试点基础上，${'逐步扩大到全县所有机关、事业单位和国有企业的内部停车场，'.repeat(5)}并由交通运输部门统一发布共享车位信息。`;

describe('consultations: preparation, registration, sign-in, outcome', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let citizen: Jar[];
  let id: number;
  const start = `${dayOffset(30)}T09:30`;
  const year = Number(dayOffset(30).slice(0, 4));
  const db = () => t.ctx.database.db;
  const reg = (i: number) => db().selectFrom('consultation_registrations').selectAll().where('consultation_id', '=', id).where('user_id', '=', w.citizens[i] as number).executeTakeFirst();
  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    citizen = await jars(t.app, t.ctx, w.citizens);
  });
  after(() => t.close());

  const fields = () => ({
    title: '城区停车设施规划建设专题协商会', form: 'thematic', mode: 'hybrid', leadBodyId: String(w.committee), jointBodyIds: [String(w.specialCommittee)],
    year: String(year), startsAt: start, endsAt: `${dayOffset(30)}T11:30`, place: '县政协三楼会议室', onlineUrl: 'https://meeting.example.cn/r/123',
    summary: '围绕城区停车难，邀请住建、交通部门与委员、群众代表面对面协商。', agenda: '一、通报情况\n二、委员和群众代表发言\n三、部门回应',
    isPublic: 'on', registrationOpen: 'on', capacity: '2',
  });

  it('staff create a consultation; bad input is refused with the form kept; others may not', async () => {
    const cases: Array<[Record<string, string | string[]>, RegExp]> = [
      [{ capacity: '' }, /接受报名时请填写名额/],
      [{ endsAt: `${dayOffset(29)}T09:00` }, /结束时间应晚于开始时间/],
      [{ jointBodyIds: ['abc'] }, /联合主办机构无效/],
      [{ jointBodyIds: [String(w.department)] }, /联合主办机构无效/],
      [{ leadBodyId: String(w.department) }, /不能是政府部门/],
      [{ onlineUrl: 'javascript:alert(1)' }, /线上参会链接/],
      [{ form: 'tea_party' }, /协商形式/],
    ];
    for (const [change, message] of cases) {
      const res = await postForm(t.app, '/admin/consultations', { ...fields(), ...change }, staff);
      assert.equal(res.statusCode, 400, JSON.stringify(change));
      assert.match(res.body, message);
      assert.match(res.body, /value="城区停车设施规划建设专题协商会"/);
    }
    assert.equal(Number((await db().selectFrom('consultations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 0);
    assert.equal((await postForm(t.app, '/admin/consultations', fields(), citizen[0])).statusCode, 403);
    assert.equal((await postForm(t.app, '/admin/consultations', { title: '' }, citizen[0])).statusCode, 403, 'refused before its input is even read');
    assert.equal((await postForm(t.app, '/admin/consultations', fields(), await signedInJar(t.app, t.ctx, w.outsider))).statusCode, 403);
    id = await postAndId(t.app, '/admin/consultations', fields(), staff, /consultations\/(\d+)/);
    const c = await db().selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(c.stage, 'preparation');
    assert.equal(c.track, 'standard');
    const bodies = await db().selectFrom('consultation_bodies').select(['body_id', 'role']).where('consultation_id', '=', id).orderBy('role').execute();
    assert.deepEqual(bodies, [{ body_id: w.specialCommittee, role: 'joint' }, { body_id: w.committee, role: 'lead' }]);
    const editor = await get(t.app, `/admin/consultations/${id}`, staff);
    assert.equal(editor.statusCode, 200);
    assert.match(editor.body, /checked/);
    assert.equal((await get(t.app, `/admin/consultations/${id}`, citizen[0])).statusCode, 403);
  });

  it('the public list filters by form, body, year and stage; bad filters are a 400', async () => {
    const has = async (q: string) => (await get(t.app, `/consultations${q}`)).body.includes('城区停车设施规划建设专题协商会');
    assert.equal(await has(''), true);
    assert.equal(await has('?form=thematic'), true);
    assert.equal(await has('?form=community'), false);
    assert.equal(await has(`?body=${w.specialCommittee}`), true, 'a joint holder finds it');
    assert.equal(await has(`?body=${w.council}`), false);
    assert.equal(await has(`?year=${year}`), true);
    assert.equal(await has(`?year=${year - 1}`), false);
    assert.equal(await has('?stage=preparation'), true);
    assert.equal(await has('?stage=outcome'), false);
    for (const q of ['?form=zzz', '?year=abc', '?stage=nope', '?body=-1']) assert.equal((await get(t.app, `/consultations${q}`)).statusCode, 400, q);
  });

  it('the consultation page shows the timeline with what is done and what is next', async () => {
    const page = await get(t.app, `/consultations/${id}`);
    assert.equal(page.statusCode, 200);
    const text = textOf(page);
    assert.match(text, /当前环节：会前准备。 下一步：召开会议。/);
    assert.match(text, /议题征集 未经此环节/);
    assert.match(text, /会前准备 进行中/);
    assert.match(text, /召开会议 下一步/);
    assert.match(text, /成果评价 待开展/);
    assert.match(text, /联合主办：经济委员会/);
    assert.match(text, /已报名 0 人，名额 2 人/);
    assert.match(page.body, /href="\/consultations\/\d+\/registration"/);
    assert.doesNotMatch(page.body, /method="post"/, 'no POST forms on a cached public page');
    const en = textOf(await get(t.app, `/consultations/${id}`, undefined, { 'accept-language': 'en' }));
    assert.match(en, /Now: Preparation\. Next: Meeting\./);
    assert.match(en, /Topic solicitation Not part of this one/);
    assert.match(en, /0 registered of 2 places/);
  });

  it('citizens register up to capacity, then wait; a cancellation promotes the first waiting, who is told', async () => {
    const register = (i: number) => postForm(t.app, `/consultations/${id}/registration`, { note: '' }, citizen[i]);
    assert.equal((await register(0)).headers.location, `/consultations/${id}/registration?done=registered`);
    assert.equal((await register(1)).headers.location, `/consultations/${id}/registration?done=registered`);
    assert.equal((await register(2)).headers.location, `/consultations/${id}/registration?done=waitlisted`);
    assert.equal((await register(3)).headers.location, `/consultations/${id}/registration?done=waitlisted`);
    const again = await register(0);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /你已经报名了/);
    const tooLong = await postForm(t.app, `/consultations/${id}/registration`, { note: '长'.repeat(201) }, citizen[4]);
    assert.equal(tooLong.statusCode, 400);
    assert.equal(await reg(4), undefined);
    const c = await db().selectFrom('consultations').select('seats_taken').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(c.seats_taken, 2, 'never beyond capacity');
    assert.match(textOf(await get(t.app, `/consultations/${id}/registration`, citizen[3])), /候补名单第 2 位/);
    const mine = await get(t.app, `/consultations/${id}/registration`, citizen[0]);
    assert.match(mine.body, new RegExp(`>${(await reg(0))?.checkin_code}<`));

    assert.equal((await postForm(t.app, `/consultations/${id}/registration/cancel`, {}, citizen[1])).statusCode, 303);
    assert.equal((await postForm(t.app, `/consultations/${id}/registration/cancel`, {}, citizen[1])).statusCode, 409);
    const promoted = await reg(2);
    assert.equal(promoted?.status, 'confirmed');
    assert.match(promoted?.checkin_code ?? '', /^\d{6}$/);
    assert.equal((await reg(1))?.checkin_code, null, 'a cancelled registration loses its code');
    const notice = await db().selectFrom('notifications').select(['title', 'body']).where('user_id', '=', w.citizens[2] as number).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(notice.title, '候补转为报名成功');
    assert.ok(notice.body.includes(promoted?.checkin_code ?? 'x'), 'the notice carries the new code');
    assert.match(textOf(await get(t.app, `/consultations/${id}/registration`, citizen[3])), /候补名单第 1 位/);
    const list = await get(t.app, `/admin/consultations/${id}/registrations`, staff);
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(promoted?.checkin_code ?? 'x'), 'organisers see the codes');
    assert.equal((await get(t.app, `/admin/consultations/${id}/registrations`, citizen[0])).statusCode, 403);
    assert.equal((await get(t.app, `/consultations/${id}/registration`)).statusCode, 303, 'anonymous people are sent to sign in');
    const anon = await t.app.inject({ method: 'POST', url: `/api/v1/consultations/${id}/registration`, payload: {} });
    assert.equal(anon.statusCode, 401);
  });

  it('staff sign registrants in by code: once each; wrong, malformed, cancelled and reused codes are refused', async () => {
    const code0 = (await reg(0))?.checkin_code as string;
    const ok = await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: `${code0.slice(0, 3)} ${code0.slice(3)}` }, staff);
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /签到成功：市民/);
    const reused = await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: code0 }, staff);
    assert.equal(reused.statusCode, 409);
    assert.match(reused.body, /该签到码已使用/);
    const used = new Set((await db().selectFrom('consultation_registrations').select('checkin_code').execute()).map((r) => r.checkin_code));
    const wrong = ['000000', '111111', '999999', '123456'].find((c) => !used.has(c)) as string;
    const res = await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: wrong }, staff);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /签到码不正确/);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: '12ab' }, staff)).statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/checkin`, { code: code0 }, citizen[0])).statusCode, 403);
    const api = await t.app.inject({ method: 'POST', url: `/api/v1/consultations/${id}/checkin`, payload: { code: code0 } });
    assert.equal(api.statusCode, 401);
    const events = await db().selectFrom('audit_events').select('action').where('stream_type', '=', 'consultation').where('stream_id', '=', String(id)).where('action', '=', 'checked_in').execute();
    assert.equal(events.length, 1);
    assert.equal((await postForm(t.app, `/consultations/${id}/registration/cancel`, {}, citizen[0])).statusCode, 409, 'no cancelling after signing in');
  });

  it('staff add participants and move the stage forward only; each change is on the audit trail', async () => {
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'member', userId: String(w.member) }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'member', userId: String(w.member) }, staff)).statusCode, 409);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'member', userId: String(w.citizens[0]) }, staff)).statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'department', bodyId: String(w.department), name: '张副局长', role: '副局长' }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'citizen', name: '赵大爷' }, staff)).statusCode, 303);
    const page = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(page, /李委员/);
    assert.match(page, /张副局长/);
    assert.doesNotMatch(page, /赵大爷/, 'citizen representatives are counted, not named');
    const invited = await db().selectFrom('notifications').select('title').where('user_id', '=', w.member).execute();
    assert.ok(invited.some((n) => n.title === '协商活动邀请'));

    const move = (stage: string, jar = staff) => postForm(t.app, `/admin/consultations/${id}/stage`, { stage }, jar);
    assert.equal((await move('meeting', citizen[0] as Jar)).statusCode, 403);
    assert.equal((await move('zzz')).statusCode, 400);
    assert.equal((await move('evaluation')).statusCode, 409, 'evaluation needs the outcome');
    assert.equal((await move('meeting')).statusCode, 303);
    assert.equal((await move('preparation')).statusCode, 409, 'never backwards');
    const late = await postForm(t.app, `/consultations/${id}/registration`, {}, citizen[5]);
    assert.equal(late.statusCode, 409, 'registration closes once the meeting is under way');
    const stages = await db().selectFrom('audit_events').select(['action', 'data']).where('stream_type', '=', 'consultation').where('stream_id', '=', String(id)).where('action', '=', 'stage').execute();
    assert.deepEqual(stages.map((e) => JSON.parse(e.data)), [{ from: 'preparation', to: 'meeting' }]);
  });

  it('staff write the outcome with numbered recommendations; publishing makes action items due in working days', async () => {
    const outcome = {
      report: '## 主要共识\n\n与会各方一致认为应统筹规划停车设施。', minutes: '会议由县政协副主席主持。',
      text_1: '在老旧小区周边新建立体停车场', department_1: String(w.department), days_1: '20',
      text_2: LONG_REC, department_2: String(w.otherDepartment), days_2: '10',
    };
    const bad = await postForm(t.app, `/admin/consultations/${id}/outcome`, { ...outcome, text_3: '缺少责任部门的建议', days_3: '5' }, staff);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /责任部门/);
    assert.match(bad.body, /缺少责任部门的建议/, 'the rows are kept');
    const notDept = await postForm(t.app, `/admin/consultations/${id}/outcome`, { ...outcome, department_2: String(w.council) }, staff);
    assert.equal(notDept.statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/outcome`, outcome, citizen[0])).statusCode, 403);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/outcome`, outcome, staff)).statusCode, 303);
    assert.doesNotMatch((await get(t.app, `/consultations/${id}`)).body, /主要共识/, 'a draft is not public');
    const published = await postForm(t.app, `/admin/consultations/${id}/outcome/publish`, {}, staff);
    assert.equal(published.statusCode, 303);
    const recs = await db().selectFrom('consultation_recommendations').selectAll().where('consultation_id', '=', id).orderBy('number').execute();
    assert.deepEqual(recs.map((r) => r.number), [1, 2]);
    const items = await db().selectFrom('action_items').selectAll().where('source_type', '=', 'recommendation').orderBy('id').execute();
    assert.equal(items.length, 2);
    assert.equal(items[0]?.owner_body_id, w.department);
    assert.equal(items[0]?.due_on, addWorkingDays(new Date(), 20));
    assert.equal(items[1]?.due_on, addWorkingDays(new Date(), 10));
    assert.deepEqual(recs.map((r) => r.action_item_id), items.map((i) => i.id));
    // Each item is titled by its recommendation (one line, at most 100 characters), and says
    // which consultation it comes from; its source stays the recommendation.
    assert.equal(items[0]?.title, '在老旧小区周边新建立体停车场');
    const long = Array.from(items[1]?.title ?? '');
    assert.equal(long.length, ACTION_TITLE_MAX);
    assert.equal(long.at(-1), '…');
    assert.ok(items[1]?.title.startsWith('推行机关单位停车位夜间错时共享 在试点基础上'), items[1]?.title);
    assert.ok(!/\n/.test(items[1]?.title ?? ''));
    assert.equal(items[1]?.instructions.split('\n\n')[0], LONG_REC);
    const title = (await db().selectFrom('consultations').select('title').where('id', '=', id).executeTakeFirstOrThrow()).title;
    assert.ok(items[0]?.instructions.endsWith(`来源：协商“${title}”的成果报告，建议1（/consultations/${id}#rec-1）`), items[0]?.instructions);
    assert.deepEqual(items.map((i) => [i.source_type, i.source_id]), recs.map((r) => ['recommendation', r.id]));
    const deptNotes = await db().selectFrom('notifications').select('body').where('user_id', '=', w.deptHandler).execute();
    assert.ok(deptNotes.some((n) => n.body.includes('在老旧小区周边新建立体停车场')), 'the department is told of the recommendation');
    assert.equal((await db().selectFrom('consultations').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage, 'outcome');
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/outcome/publish`, {}, staff)).statusCode, 409);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/outcome`, outcome, staff)).statusCode, 409, 'a published outcome is frozen');
    const deptNotice = await db().selectFrom('notifications').select('title').where('user_id', '=', w.deptHandler).execute();
    assert.ok(deptNotice.length >= 1, 'the department hears of its item');
    const page = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(page, /主要共识/);
    assert.match(page, /建议1\. 在老旧小区周边新建立体停车场/);
    assert.match(page, /办理中/);
    assert.match(page, /当前环节：形成成果/);
    const found = await get(t.app, `/search?q=${encodeURIComponent('立体停车场')}`);
    assert.ok(found.body.includes(`href="/consultations/${id}"`), 'site search finds the published recommendations');
  });

  it('the department’s answers and completion show on the consultation page and its audit trail', async () => {
    const items = await db().selectFrom('action_items').select(['id', 'source_id']).where('source_type', '=', 'recommendation').orderBy('id').execute();
    const dept = await userOf(t.ctx, w.deptHandler);
    const first = items[0]?.id as number;
    await assert.rejects(updateActionItem(t.ctx, await userOf(t.ctx, w.staff), first, 'answer', { text: '不是本部门' }), { code: 'forbidden' });
    await updateActionItem(t.ctx, dept, first, 'progress', { text: '已完成选址踏勘，正在编制方案。' });
    await updateActionItem(t.ctx, dept, first, 'answer', { text: '立体停车场已开工，预计年底投用，新增车位 300 个。', done: 'on' });
    const page = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(page, /立体停车场已开工/);
    assert.match(page, /已办结/);
    assert.match(page, /办理记录（2 条）/);
    const actions = (await db().selectFrom('audit_events').select('action').where('stream_type', '=', 'consultation').where('stream_id', '=', String(id)).orderBy('id').execute()).map((e) => e.action);
    assert.ok(actions.includes('recommendation_progress') && actions.includes('recommendation_answer') && actions.includes('recommendation_done'), actions.join(','));
    const redirect = await get(t.app, `/consultations/recommendations/${items[0]?.source_id}`);
    assert.equal(redirect.statusCode, 303);
    assert.equal(redirect.headers.location, `/consultations/${id}#rec-1`);
    const api = JSON.parse((await get(t.app, `/api/v1/consultations/${id}`)).body);
    assert.equal(api.recommendations[0].status, 'done');
    assert.equal(api.recommendations[1].status, 'open');
    assert.equal(api.timeline.find((s: { step: string }) => s.step === 'outcome').state, 'current');
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'evaluation' }, staff)).statusCode, 303, 'evaluation once the outcome is out');
    assert.equal((await verifyAudit(db())).ok, true);
  });

  it('an action item title is the recommendation on one line, cut at the limit with an ellipsis', () => {
    const exact = '议'.repeat(ACTION_TITLE_MAX);
    assert.equal(actionTitle(exact), exact, 'exactly at the limit: kept whole');
    assert.equal(actionTitle(`  ${exact}\n`), exact);
    assert.equal(actionTitle(`${exact}多`), `${'议'.repeat(ACTION_TITLE_MAX - 1)}…`);
    const emoji = `${'😀'.repeat(ACTION_TITLE_MAX)}x`;
    assert.equal(actionTitle(emoji), `${'😀'.repeat(ACTION_TITLE_MAX - 1)}…`, 'characters, not UTF-16 units, and never half a pair');
    assert.equal(actionTitle('第一行\n\n  第二行\t末尾'), '第一行 第二行 末尾');
  });

  it('concurrent registrations never exceed capacity and keep the waiting list in order', async () => {
    const cid = await postAndId(t.app, '/admin/consultations', { ...fields(), title: '社区养老服务协商会', capacity: '3', jointBodyIds: [] }, staff, /consultations\/(\d+)/);
    const { register } = await import('../../src/modules/consultations/registration-service.js');
    const users = await Promise.all(w.citizens.map((u) => userOf(t.ctx, u)));
    const results = await Promise.all(users.map((u) => register(t.ctx, u, cid, {})));
    assert.equal(results.filter((r) => r.status === 'confirmed').length, 3);
    assert.deepEqual(results.filter((r) => r.status === 'waitlisted').map((r) => r.position).sort(), [1, 2, 3]);
    const c = await db().selectFrom('consultations').select('seats_taken').where('id', '=', cid).executeTakeFirstOrThrow();
    assert.equal(c.seats_taken, 3);
    const codes = results.map((r) => r.code).filter(Boolean);
    assert.equal(new Set(codes).size, 3, 'codes are distinct');
  });
});
