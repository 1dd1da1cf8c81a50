import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { recordVote } from '../../src/modules/deliberation/participation.js';
import { recomputeNow } from '../../src/modules/deliberation/recompute.js';
import { loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { addWorkingDays } from '../../src/platform/calendar/index.js';
import { PHONE, type BrowserRig, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, makeConsultationWorld, postAndId } from './world.js';

// The main path on a phone with JavaScript off, through the real forms, axe on every
// page: staff open an online deliberation for a consultation from the admin dashboard; a
// citizen registers, deliberates (three vote buttons, a statement of their own) and sees the
// opinion map; staff write and publish the outcome with two recommendations; the public page
// shows the timeline (what is done, what is next) and the recommendations followed as action
// items of their departments.

describe('browser: from registration through online deliberation to the published outcome, on a phone without JavaScript', () => {
  let rig: BrowserRig | null = null;
  let w: ConsultationWorld;
  let consultationId = 0;
  let deliberationId = 0;
  const title = '城区停车设施建设专题协商会';
  const year = Number(dayOffset(20).slice(0, 4));

  // Before the browser: a topic from a public call, put into the year's plan, and the
  // consultation made from it (these forms have their own browser test).
  const prepare = async (t: TestApp) => {
    w = await makeConsultationWorld(t.ctx);
    await t.app.ready();
    const staff = await signedInJar(t.app, t.ctx, w.staff);
    const callId = await postAndId(t.app, '/admin/consultations/calls', { bodyId: String(w.committee), title: '年度协商议题征集', description: '欢迎提出议题。', opensOn: dayOffset(-1), closesOn: dayOffset(10), published: 'on' }, staff, /calls\/(\d+)/);
    const topicId = await postAndId(t.app, `/consultations/calls/${callId}/topics`, { title: '老旧小区停车难问题', reason: '老旧小区车位不足，夜间占用消防通道。' }, await signedInJar(t.app, t.ctx, w.member), /topics\/(\d+)/);
    const planId = await postAndId(t.app, '/admin/consultations/plans', { bodyId: String(w.committee), year: String(year), title: `${year}年度协商计划`, published: 'on' }, staff, /plans\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${topicId}/select`, { planId: String(planId), form: 'thematic', leadBodyId: String(w.committee), quarter: '3' }, staff)).statusCode, 303);
    const item = await t.ctx.database.db.selectFrom('plan_items').select('id').where('topic_id', '=', topicId).executeTakeFirstOrThrow();
    consultationId = await postAndId(t.app, '/admin/consultations', {
      title, form: 'thematic', mode: 'hybrid', leadBodyId: String(w.committee), planItemId: String(item.id), startsAt: `${dayOffset(20)}T09:30`,
      place: '县政协三楼会议室', agenda: '一、通报情况\n二、协商发言', summary: '围绕城区停车难面对面协商。', isPublic: 'on', registrationOpen: 'on', capacity: '30',
    }, staff, /consultations\/(\d+)/);
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare, javaScript: false }); });
  after(async () => { await rig?.close(); });

  async function as(userId: number | null): Promise<{ context: BrowserContext; page: Page }> {
    const r = rig as BrowserRig;
    const context = await r.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: false });
    if (userId !== null) {
      const token = await createSession(r.t.ctx.database.db, userId);
      await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(r.t.app.signCookie(token)), url: r.baseUrl }]);
    }
    context.setDefaultTimeout(30_000);
    return { context, page: await context.newPage() };
  }

  /** Optionally opens `path`; then one h1, no sideways scrolling on the phone, axe clean. */
  async function check(page: Page, path: string | null, label: string): Promise<void> {
    if (path) {
      const res = await page.goto(`${(rig as BrowserRig).baseUrl}${path}`);
      assert.equal(res?.status(), 200, `${label}: ${path}`);
    }
    assert.doesNotMatch(await page.title(), /^错误：/, `${label}: no error`);
    assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${label}: no sideways scrolling (${width}px)`);
    await assertAccessible(page, label);
  }

  /** Submits a form with its button and waits for the page the server answers with. */
  async function submit(page: Page, button: string, url: RegExp): Promise<void> {
    await Promise.all([page.waitForURL(url), page.locator('main button', { hasText: button }).first().click()]);
  }

  it('staff reach the consultation from the admin dashboard and open an online deliberation for it', { timeout: 180_000 }, async () => {
    if (!rig) return;
    const { context, page } = await as(w.staff);
    await check(page, '/admin', 'admin dashboard');
    await page.locator('main a', { hasText: '协商管理' }).click();
    await check(page, null, 'organisers’ home');
    await page.locator('main a', { hasText: title }).click();
    await page.waitForURL(new RegExp(`/admin/consultations/${consultationId}$`));
    await check(page, null, 'consultation editor');

    await page.goto(`${rig.baseUrl}/admin`);
    await page.locator('main a', { hasText: '网络议政' }).click();
    await check(page, null, 'deliberations to manage');
    await page.locator('main a', { hasText: '发起网络议政' }).first().click();
    await check(page, null, 'new deliberation');
    await page.locator('#f-owner').selectOption(`consultation:${consultationId}`);
    await page.locator('#f-title').fill('城区停车怎么办');
    await page.locator('#f-description').fill('围绕城区停车设施建设的网上讨论。');
    await page.locator('#f-moderation').selectOption('open');
    await page.locator('#f-seeds').fill('应新建立体停车场\n老旧小区应挖潜增加车位\n单位停车位应夜间向居民开放\n应提高路边停车收费\n应加强违停执法\n应多发展公共交通');
    await submit(page, '创建', /\/deliberations\/\d+\/moderate\?done=created/);
    deliberationId = Number(/\/deliberations\/(\d+)\//.exec(page.url())?.[1]);
    assert.ok(deliberationId > 0);
    assert.match(await page.locator('[role=status]').innerText(), /网络议政已创建/);
    await check(page, null, 'moderation, created');
    await context.close();
  });

  it('a citizen registers for the consultation and gets a sign-in code', { timeout: 180_000 }, async () => {
    if (!rig) return;
    const { context, page } = await as(w.citizens[0] as number);
    await check(page, `/consultations/${consultationId}`, 'consultation page');
    await page.locator('main a', { hasText: '报名参加' }).click();
    await page.waitForURL(/\/registration$/);
    await check(page, null, 'registration page');
    await page.locator('#f-note').fill('希望就老旧小区停车发言');
    await submit(page, '确认报名', /done=registered/);
    assert.match(await page.locator('main').innerText(), /你的签到码：\s*\d{6}/);
    await check(page, null, 'registration page, registered');
    await context.close();
    const reg = await rig.t.ctx.database.db.selectFrom('consultation_registrations').select(['status', 'note']).where('consultation_id', '=', consultationId).executeTakeFirstOrThrow();
    assert.deepEqual(reg, { status: 'confirmed', note: '希望就老旧小区停车发言' });
  });

  it('staff move the consultation on to its deliberation; the citizen votes with the buttons, adds a statement and sees the opinion map', { timeout: 240_000 }, async () => {
    if (!rig) return;
    const staff = await as(w.staff);
    for (const stage of ['meeting', 'deliberation']) {
      await staff.page.goto(`${rig.baseUrl}/admin/consultations/${consultationId}`);
      await staff.page.locator('#f-stage').selectOption(stage);
      await submit(staff.page, '推进', /done=stage/);
    }
    await check(staff.page, null, 'consultation editor, in deliberation');
    await staff.context.close();

    const { context, page } = await as(w.citizens[0] as number);
    await check(page, `/consultations/${consultationId}`, 'consultation page, in deliberation');
    await page.locator('main a', { hasText: '参加网络议政' }).click();
    await page.waitForURL(new RegExp(`/deliberations/${deliberationId}$`));
    await check(page, null, 'participant page');
    for (const label of ['赞同', '反对', '略过']) {
      await page.getByRole('button', { name: label, exact: true }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('[role=status]').innerText(), /已记录你的表态/);
    }
    assert.match(await page.locator('main').innerText(), /你已对 3 \/ 6 条观点表态/);
    await check(page, null, 'participant page after voting');
    await page.getByLabel('观点', { exact: true }).fill('应在新建小区配足充电车位');
    await page.getByRole('button', { name: '提交观点' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('[role=status]').innerText(), /现在其他参与者可以表态了/);
    assert.match(await page.locator('main').innerText(), /你已对 3 \/ 7 条观点表态/);
    await check(page, null, 'participant page, statement added');

    // Enough other people for opinion groups (their votes through the service), then the worker's computation.
    const t = rig.t;
    const db = t.ctx.database.db;
    const statements = (await db.selectFrom('deliberation_statements').select(['id', 'body']).where('deliberation_id', '=', deliberationId).where('status', '=', 'accepted').orderBy('id').execute());
    assert.equal(statements.length, 7);
    assert.ok(statements.some((s) => s.body === '应在新建小区配足充电车位'), 'the citizen’s statement is shown at once (open moderation)');
    for (let i = 0; i < 20; i++) {
      const user = await loadCurrentUser(db, await makeUser(t.ctx, { name: `居民${i}` }));
      for (const [k, s] of statements.entries()) await recordVote(t.ctx, user, deliberationId, { statement: String(s.id), vote: (i < 10) === (k % 2 === 0) ? 'agree' : 'disagree' });
    }
    await recomputeNow(t.ctx, deliberationId);

    await page.goto(`${rig.baseUrl}/deliberations/${deliberationId}`);
    await page.locator('main a', { hasText: '查看讨论结果' }).click();
    await page.waitForURL(new RegExp(`/deliberations/${deliberationId}/results$`));
    await check(page, null, 'results');
    assert.equal(await page.locator('figure svg[role=img]').count(), 1, 'the opinion map');
    const results = await page.locator('main').innerText();
    assert.match(results, /A 群/);
    assert.match(results, /B 群/);
    await context.close();
  });

  it('staff write and publish the outcome with two recommendations through the editor', { timeout: 180_000 }, async () => {
    if (!rig) return;
    const { context, page } = await as(w.staff);
    await page.goto(`${rig.baseUrl}/admin/consultations/${consultationId}`);
    await page.locator('main a', { hasText: '协商成果' }).first().click();
    await page.waitForURL(new RegExp(`/admin/consultations/${consultationId}/outcome$`));
    await check(page, null, 'outcome editor');
    await page.locator('#f-report').fill('## 主要共识\n\n应统筹规划停车设施，挖掘老旧小区潜力。');
    await page.locator('#f-minutes').fill('会议由副主席主持，交通、住建部门负责人到会。');
    await page.locator('#f-text_1').fill('新建立体停车场');
    await page.locator('#f-department_1').selectOption(String(w.department));
    await page.locator('#f-days_1').fill('20');
    await page.locator('#f-text_2').fill('推行单位停车位错时共享');
    await page.locator('#f-department_2').selectOption(String(w.otherDepartment));
    await page.locator('#f-days_2').fill('10');
    await submit(page, '保存草稿', /done=saved/);
    await check(page, null, 'outcome editor, saved');
    assert.equal(await page.locator('#f-text_2').inputValue(), '推行单位停车位错时共享');
    const before = new Date();
    await submit(page, '发布成果', /done=published/);
    const afterPublish = new Date();
    await check(page, null, 'outcome, published');
    await context.close();

    const db = rig.t.ctx.database.db;
    const recs = await db.selectFrom('consultation_recommendations').innerJoin('action_items', 'action_items.id', 'consultation_recommendations.action_item_id')
      .select(['consultation_recommendations.number', 'consultation_recommendations.due_days', 'action_items.owner_body_id', 'action_items.due_on', 'action_items.status', 'action_items.source_type'])
      .where('consultation_recommendations.consultation_id', '=', consultationId).orderBy('number').execute();
    assert.deepEqual(recs.map((r) => [r.number, r.owner_body_id, r.due_days, r.source_type]), [[1, w.department, 20, 'recommendation'], [2, w.otherDepartment, 10, 'recommendation']]);
    for (const r of recs) {
      // Due in its working days from the day of publishing (either side of midnight).
      assert.ok([addWorkingDays(before, r.due_days), addWorkingDays(afterPublish, r.due_days)].includes(r.due_on as string), `due on ${r.due_on}`);
    }
  });

  it('the public consultation page shows the timeline and follows both recommendations', { timeout: 180_000 }, async () => {
    if (!rig) return;
    const db = rig.t.ctx.database.db;
    const { context, page } = await as(null);
    await check(page, `/consultations/${consultationId}`, 'consultation page with outcome');
    const timeline = page.locator('section[aria-labelledby=timeline-title]');
    const summary = await timeline.locator('p').first().innerText();
    assert.match(summary, /当前环节：形成成果。/);
    assert.match(summary, /下一步：成果评价。/);
    const steps = (await timeline.locator('li').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    const expected: Array<[string, string]> = [
      ['议题征集', '已完成'], ['列入计划', '已完成'], ['会前准备', '已完成'], ['召开会议', '已完成'], ['协商议政', '已完成'], ['形成成果', '进行中'], ['成果评价', '下一步'],
    ];
    assert.equal(steps.length, expected.length, steps.join(' | '));
    expected.forEach(([step, state], i) => assert.ok(steps[i]?.startsWith(`${step} ${state}`), `step ${i + 1}: ${steps[i]}`));
    assert.equal(await timeline.locator('li[aria-current=step]').count(), 1);

    const main = await page.locator('main').innerText();
    assert.match(main, /应统筹规划停车设施/);
    const dues = (await db.selectFrom('consultation_recommendations').innerJoin('action_items', 'action_items.id', 'consultation_recommendations.action_item_id')
      .select(['action_items.due_on']).where('consultation_recommendations.consultation_id', '=', consultationId).orderBy('number').execute()).map((r) => r.due_on);
    const rec1 = (await page.locator('#rec-1').innerText()).replace(/\s+/g, ' ');
    assert.match(rec1, /建议1\. 新建立体停车场/);
    assert.match(rec1, new RegExp(`责任部门：县交通运输局\\d+ · 办理期限：${dues[0]}`));
    assert.match(rec1, /办理中/);
    const rec2 = (await page.locator('#rec-2').innerText()).replace(/\s+/g, ' ');
    assert.match(rec2, /建议2\. 推行单位停车位错时共享/);
    assert.match(rec2, new RegExp(`责任部门：县住建局\\d+ · 办理期限：${dues[1]}`));
    assert.match(rec2, /办理中/);
    // The online deliberation's report is part of the outcome, with the way to its results.
    assert.equal(await page.locator(`section[aria-labelledby=outcome-title] a[href="/deliberations/${deliberationId}/results"]`).count(), 1);
    assert.equal(await page.locator('main form[method=post]').count(), 0, 'no POST forms on the public page');
    await context.close();
  });
});
