import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { PHONE, type BrowserRig, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, makeConsultationWorld, postAndId } from './world.js';

// On a phone, JavaScript on: a citizen finds a consultation and registers; staff sign the
// citizen in, write and publish the outcome with two recommendations; the public page shows
// the timeline and the recommendations. Every page on the way is checked with axe.

describe('browser: a consultation from registration to outcome, on a phone', () => {
  let rig: BrowserRig | null = null;
  let w: ConsultationWorld;
  let consultationId = 0;
  let callId = 0;
  let topicId = 0;
  let planId = 0;
  const year = Number(dayOffset(20).slice(0, 4));

  const prepare = async (t: TestApp) => {
    w = await makeConsultationWorld(t.ctx);
    await t.app.ready();
    const staff = await signedInJar(t.app, t.ctx, w.staff);
    callId = await postAndId(t.app, '/admin/consultations/calls', { bodyId: String(w.committee), title: '年度协商议题征集', description: '欢迎提出议题。', opensOn: dayOffset(-1), closesOn: dayOffset(10), published: 'on' }, staff, /calls\/(\d+)/);
    topicId = await postAndId(t.app, `/consultations/calls/${callId}/topics`, { title: '老旧小区停车难问题', reason: '老旧小区车位不足，夜间占用消防通道。' }, await signedInJar(t.app, t.ctx, w.member), /topics\/(\d+)/);
    planId = await postAndId(t.app, '/admin/consultations/plans', { bodyId: String(w.committee), year: String(year), title: `${year}年度协商计划`, published: 'on' }, staff, /plans\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/topics/${topicId}/select`, { planId: String(planId), form: 'thematic', leadBodyId: String(w.committee), quarter: '3' }, staff)).statusCode, 303);
    const item = await t.ctx.database.db.selectFrom('plan_items').select('id').where('topic_id', '=', topicId).executeTakeFirstOrThrow();
    consultationId = await postAndId(t.app, '/admin/consultations', {
      title: '城区停车设施建设专题协商会', form: 'thematic', mode: 'hybrid', leadBodyId: String(w.committee), jointBodyIds: [String(w.specialCommittee)],
      planItemId: String(item.id), startsAt: `${dayOffset(20)}T09:30`, place: '县政协三楼会议室', onlineUrl: 'https://meeting.example.cn/r/1',
      agenda: '一、通报情况\n二、协商发言', summary: '围绕城区停车难面对面协商。', isPublic: 'on', registrationOpen: 'on', capacity: '30',
    }, staff, /consultations\/(\d+)/);
    await postForm(t.app, `/admin/consultations/${consultationId}/participants`, { kind: 'department', bodyId: String(w.department), name: '张副局长', role: '副局长' }, staff);
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare }); });
  after(async () => { await rig?.close(); });

  async function as(userId: number): Promise<{ context: BrowserContext; page: Page }> {
    const r = rig as BrowserRig;
    const context = await r.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', bypassCSP: true });
    const token = await createSession(r.t.ctx.database.db, userId);
    await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(r.t.app.signCookie(token)), url: r.baseUrl }]);
    return { context, page: await context.newPage() };
  }

  async function check(page: Page, path: string, label: string): Promise<void> {
    const base = (rig as BrowserRig).baseUrl;
    if (path) {
      const res = await page.goto(`${base}${path}`);
      assert.equal(res?.status(), 200, `${label}: ${path}`);
    }
    assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
    await assertAccessible(page, label);
  }

  it('a citizen browses, supports a topic and registers; the registration page shows the sign-in code', { timeout: 120_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { context, page } = await as(w.citizens[0] as number);
    await check(page, '/consultations', 'consultation list');
    await check(page, `/consultations?form=thematic&year=${year}`, 'consultation list, filtered');
    await check(page, '/consultations/calls', 'calls');
    await check(page, `/consultations/calls/${callId}`, 'call page');
    await check(page, `/consultations/calls/${callId}/propose`, 'propose form');
    await page.locator('button[type=submit]', { hasText: '提交议题' }).click();
    await page.waitForLoadState('load');
    await check(page, '', 'propose form with errors');
    await check(page, `/consultations/topics/${topicId}`, 'topic page');
    await page.locator('main button', { hasText: '支持这个议题' }).click();
    await page.waitForURL(/done=supported/);
    await check(page, '', 'topic page, supported');
    await check(page, '/consultations/plans', 'plans index');
    await check(page, `/consultations/plans/${year}`, 'plan page');

    await check(page, `/consultations/${consultationId}`, 'consultation page');
    await page.locator('main a', { hasText: '报名参加' }).click();
    await page.waitForURL(/\/registration$/);
    await check(page, '', 'registration page');
    await page.locator('#f-note').fill('希望发言');
    await page.locator('main button', { hasText: '确认报名' }).click();
    await page.waitForURL(/done=registered/);
    assert.match(await page.locator('main').innerText(), /你的签到码：\s*\d{6}/);
    await check(page, '', 'registration page, registered');
    await context.close();
  });

  it('staff sign the citizen in, publish an outcome with two recommendations, and the public page shows the timeline', { timeout: 120_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const db = rig.t.ctx.database.db;
    const { context, page } = await as(w.staff);
    await check(page, '/admin/consultations', 'organisers’ home');
    await check(page, '/admin/consultations/new', 'new consultation');
    await page.locator('#f-title').fill('短');
    await page.locator('main form button', { hasText: '保存' }).first().click();
    await page.waitForLoadState('load');
    await check(page, '', 'new consultation with errors');
    await check(page, `/admin/consultations/${consultationId}`, 'consultation editor');
    await check(page, `/admin/consultations/calls/${callId}`, 'call editor');
    await check(page, `/admin/consultations/topics/${topicId}`, 'topic for staff');
    await check(page, `/admin/consultations/plans/${planId}`, 'plan editor');
    await check(page, '/admin/consultations/calls/new', 'new call');
    await check(page, '/admin/consultations/plans/new', 'new plan');
    await check(page, `/admin/consultations/${consultationId}/registrations`, 'registrations');

    const code = (await db.selectFrom('consultation_registrations').select('checkin_code').where('consultation_id', '=', consultationId).executeTakeFirstOrThrow()).checkin_code as string;
    await check(page, `/admin/consultations/${consultationId}/checkin`, 'sign-in desk');
    await page.locator('#f-code').fill(code);
    await page.locator('main button', { hasText: '签到' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('main').innerText(), /签到成功：市民/);
    await page.locator('#f-code').fill(code);
    await page.locator('main button', { hasText: '签到' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('main').innerText(), /该签到码已使用/);
    await check(page, '', 'sign-in desk, code reused');

    await page.goto(`${rig.baseUrl}/admin/consultations/${consultationId}`);
    await page.locator('#f-stage').selectOption('meeting');
    await page.locator('main button', { hasText: '推进' }).click();
    await page.waitForURL(/done=stage/);

    await check(page, `/admin/consultations/${consultationId}/outcome`, 'outcome editor');
    await page.locator('#f-report').fill('## 主要共识\n\n应统筹规划停车设施。');
    await page.locator('#f-minutes').fill('会议由副主席主持。');
    await page.locator('#f-text_1').fill('新建立体停车场');
    await page.locator('#f-department_1').selectOption(String(w.department));
    await page.locator('#f-days_1').fill('20');
    await page.locator('#f-text_2').fill('推行停车位错时共享');
    await page.locator('#f-department_2').selectOption(String(w.otherDepartment));
    await page.locator('#f-days_2').fill('10');
    await page.locator('main button', { hasText: '保存草稿' }).click();
    await page.waitForURL(/done=saved/);
    await check(page, '', 'outcome editor, saved');
    await page.locator('main button', { hasText: '发布成果' }).click();
    await page.waitForURL(/done=published/);
    await check(page, '', 'outcome, published');
    await context.close();

    const pub = await (rig.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true }));
    const p = await pub.newPage();
    await check(p, `/consultations/${consultationId}`, 'consultation page with outcome');
    const main = await p.locator('main').innerText();
    assert.match(main, /当前环节：形成成果。/);
    assert.match(main, /新建立体停车场/);
    assert.match(main, /推行停车位错时共享/);
    assert.match(main, /议题征集\s*已完成/);
    assert.equal(await p.locator('main form[method=post]').count(), 0, 'no POST forms on the public page');
    const items = await db.selectFrom('action_items').select('id').where('source_type', '=', 'recommendation').execute();
    assert.equal(items.length, 2);
    await pub.close();
  });
});
