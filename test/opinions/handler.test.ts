import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { loadOpinion } from '../../src/modules/opinions/access.js';
import { acceptOpinion, forwardOpinion, replyToOpinion } from '../../src/modules/opinions/handling.js';
import { rateOpinion } from '../../src/modules/opinions/citizen.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { addWorkingDays } from '../../src/platform/calendar/index.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// The handlers' side over HTTP: who sees which inbox, filters, bulk actions, every action's
// form (good and bad input), exports, the overdue board and the category clocks.

describe('opinions: the handlers\' pages', () => {
  let t: TestApp;
  let w: OpinionWorld;
  let staff: Jar;
  let member: Jar;
  let otherMember: Jar;
  let citizen: Jar;
  let admin: Jar;
  let seq = 0;
  const db = () => t.ctx.database.db;

  /** A new opinion from the citizen (each with its own text, so none is merged as a duplicate). */
  const send = async (o: Record<string, unknown> = {}) => {
    seq++;
    const c = await userOf(t.ctx, w.citizen);
    return submitOpinion(t.ctx, { kind: 'user', user: c }, sampleOpinion(w, { body: `东门社区老旧小区车位严重不足，第${seq}次反映，希望规划建设停车位。`, ...o }));
  };
  const status = async (id: number) => (await loadOpinion(db(), id)).status;

  before(async () => {
    t = await createTestApp({ opinions: { perSenderPerHour: 1000, perIpPerHour: 1000, powMaxNumber: 1000, attachmentMaxBytes: 2_000_000, maxAttachments: 3 } });
    w = await makeOpinionWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    member = await signedInJar(t.app, t.ctx, w.member);
    otherMember = await signedInJar(t.app, t.ctx, w.otherMember);
    citizen = await signedInJar(t.app, t.ctx, w.citizen);
    admin = await signedInJar(t.app, t.ctx, w.admin);
  });
  after(() => t.close());

  it('shows each person only the inboxes they may open', async () => {
    const toMember = await send({ title: '给委员的意见' });
    const toGroup = await send({ title: '给联络组的意见', target: 'body', targetBodyId: String(w.liaisonGroup) });

    const mine = await get(t.app, '/handle/opinions', member);
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.body.includes('给委员的意见'));
    assert.ok(!mine.body.includes('给联络组的意见'), 'a member sees only what was sent to them');
    assert.equal((await get(t.app, `/handle/opinions?body=${w.liaisonGroup}`, member)).statusCode, 403);
    assert.equal((await get(t.app, `/handle/opinions/${toGroup.id}`, member)).statusCode, 403);
    assert.equal((await get(t.app, `/handle/opinions/${toMember.id}`, member)).statusCode, 200);

    const group = await get(t.app, `/handle/opinions?body=${w.liaisonGroup}`, staff);
    assert.equal(group.statusCode, 200);
    assert.ok(group.body.includes('给联络组的意见'));
    assert.ok(!group.body.includes('给委员的意见'));
    const picker = await get(t.app, '/handle/opinions', staff);
    assert.ok(picker.body.includes(`href="/handle/opinions?body=${w.specialCommittee}"`), 'committee staff may pick any body below');

    assert.ok(!(await get(t.app, '/handle/opinions', otherMember)).body.includes('给委员的意见'));
    assert.equal((await get(t.app, `/handle/opinions/${toMember.id}`, otherMember)).statusCode, 403);
    assert.equal((await get(t.app, '/handle/opinions', citizen)).statusCode, 403);
    assert.equal((await get(t.app, `/handle/opinions/${toMember.id}`, citizen)).statusCode, 403);
    const anon = await get(t.app, '/handle/opinions');
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in\?next=/);
    assert.equal((await get(t.app, '/handle/opinions/99999999', staff)).statusCode, 404);
    assert.equal((await get(t.app, '/handle/opinions/abc', staff)).statusCode, 404);
    const dept = await signedInJar(t.app, t.ctx, w.deptHandler);
    const deptInbox = await get(t.app, '/handle/opinions', dept);
    assert.equal(deptInbox.statusCode, 303);
    assert.equal(deptInbox.headers.location, '/handle/actions');
  });

  it('filters by status, category, region (township includes villages), due date, overdue and text', async () => {
    const body = await makeBodyInbox();
    const a = await send({ title: '村里的路灯坏了', category: 'urban', regionId: String(w.village), target: 'body', targetBodyId: String(body) });
    const b = await send({ title: '镇上学校门口拥堵', category: 'traffic', regionId: String(w.township), target: 'body', targetBodyId: String(body) });
    const c = await send({ title: '县城公交线路太少 100%', category: 'traffic', regionId: String(w.county), target: 'body', targetBodyId: String(body) });
    await acceptOpinion(t.ctx, await userOf(t.ctx, w.staff), b.id);
    await db().updateTable('opinions').set({ accept_due: '2020-01-06' }).where('id', '=', a.id).execute();
    const titles = async (q: string) => {
      const res = await get(t.app, `/handle/opinions?body=${body}${q}`, staff);
      assert.equal(res.statusCode, 200, q);
      return ['村里的路灯坏了', '镇上学校门口拥堵', '县城公交线路太少'].filter((s) => res.body.includes(s));
    };
    assert.deepEqual(await titles(''), ['村里的路灯坏了', '镇上学校门口拥堵', '县城公交线路太少']);
    assert.deepEqual(await titles('&status=accepted'), ['镇上学校门口拥堵']);
    assert.deepEqual(await titles('&status=received'), ['村里的路灯坏了', '县城公交线路太少']);
    assert.deepEqual(await titles('&category=traffic'), ['镇上学校门口拥堵', '县城公交线路太少']);
    assert.deepEqual(await titles(`&region=${w.township}`), ['村里的路灯坏了', '镇上学校门口拥堵']);
    assert.deepEqual(await titles(`&region=${w.village}`), ['村里的路灯坏了']);
    assert.deepEqual(await titles(`&region=${w.county}`), ['村里的路灯坏了', '镇上学校门口拥堵', '县城公交线路太少']);
    assert.deepEqual(await titles('&overdue=1'), ['村里的路灯坏了']);
    assert.deepEqual(await titles('&due=2020-01-31'), ['村里的路灯坏了']);
    assert.deepEqual(await titles(`&due=${addWorkingDays(new Date(), 30)}`), ['村里的路灯坏了', '镇上学校门口拥堵', '县城公交线路太少']);
    assert.deepEqual(await titles(`&q=${encodeURIComponent('拥堵')}`), ['镇上学校门口拥堵']);
    assert.deepEqual(await titles(`&q=${encodeURIComponent('100%')}`), ['县城公交线路太少']);
    assert.deepEqual(await titles(`&q=${encodeURIComponent('%')}`), ['县城公交线路太少'], 'a % in the search is a literal');
    assert.deepEqual(await titles(`&q=${encodeURIComponent('_')}`), [], 'an _ in the search is a literal');
    assert.deepEqual(await titles('&status=nonsense&region=abc&due=2026-02-30'), ['村里的路灯坏了', '镇上学校门口拥堵', '县城公交线路太少'], 'odd filters are ignored');
    const overdue = await get(t.app, `/handle/opinions?body=${body}&overdue=1`, staff);
    assert.match(overdue.body, /已逾期 \d+ 个工作日/, 'overdue is said in words');
    const byDue = await get(t.app, `/handle/opinions?body=${body}&sort=due`, staff);
    assert.ok(byDue.body.indexOf('村里的路灯坏了') < byDue.body.indexOf('县城公交线路太少'));
    void c;
  });

  let bodySeq = 0;
  /** A fresh liaison group under the committee (staff of the committee handle it). */
  async function makeBodyInbox(): Promise<number> {
    bodySeq++;
    const row = await db().insertInto('bodies').values({ name: `测试联络组${bodySeq}`, kind: 'liaison_group', parent_id: w.committee, name_en: null, region_id: null, created_at: new Date().toISOString() })
      .returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  it('bulk-accepts a mixed selection one by one and says what failed and why', async () => {
    const body = await makeBodyInbox();
    const fresh = await send({ title: '批量处理一', target: 'body', targetBodyId: String(body) });
    const accepted = await send({ title: '批量处理二', target: 'body', targetBodyId: String(body) });
    await acceptOpinion(t.ctx, await userOf(t.ctx, w.staff), accepted.id);
    const foreign = await send({ title: '批量处理三', target: 'member' });
    const res = await postForm(t.app, '/handle/opinions/bulk', { action: 'accept', ids: [String(fresh.id), String(accepted.id), '99999999'], back: `/handle/opinions?body=${body}` }, staff);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('成功 1 件，未成功 2 件。'), res.body.slice(0, 0));
    assert.ok(res.body.includes('这件意见当前的状态不能进行这个操作'));
    assert.ok(res.body.includes('不存在'));
    assert.equal(await status(fresh.id), 'accepted');

    // A member may not accept another body's opinion through the bulk form.
    const res2 = await postForm(t.app, '/handle/opinions/bulk', { action: 'accept', ids: [String(foreign.id)] }, otherMember);
    assert.ok(res2.body.includes('成功 0 件，未成功 1 件。'));
    assert.ok(!res2.body.includes('批量处理三'), 'no title of an opinion the person may not see');
    assert.equal(await status(foreign.id), 'received');

    assert.equal((await postForm(t.app, '/handle/opinions/bulk', { action: 'accept', ids: [String(foreign.id)] }, citizen)).statusCode, 403, 'no inbox, no bulk');
    assert.equal((await postForm(t.app, '/handle/opinions/bulk', { action: 'accept', ids: [String(foreign.id)] })).statusCode, 401);
    const none = await postForm(t.app, '/handle/opinions/bulk', { action: 'accept', back: `/handle/opinions?body=${body}` }, staff);
    assert.equal(none.statusCode, 400);
    assert.ok(none.body.includes('请至少勾选一件意见。'));
    const noTarget = await postForm(t.app, '/handle/opinions/bulk', { action: 'assign', ids: [String(foreign.id)] }, staff);
    assert.equal(noTarget.statusCode, 400);
    assert.ok(noTarget.body.includes('请选择一个可以接收意见的机构。'));
    assert.equal((await postForm(t.app, '/handle/opinions/bulk', { action: 'explode', ids: [String(foreign.id)] }, staff)).statusCode, 400);

    const assigned = await postForm(t.app, '/handle/opinions/bulk', { action: 'assign', bodyId: String(body), ids: [String(foreign.id)] }, staff);
    assert.ok(assigned.body.includes('成功 1 件，未成功 0 件。'));
    assert.equal((await loadOpinion(db(), foreign.id)).handler_body_id, body);

    // Passed on to a member by name: the member's own inbox now holds it.
    const toName = await send({ title: '转交给王委员', target: 'body', targetBodyId: String(body) });
    let r = await postForm(t.app, `/handle/opinions/${toName.id}/assign`, { memberId: String(w.otherMember), note: '请王委员跟进' }, staff);
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, `/handle/opinions/${toName.id}?done=assigned`);
    assert.equal((await loadOpinion(db(), toName.id)).handler_user_id, w.otherMember);
    assert.ok((await get(t.app, '/handle/opinions?mine=1', otherMember)).body.includes('转交给王委员'));
    // A member who passes one on to a body loses sight of it and goes back to the inbox.
    const away = await send({ title: '委员转出的意见' });
    r = await postForm(t.app, `/handle/opinions/${away.id}/assign`, { bodyId: String(w.liaisonGroup) }, member);
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/handle/opinions');
    assert.equal((await get(t.app, `/handle/opinions/${away.id}`, member)).statusCode, 403);

    const report = await postForm(t.app, '/handle/opinions/bulk', { action: 'report', ids: [String(fresh.id), String(foreign.id)] }, staff);
    assert.equal(report.statusCode, 303);
    const page = await get(t.app, String(report.headers.location), staff);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`/handle/opinions/${fresh.id}`) && page.body.includes(`/handle/opinions/${foreign.id}`), 'the report links back to its opinions');

    const csv = await postForm(t.app, '/handle/opinions/bulk', { action: 'export-csv', ids: [String(fresh.id), String(foreign.id)] }, staff);
    assert.equal(csv.statusCode, 200);
    const rows = parse(csv.body.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    assert.deepEqual(rows.slice(1).map((r) => r[1]).sort(), ['批量处理一', '批量处理三']);
  });

  it('runs each action from its form; bad input is a 400 with the message and changes nothing; strangers get 403', async () => {
    const op = await send({ title: '每个操作' });
    const url = `/handle/opinions/${op.id}`;
    const page = await get(t.app, url, member);
    assert.ok(page.body.includes(`action="${url}/accept"`));
    assert.ok(page.body.includes('138****'), 'the phone is masked for a member');
    assert.ok(!page.body.includes(w.citizenPhone), 'never the full number without pii.view');

    // Every POST refuses someone who does not handle the opinion, and changes nothing.
    for (const [action, fields] of [
      ['accept', {}], ['decline', { reason: '不属于受理范围' }], ['reply', { reply: '已经答复了' }], ['ask', { question: '具体在哪里？' }],
      ['assign', { bodyId: String(w.liaisonGroup) }], ['forward', { departmentId: String(w.department), instructions: '请核实处理' }],
      ['merge', { into: 'ABCDE-FGHJK' }], ['close', {}], ['visibility', { visible: '0' }], ['report', {}],
    ] as const) {
      const res = await postForm(t.app, `${url}/${action}`, fields, otherMember);
      assert.equal(res.statusCode, 403, action);
      const anon = await postForm(t.app, `${url}/${action}`, fields);
      assert.equal(anon.statusCode, 401, `${action} anonymous`);
    }
    assert.equal(await status(op.id), 'received');
    assert.equal((await db().selectFrom('sentiment_reports').select('id').where('author_id', '=', w.otherMember).execute()).length, 0);

    const bad = async (action: string, fields: Record<string, string>, message: string) => {
      const res = await postForm(t.app, `${url}/${action}`, fields, member);
      assert.equal(res.statusCode, 400, action);
      assert.ok(res.body.includes(message), `${action}: ${message}`);
      assert.match(res.body, /<title>错误：/);
      return res;
    };
    const declined = await bad('decline', { reason: '' }, '请填写理由');
    assert.ok(declined.body.includes('error-summary'));
    const asked = await bad('ask', { question: 'x'.repeat(1001) }, '问题不能超过 1000 个字');
    assert.ok(asked.body.includes('x'.repeat(1001)), 'the value typed is kept');
    await bad('assign', {}, '请选择一个可以接收意见的机构。');
    await bad('assign', { bodyId: String(w.department) }, '请选择一个可以接收意见的机构。');
    await bad('merge', { into: 'nonsense' }, '要合并到的意见不存在或已经办结。');
    await bad('merge', { into: op.trackingCode }, '不能合并到自己。');
    const conflict = await postForm(t.app, `${url}/close`, {}, member);
    assert.equal(conflict.statusCode, 409);
    assert.ok(conflict.body.includes('这件意见当前的状态不能进行这个操作'));
    assert.equal(await status(op.id), 'received');

    let res = await postForm(t.app, `${url}/ask`, { question: '停车位具体缺多少？' }, member);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${url}?done=asked`);
    res = await postForm(t.app, `${url}/accept`, {}, member);
    assert.equal(res.statusCode, 303);
    assert.equal(await status(op.id), 'accepted');
    assert.ok((await get(t.app, `${url}?done=accepted`, member)).body.includes('已受理。'));

    await bad('reply', { reply: '' }, '请填写答复内容');
    await bad('forward', { departmentId: String(w.specialCommittee), instructions: '请核实处理' }, '请选择一个政府承办单位。');
    await bad('forward', { departmentId: String(w.department), instructions: '请核实处理', dueDays: '99' }, '办理期限（工作日）必须在 1 到 60 之间');
    assert.equal((await db().selectFrom('action_items').select('id').where('source_id', '=', op.id).execute()).length, 0);
    res = await postForm(t.app, `${url}/forward`, { departmentId: String(w.department), instructions: '请核实停车位规划', dueDays: '5' }, member);
    assert.equal(res.statusCode, 303);
    const item = await db().selectFrom('action_items').selectAll().where('source_type', '=', 'opinion').where('source_id', '=', op.id).executeTakeFirstOrThrow();
    assert.equal(item.due_on, addWorkingDays(item.created_at, 5));

    res = await postForm(t.app, `${url}/reply`, { reply: '已协调住建局增加车位。' }, member);
    assert.equal(res.statusCode, 303);
    assert.equal(await status(op.id), 'replied');
    res = await postForm(t.app, `${url}/visibility`, { visible: '0' }, member);
    assert.equal(res.statusCode, 303);
    assert.equal((await loadOpinion(db(), op.id)).public_visible, 0);
    res = await postForm(t.app, `${url}/visibility`, { visible: '1' }, member);
    assert.equal((await loadOpinion(db(), op.id)).public_visible, 1);
    res = await postForm(t.app, `${url}/report`, {}, member);
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/handle\/reports\/\d+\?done=saved$/);
    const reportUrl = String(res.headers.location).split('?')[0] as string;
    const badReport = await postForm(t.app, reportUrl, { title: '', body: '正文' }, member);
    assert.equal(badReport.statusCode, 400);
    assert.equal((await postForm(t.app, reportUrl, { title: '停车难', body: '东门社区停车难问题突出，建议纳入规划。' }, otherMember)).statusCode, 403);
    res = await postForm(t.app, reportUrl, { title: '关于老旧小区停车难的情况反映', body: '东门社区停车难问题突出，建议纳入规划。', intent: 'submit' }, member);
    assert.equal(res.statusCode, 303);
    const rep = await db().selectFrom('sentiment_reports').selectAll().where('id', '=', Number(reportUrl.split('/').pop())).executeTakeFirstOrThrow();
    assert.equal(rep.status, 'submitted');
    assert.equal(rep.title, '关于老旧小区停车难的情况反映');
    assert.equal((await postForm(t.app, reportUrl, { title: '再改', body: '提交后不能再改了，这是一段正文。' }, member)).statusCode, 409);
    res = await postForm(t.app, `${url}/close`, {}, member);
    assert.equal(res.statusCode, 303);
    assert.equal(await status(op.id), 'closed');
    const final = await get(t.app, url, member);
    assert.ok(final.body.includes('办结') && final.body.includes('已交办承办单位'), 'the timeline lists the steps');

    // Merge: a duplicate into an open one, from the form.
    const dupA = await send({ title: '重复意见甲' });
    const dupB = await send({ title: '重复意见乙' });
    res = await postForm(t.app, `/handle/opinions/${dupB.id}/merge`, { into: dupA.trackingCode.toLowerCase() }, member);
    assert.equal(res.statusCode, 303);
    assert.equal(await status(dupB.id), 'merged');

    // Decline, with a reason the citizen sees.
    res = await postForm(t.app, `/handle/opinions/${dupA.id}/decline`, { reason: '不属于政协受理范围，请向12345反映。' }, member);
    assert.equal(res.statusCode, 303);
    assert.equal(await status(dupA.id), 'declined');
  });

  it('confirms a routing suggestion or takes a correction', async () => {
    await db().updateTable('opinion_categories').set({ default_body_id: w.specialCommittee }).where('key', '=', 'health').execute();
    const routed = await send({ title: '看病难的问题', category: 'health', target: 'route' });
    const op = await loadOpinion(db(), routed.id);
    assert.equal(op.handler_body_id, w.committee);
    const page = await get(t.app, `/handle/opinions/${routed.id}`, staff);
    assert.ok(page.body.includes('分办建议') && page.body.includes('确认建议'));
    const res = await postForm(t.app, `/handle/opinions/${routed.id}/assign`, { bodyId: String(w.specialCommittee) }, staff);
    assert.equal(res.statusCode, 303);
    const after = await loadOpinion(db(), routed.id);
    assert.equal(after.handler_body_id, w.specialCommittee);
    assert.equal(after.routing_confirmed, 1);
  });

  it('exports the filtered inbox as CSV and .xlsx, with no phone number, only where allowed', async () => {
    const body = await makeBodyInbox();
    const titles = ['导出测试一', '导出测试二', '=HYPERLINK("x")'];
    for (const title of titles) await send({ title, target: 'body', targetBodyId: String(body), category: 'education' });
    await send({ title: '别的类别', target: 'body', targetBodyId: String(body), category: 'traffic' });
    const csv = await get(t.app, `/handle/opinions/export.csv?body=${body}&category=education`, staff);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment/);
    assert.ok(csv.body.startsWith('\uFEFF'), 'a byte-order mark, so Excel reads UTF-8');
    const rows = parse(csv.body.slice(1)) as string[][];
    assert.deepEqual(rows[0], ['查询码', '标题', '类别', '所在地方', '状态', '办理人', '收到时间', '受理期限', '受理时间', '答复期限', '答复时间', '群众评价']);
    assert.deepEqual(rows.slice(1).map((r) => r[1]).sort(), ['\'=HYPERLINK("x")', '导出测试一', '导出测试二'].sort());
    assert.ok(rows.slice(1).every((r) => /^[2-9A-Z]{5}-[2-9A-Z]{5}$/.test(r[0] ?? '') && r[2] === '教育' && r[4] === '待受理'));
    assert.ok(!csv.body.includes(w.citizenPhone) && !csv.body.includes(w.citizenPhone.slice(-4)), 'no phone number, not even its last digits');

    const xlsx = await get(t.app, `/handle/opinions/export.xlsx?body=${body}&category=education`, staff);
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const sheet = wb.worksheets[0];
    assert.ok(sheet);
    const values: string[] = [];
    sheet.eachRow((row, n) => { if (n > 1) values.push(String(row.getCell(2).value)); });
    assert.deepEqual(values.sort(), [...titles].sort());
    assert.equal(sheet.getRow(1).getCell(1).value, '查询码');

    // A member exports their own inbox, not a body's; a facilitator (handles, does not supervise) cannot export.
    assert.equal((await get(t.app, '/handle/opinions/export.csv?mine=1', member)).statusCode, 200);
    assert.equal((await get(t.app, `/handle/opinions/export.csv?body=${body}`, member)).statusCode, 403);
    const facilitator = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: body, role: 'council_facilitator' }] }));
    assert.equal((await get(t.app, `/handle/opinions?body=${body}`, facilitator)).statusCode, 200);
    assert.equal((await get(t.app, `/handle/opinions/export.csv?body=${body}`, facilitator)).statusCode, 403);
    assert.equal((await get(t.app, `/handle/opinions/export.xlsx?body=${body}`, citizen)).statusCode, 403);
  });

  it('shows supervisors the overdue board with working days late and the "not satisfied" ratings', async () => {
    const late = await send({ title: '超期未受理的意见' });
    await db().updateTable('opinions').set({ accept_due: '2020-01-06' }).where('id', '=', late.id).execute();
    const rated = await send({ title: '群众不满意的意见' });
    const m = await userOf(t.ctx, w.member);
    await acceptOpinion(t.ctx, m, rated.id);
    await replyToOpinion(t.ctx, m, rated.id, { reply: '已答复，正在协调。' });
    await rateOpinion(t.ctx, await loadOpinion(db(), rated.id), { handling: 1, result: 1, comment: '答复敷衍' });
    const itemId = await forwardOpinion(t.ctx, m, rated.id, { departmentId: String(w.department), instructions: '请尽快处理' });
    await db().updateTable('action_items').set({ due_on: '2020-01-06' }).where('id', '=', itemId).execute();
    const res = await get(t.app, '/handle/overdue', staff);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('超期未受理的意见'));
    assert.match(res.body, /逾期 \d{3,} 个工作日/);
    assert.ok(res.body.includes('群众不满意的意见') && res.body.includes('答复敷衍'));
    assert.ok(res.body.includes(`/handle/actions/${itemId}`), 'overdue action items are listed');
    assert.equal((await get(t.app, '/handle/overdue', member)).statusCode, 403, 'a member does not supervise');
    assert.equal((await get(t.app, '/handle/overdue', citizen)).statusCode, 403);
    assert.equal((await get(t.app, '/handle/overdue?page=abc&ipage=-1&rpage=99999', staff)).statusCode, 200);
  });

  it('lets an administrator set a category\'s clocks, which apply to new opinions (audited)', async () => {
    assert.equal((await get(t.app, '/admin/opinion-categories', staff)).statusCode, 403);
    assert.equal((await postForm(t.app, '/admin/opinion-categories', { key: 'employment', 'accept-employment': '3', 'reply-employment': '10' }, staff)).statusCode, 403);
    const page = await get(t.app, '/admin/opinion-categories', admin);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('name="accept-employment"'));
    assert.ok((await get(t.app, '/admin', admin)).body.includes('/admin/opinion-categories'), 'linked from the dashboard');

    let res = await postForm(t.app, '/admin/opinion-categories', { key: 'employment', 'accept-employment': '0', 'reply-employment': '10' }, admin);
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('必须在 1 到 60 之间'));
    res = await postForm(t.app, '/admin/opinion-categories', { key: 'employment', 'accept-employment': '5', 'reply-employment': '3' }, admin);
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('答复时限不能短于受理时限。'));
    res = await postForm(t.app, '/admin/opinion-categories', { key: 'employment', 'accept-employment': '3', 'reply-employment': '10', 'body-employment': String(w.department) }, admin);
    assert.equal(res.statusCode, 400);
    assert.equal((await postForm(t.app, '/admin/opinion-categories', { key: 'no-such', 'accept-no-such': '3', 'reply-no-such': '10' }, admin)).statusCode, 404);
    const unchanged = await db().selectFrom('opinion_categories').selectAll().where('key', '=', 'employment').executeTakeFirstOrThrow();
    assert.deepEqual([unchanged.accept_days, unchanged.reply_days], [2, 15]);

    res = await postForm(t.app, '/admin/opinion-categories', { key: 'employment', 'accept-employment': '4', 'reply-employment': '20', 'body-employment': String(w.specialCommittee) }, admin);
    assert.equal(res.statusCode, 303);
    const cat = await db().selectFrom('opinion_categories').selectAll().where('key', '=', 'employment').executeTakeFirstOrThrow();
    assert.deepEqual([cat.accept_days, cat.reply_days, cat.default_body_id], [4, 20, w.specialCommittee]);
    const audit = await db().selectFrom('audit_events').select(['action', 'data']).where('stream_type', '=', 'opinion_category').where('stream_id', '=', 'employment').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.action, 'configured');

    const sent = await send({ title: '就业问题', category: 'employment' });
    const op = await loadOpinion(db(), sent.id);
    assert.equal(op.accept_due, addWorkingDays(op.created_at, 4));
    assert.equal(op.reply_due, addWorkingDays(op.created_at, 20));
    const other = await loadOpinion(db(), (await send({ title: '别的类别的问题', category: 'other' })).id);
    assert.equal(other.accept_due, addWorkingDays(other.created_at, 2), 'other categories keep the default');
  });

  it('links the handler pages from the account page for people with a position', async () => {
    assert.ok((await get(t.app, '/account', member)).body.includes('href="/handle"'));
    assert.ok(!(await get(t.app, '/account', citizen)).body.includes('href="/handle"'));
    const r = await get(t.app, '/handle', member);
    assert.equal(r.headers.location, '/handle/opinions');
  });
});
