import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { PHONE, type BrowserRig, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { postForm } from '../helpers/http.js';
import { type GrassrootsWorld, makeGrassrootsWorld } from './grassroots-world.js';
import { dayOffset, postAndId } from './world.js';

// On a phone: the council publishes its decision notice and escalates a matter, the liaison
// group answers it, the liaison member joins the consultation; every page on the way,
// public and personal, is checked with axe.

describe('browser: grassroots linkage on a phone', () => {
  let rig: BrowserRig | null = null;
  let w: GrassrootsWorld;
  let consultationId = 0;

  const prepare = async (t: TestApp) => {
    w = await makeGrassrootsWorld(t.ctx);
    await t.app.ready();
    const staff = await signedInJar(t.app, t.ctx, w.staff);
    const facilitator = await signedInJar(t.app, t.ctx, w.facilitator);
    assert.equal((await postForm(t.app, '/admin/consultations/liaisons', { userId: String(w.member), bodyId: String(w.council), startsOn: dayOffset(-1) }, staff)).statusCode, 303);
    consultationId = await postAndId(t.app, '/admin/consultations', {
      title: '东门社区加装电梯议事协商', form: 'community', mode: 'in_person', leadBodyId: String(w.council), summary: '加装电梯费用如何分摊。', isPublic: 'on',
    }, facilitator, /consultations\/(\d+)/);
    assert.equal((await postForm(t.app, `/admin/consultations/${consultationId}/stage`, { stage: 'decision' }, facilitator)).statusCode, 303);
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare }); });
  after(async () => { await rig?.close(); });

  async function as(userId: number | null): Promise<{ context: BrowserContext; page: Page }> {
    const r = rig as BrowserRig;
    const context = await r.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', bypassCSP: true });
    if (userId !== null) {
      const token = await createSession(r.t.ctx.database.db, userId);
      await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(r.t.app.signCookie(token)), url: r.baseUrl }]);
    }
    return { context, page: await context.newPage() };
  }

  async function check(page: Page, path: string, label: string): Promise<void> {
    if (path) {
      const res = await page.goto(`${(rig as BrowserRig).baseUrl}${path}`);
      assert.equal(res?.status(), 200, `${label}: ${path}`);
    }
    assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
    await assertAccessible(page, label);
  }

  it('the council publishes its decision notice and escalates; the liaison group answers', { timeout: 180_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const council = await as(w.facilitator);
    let page = council.page;
    await check(page, '/admin/consultations/grassroots', 'grassroots hub');
    await check(page, `/admin/consultations/${consultationId}/notices`, 'notice form');
    await page.locator('main button', { hasText: '发布公示' }).click();
    await page.waitForLoadState('load');
    await check(page, '', 'notice form with errors');
    await page.locator('#f-kind').selectOption('decision');
    await page.locator('#f-body').fill('经议事会协商决定：**加装电梯**，费用按楼层分摊。');
    await page.locator('#f-noticeUntil').fill(dayOffset(7));
    await page.locator('main button', { hasText: '发布公示' }).click();
    await page.waitForURL(/done=notice/);
    await check(page, '', 'notice published');

    await check(page, '/admin/consultations/escalations/new', 'escalation form');
    await page.locator('main button', { hasText: '提请' }).click();
    await page.waitForLoadState('load');
    await check(page, '', 'escalation form with errors');
    await page.locator('#f-toBodyId').selectOption(String(w.group));
    await page.locator('#f-consultationId').selectOption(String(consultationId));
    await page.locator('#f-title').fill('加装电梯费用分摊难以议定');
    await page.locator('#f-description').fill('议事会三次协商未能就低层住户补偿达成一致，需要街道协调。');
    await page.locator('main button', { hasText: '提请' }).click();
    await page.waitForURL(/done=escalated/);
    await check(page, '', 'escalation sent');
    await check(page, '/admin/consultations/escalations/sent', 'what we escalated');
    await council.context.close();

    const receiver = await as(w.groupStaff);
    page = receiver.page;
    await check(page, '/admin/consultations/escalations/inbox', 'escalated to us');
    await page.locator('main a', { hasText: '加装电梯费用分摊难以议定' }).click();
    await page.waitForLoadState('load');
    await check(page, '', 'escalation with answer form');
    await page.locator('#f-action').selectOption('answer');
    await page.locator('main button', { hasText: '提交处理意见' }).click();
    await page.waitForLoadState('load');
    await check(page, '', 'answer form with errors');
    await page.locator('#f-action').selectOption('answer');
    await page.locator('#f-response').fill('街道已协调住建部门，按楼层系数分摊，低层住户给予补偿。');
    await page.locator('main button', { hasText: '提交处理意见' }).click();
    await page.waitForURL(/done=responded/);
    assert.match(await page.locator('main').innerText(), /已答复/);
    await check(page, '', 'escalation answered');
    await receiver.context.close();

    const staff = await as(w.staff);
    await check(staff.page, '/admin/consultations/liaisons', 'liaison points');
    await staff.context.close();
  });

  it('the liaison member joins; the public sees the notice and the escalation', { timeout: 120_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const liaison = await as(w.member);
    const page = liaison.page;
    await check(page, '/my/liaison', 'my liaison communities');
    await page.locator('main button', { hasText: '参加这次协商' }).click();
    await page.waitForURL(/done=joined/);
    assert.match(await page.locator('main').innerText(), /你已参加/);
    await check(page, '', 'my liaison communities, joined');
    await check(page, '/my/liaison/escalations', 'my communities’ escalations');
    await liaison.context.close();

    const visitor = await as(null);
    await check(visitor.page, `/consultations/${consultationId}`, 'consultation page with notices and escalations');
    const main = await visitor.page.locator('main').innerText();
    assert.match(main, /决定公示/);
    assert.match(main, /加装电梯费用分摊难以议定/);
    await check(visitor.page, `/consultations/${consultationId}/notices`, 'a consultation’s notices');
    await check(visitor.page, '/consultations/notices', 'current notices');
    await visitor.context.close();
  });
});
