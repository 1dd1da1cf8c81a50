import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateActionItem } from '../../src/modules/actions/service.js';
import { eraseConsultationContributions } from '../../src/modules/consultations/hooks.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { Jar, csrfToken, get, postForm } from '../helpers/http.js';
import { userOf } from '../helpers/opinions.js';
import { consultationWithOutcome, publishOutcome, writeAndPublish } from './outcome-helpers.js';
import { type ConsultationWorld, makeConsultationWorld, textOf } from './world.js';

// Participants' evaluation over HTTP: who may and who may not, one evaluation per person
// (a second submission changes it), bad values refused with nothing stored, recommendations
// rated only once answered and never by their own department, public counts without names
// or comments, closed with the consultation.

describe('consultations: participants’ evaluation', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let citizen: Jar[];
  let member: Jar;
  let dept: Jar;
  let id = 0;
  let otherHandler = 0;
  const db = () => t.ctx.database.db;
  const url = () => `/consultations/${id}/evaluation`;
  const evaluate = (jar: Jar, fields: Record<string, string>) => postForm(t.app, url(), fields, jar);
  const mine = (userId: number) => db().selectFrom('consultation_evaluations').selectAll().where('consultation_id', '=', id).where('user_id', '=', userId).execute();
  const recRatings = (userId: number) => db().selectFrom('recommendation_evaluations').innerJoin('consultation_recommendations', 'consultation_recommendations.id', 'recommendation_evaluations.recommendation_id')
    .select(['number', 'rating', 'comment']).where('consultation_id', '=', id).where('user_id', '=', userId).orderBy('number').execute();
  const count = async (table: 'consultation_evaluations' | 'recommendation_evaluations') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const item = async (n: number) => (await db().selectFrom('consultation_recommendations').select('action_item_id').where('consultation_id', '=', id).where('number', '=', n).executeTakeFirstOrThrow()).action_item_id as number;

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    citizen = await Promise.all(w.citizens.map((u) => signedInJar(t.app, t.ctx, u)));
    member = await signedInJar(t.app, t.ctx, w.otherMember);
    dept = await signedInJar(t.app, t.ctx, w.deptHandler);
    otherHandler = await makeUser(t.ctx, { name: '住建局办理员', roles: [{ bodyId: w.otherDepartment, role: 'department_handler' }] });
    id = await consultationWithOutcome(t.app, w, staff, { title: '城区停车设施规划建设专题协商会' });
    for (const i of [0, 1, 2]) assert.equal((await postForm(t.app, `/consultations/${id}/registration`, {}, citizen[i])).statusCode, 303);
    assert.equal((await postForm(t.app, `/consultations/${id}/registration/cancel`, {}, citizen[2])).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'member', userId: String(w.member) }, staff)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'department', bodyId: String(w.department), name: '张副局长' }, staff)).statusCode, 303);
    await writeAndPublish(t.app, w, staff, id, false);
  });
  after(() => t.close());

  it('nothing can be evaluated before the outcome is published', async () => {
    const res = await evaluate(citizen[0] as Jar, { overall: '3' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /成果发布后才能评价/);
    assert.match((await get(t.app, url(), citizen[0])).body, /成果发布后才能评价/);
    assert.equal(await count('consultation_evaluations'), 0);
    await publishOutcome(t.app, staff, id);
  });

  it('those who took part may evaluate; others may not', async () => {
    const anon = await get(t.app, url());
    assert.equal(anon.statusCode, 303);
    assert.match(anon.headers.location as string, /^\/sign-in\?next=/);
    assert.equal((await evaluate(new Jar(), { overall: '3' })).statusCode, 401);
    for (const [who, jar] of [
      ['never registered', citizen[3]], ['cancelled registration', citizen[2]], ['staff of the committee', staff],
      ['staff of another body', await signedInJar(t.app, t.ctx, w.outsider)], ['another department', await signedInJar(t.app, t.ctx, otherHandler)],
    ] as const) {
      const res = await evaluate(jar as Jar, { overall: '3' });
      assert.equal(res.statusCode, 403, who);
      assert.match(res.body, /只有参加协商的/, who);
    }
    assert.equal(await count('consultation_evaluations'), 0);
    const page = await get(t.app, url(), citizen[3]);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /name="overall"/, 'no form for those who may not');

    const form = await get(t.app, url(), citizen[0]);
    assert.match(form.body, /name="overall"/);
    assert.equal((await evaluate(citizen[0] as Jar, { overall: '3', process: '2', outcome: '', comment: '秘密意见：会场太小' })).statusCode, 303);
    assert.equal((await evaluate(member, { overall: '2' })).statusCode, 303, 'a member of the holding body');
    assert.equal((await evaluate(await signedInJar(t.app, t.ctx, w.member), { overall: '3' })).statusCode, 303, 'an invited member');
    assert.equal((await evaluate(dept, { overall: '1' })).statusCode, 303, 'the invited department’s representative');
    const rows = await db().selectFrom('consultation_evaluations').select(['user_id', 'role', 'overall', 'process', 'outcome']).where('consultation_id', '=', id).orderBy('user_id').execute();
    assert.deepEqual(rows.map((r) => [r.user_id, r.role]).sort(), [[w.citizens[0], 'registrant'], [w.member, 'participant'], [w.otherMember, 'participant'], [w.deptHandler, 'participant']].sort());
    const first = rows.find((r) => r.user_id === w.citizens[0]);
    assert.deepEqual([first?.overall, first?.process, first?.outcome], [3, 2, null]);
  });

  it('a second submission changes the evaluation; it is never duplicated', async () => {
    assert.equal((await evaluate(citizen[0] as Jar, { overall: '1', process: '1', outcome: '2', comment: '' })).statusCode, 303);
    const rows = await mine(w.citizens[0] as number);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]?.overall, rows[0]?.process, rows[0]?.outcome, rows[0]?.comment], [1, 1, 2, null]);
    const page = await get(t.app, `${url()}?done=saved`, citizen[0]);
    assert.match(page.body, /评价已保存/);
    assert.match(page.body, /您已经评价过/);
    assert.match(page.body, /id="f-overall-1" name="overall" value="1" checked/, 'the saved choice is shown');
  });

  it('bad values are refused with a localised 400 and nothing is stored', async () => {
    const jar = citizen[1] as Jar;
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /请填写总体评价|总体评价/],
      [{ overall: '5' }, /总体评价/],
      [{ overall: 'very good' }, /总体评价/],
      [{ overall: '3', process: '0' }, /对协商过程的评价/],
      [{ overall: '3', comment: '长'.repeat(1001) }, /意见和建议/],
      [{ overall: '3', rec_1: '3' }, /建议1还不能由您评价/],
      [{ overall: '3', rec_7: '2' }, /建议7还不能由您评价/],
      [{ overall: '3', rec_x: '2' }, /./],
    ];
    for (const [fields, message] of cases) {
      const res = await evaluate(jar, { comment: '保留的意见', ...fields });
      assert.equal(res.statusCode, 400, JSON.stringify(fields).slice(0, 80));
      assert.match(res.body, message);
      assert.match(res.body, /<title>错误：/);
      if (!('comment' in fields)) assert.match(res.body, /保留的意见/, 'what was typed is kept');
    }
    assert.equal((await mine(w.citizens[1] as number)).length, 0);
    const en = await t.app.inject({ method: 'POST', url: url(), payload: new URLSearchParams({ overall: '9' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), 'accept-language': 'en' } });
    assert.ok([400, 403].includes(en.statusCode), 'refused without its CSRF token or as a bad value, never a 5xx');
  });

  it('a recommendation is rated once answered, never by its own department; a blank takes a rating back', async () => {
    const page = await get(t.app, url(), citizen[0]);
    assert.doesNotMatch(page.body, /name="rec_1"/, 'not yet answered');
    assert.match(page.body, /尚未答复，暂不能评价/);
    await updateActionItem(t.ctx, await userOf(t.ctx, w.deptHandler), await item(1), 'answer', { text: '立体停车场已开工，新增车位 300 个。', done: 'on' });
    await updateActionItem(t.ctx, await userOf(t.ctx, otherHandler), await item(2), 'answer', { text: '已出台错时共享办法。' });
    assert.match((await get(t.app, url(), citizen[0])).body, /name="rec_1"/);

    assert.equal((await evaluate(citizen[0] as Jar, { overall: '1', rec_1: '2', rec_1_comment: '进度可以更快', rec_2: '3' })).statusCode, 303);
    assert.deepEqual((await recRatings(w.citizens[0] as number)).map((r) => [r.number, r.rating, r.comment]), [[1, 2, '进度可以更快'], [2, 3, null]]);
    assert.equal((await evaluate(citizen[0] as Jar, { overall: '1', rec_1: '3', rec_2: '' })).statusCode, 303);
    assert.deepEqual((await recRatings(w.citizens[0] as number)).map((r) => [r.number, r.rating]), [[1, 3]], 'changed in place; the blank took rec 2 back');

    const own = await get(t.app, url(), dept);
    assert.doesNotMatch(own.body, /name="rec_1"/);
    assert.match(own.body, /由您所在的部门办理/);
    const refused = await evaluate(dept, { overall: '1', rec_1: '3' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /建议1还不能由您评价/);
    assert.equal((await recRatings(w.deptHandler)).length, 0);
    assert.equal((await evaluate(dept, { overall: '1', rec_2: '2' })).statusCode, 303, 'another department’s result it may rate');
    assert.deepEqual((await recRatings(w.deptHandler)).map((r) => [r.number, r.rating]), [[2, 2]]);
  });

  it('the public page shows what was done and counts per level, never names or comments', async () => {
    await evaluate(citizen[0] as Jar, { overall: '1', comment: '秘密意见：会场太小', rec_1: '3', rec_1_comment: '秘密意见：很好' });
    const res = await get(t.app, `/consultations/${id}`);
    const page = textOf(res);
    assert.match(page, /参与者评价/);
    assert.match(page, /共 4 人评价/);
    assert.match(page, /立体停车场已开工/);
    assert.match(page, /办理结果评价：1 人：满意 1 人 · 基本满意 0 人 · 不满意 0 人/);
    assert.doesNotMatch(page, /秘密意见/);
    const names = await db().selectFrom('users').select('display_name').where('id', 'in', [w.citizens[0] as number, w.otherMember, w.deptHandler]).execute();
    for (const n of names) assert.ok(!page.includes(n.display_name), `no ${n.display_name}`);
    assert.ok(res.body.includes(`href="/consultations/${id}/evaluation"`), 'a link to the form while open');
    const table = /<table class="xs-table">[^]*?<\/table>/.exec(res.body)?.[0] ?? '';
    // overall: 3 → member; 2 → other member; 1 → citizen and department representative.
    assert.match(textOf({ body: table } as never), /总体评价 1 1 2/);
  });

  it('organisers read the comments, without names; nobody else does', async () => {
    const res = await get(t.app, `/admin/consultations/${id}/evaluations`, staff);
    assert.equal(res.statusCode, 200);
    const text = textOf(res);
    assert.match(text, /秘密意见：会场太小/);
    assert.match(text, /建议1 评价：满意/);
    assert.match(text, /秘密意见：很好/);
    const name = (await db().selectFrom('users').select('display_name').where('id', '=', w.citizens[0] as number).executeTakeFirstOrThrow()).display_name;
    assert.ok(!text.includes(name));
    assert.ok(res.body.includes(`href="/consultations/${id}/outcome.docx"`));
    assert.match((await get(t.app, url(), staff)).body, new RegExp(`href="/admin/consultations/${id}/evaluations"`), 'linked from the evaluation page for organisers');
    for (const jar of [citizen[0], member, dept]) assert.equal((await get(t.app, `/admin/consultations/${id}/evaluations`, jar)).statusCode, 403);
    assert.equal((await get(t.app, `/admin/consultations/${id}/evaluations`)).statusCode, 303);
    assert.equal((await get(t.app, `/admin/consultations/${id}/evaluations?page=2`, staff)).statusCode, 200);
    assert.equal((await get(t.app, '/admin/consultations/abc/evaluations', staff)).statusCode, 404);
  });

  it('erasure blanks the comments and keeps the ratings', async () => {
    await db().transaction().execute((trx) => eraseConsultationContributions(trx, w.citizens[0] as number));
    const rows = await mine(w.citizens[0] as number);
    assert.deepEqual([rows[0]?.overall, rows[0]?.comment], [1, null]);
    assert.deepEqual((await recRatings(w.citizens[0] as number)).map((r) => [r.rating, r.comment]), [[3, null]]);
  });

  it('evaluation ends when the consultation closes, which waits until every recommendation is done', async () => {
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'evaluation' }, staff)).statusCode, 303);
    assert.equal((await evaluate(citizen[1] as Jar, { overall: '2' })).statusCode, 303, 'open at the evaluation stage');
    // Recommendation 2 is answered, not done: closing is refused, in the user's language.
    const refused = await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'closed' }, staff);
    assert.equal(refused.statusCode, 409);
    assert.match(textOf(refused), /还有 1 项建议（共 2 项）的责任部门尚未办结/);
    const csrf = csrfToken(t.app, staff);
    const refusedEn = await t.app.inject({
      method: 'POST', url: `/admin/consultations/${id}/stage`, payload: new URLSearchParams({ _csrf: csrf, stage: 'closed' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: staff.header(), 'accept-language': 'en' },
    });
    assert.equal(refusedEn.statusCode, 409);
    assert.match(textOf(refusedEn), /1 of the 2 recommendations is not done yet/);
    assert.equal((await db().selectFrom('consultations').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage, 'evaluation');
    const api = JSON.parse((await get(t.app, `/api/v1/consultations/${id}`)).body) as { timeline: Array<{ step: string; state: string }> };
    assert.deepEqual(api.timeline.at(-1), { ...api.timeline.at(-1), step: 'evaluation', state: 'current' });
    const open = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(open, /2 项建议中还有 1 项未办结/, 'the last step says what is still open');
    assert.match(open, /当前环节：成果评价/);
    await updateActionItem(t.ctx, await userOf(t.ctx, otherHandler), await item(2), 'done', { text: '错时共享已在 12 个机关单位实行。' });
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/stage`, { stage: 'closed' }, staff)).statusCode, 303);
    const closed = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(closed, /2 项建议均已办结/);
    assert.match(closed, /各环节均已完成/);
    const before = await count('consultation_evaluations');
    const res = await evaluate(citizen[1] as Jar, { overall: '1' });
    assert.equal(res.statusCode, 409);
    assert.equal(await count('consultation_evaluations'), before);
    assert.equal((await mine(w.citizens[1] as number))[0]?.overall, 2);
    assert.match((await get(t.app, url(), citizen[1])).body, /评价已结束/);
    const page = await get(t.app, `/consultations/${id}`);
    assert.match(textOf(page), /评价已结束/);
    assert.ok(!page.body.includes(`href="/consultations/${id}/evaluation"`));
  });

  it('bad ids are not found; a private consultation exists only for those who took part', async () => {
    for (const bad of ['abc', '0', '99999999']) {
      assert.equal((await get(t.app, `/consultations/${bad}/evaluation`, citizen[0])).statusCode, 404, bad);
      assert.equal((await postForm(t.app, `/consultations/${bad}/evaluation`, { overall: '3' }, citizen[0])).statusCode, 404, bad);
    }
    const hidden = await consultationWithOutcome(t.app, w, staff, { title: '内部协商会', isPublic: false });
    await writeAndPublish(t.app, w, staff, hidden);
    assert.equal((await get(t.app, `/consultations/${hidden}/evaluation`, citizen[0])).statusCode, 404);
    assert.equal((await postForm(t.app, `/consultations/${hidden}/evaluation`, { overall: '3' }, citizen[0])).statusCode, 404);
    assert.equal((await postForm(t.app, `/consultations/${hidden}/evaluation`, { overall: '3' }, member)).statusCode, 303, 'a member of the holding body');
  });
});
