import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { type BrowserRig, PHONE, assertAccessible, openRig } from '../browser/browser.js';
import { type OpinionWorld, makeOpinionWorld } from '../helpers/opinions.js';
import { lastCode } from './citizen-helpers.js';

// The voice channel's main path, every step through the pages in a phone-sized Chromium
// with axe on each: an anonymous citizen sends an opinion to a chosen member; the member
// accepts it and forwards it to a department; the department answers; the citizen sees the
// whole timeline and rates the answer.
describe('browser: the main path of an opinion, end to end', { timeout: 300_000 }, () => {
  let rig: BrowserRig | null = null;
  let w: OpinionWorld;
  before(async (tc) => {
    rig = await openRig(tc as never, { prepare: async (t) => { w = await makeOpinionWorld(t.ctx); } });
  });
  after(async () => { await rig?.close(); });

  const asUser = async (userId: number): Promise<{ context: BrowserContext; page: Page }> => {
    if (!rig) throw new Error('no browser');
    const context = await rig.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true });
    const token = await createSession(rig.t.ctx.database.db, userId);
    await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(rig.t.app.signCookie(token)), url: rig.baseUrl }]);
    return { context, page: await context.newPage() };
  };

  it('citizen → member → department → citizen', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl, t } = rig;
    const db = t.ctx.database.db;

    // 1. An anonymous citizen sends to a chosen member, from the member's profile link.
    await page.goto(`${baseUrl}/members/${w.member}`);
    await page.click(`a[href="/opinions/new?member=${w.member}"]`);
    await assertAccessible(page, 'sending form');
    await page.fill('#f-title', '老旧小区停车难');
    await page.fill('#f-body', '东门社区老旧小区车位严重不足，晚上车辆停进消防通道，希望规划建设停车位。');
    await page.selectOption('#f-category', 'traffic');
    await page.selectOption('#f-regionId', String(w.village));
    await page.check('#f-public-1');
    await page.click('button:has-text("下一步：预览")');
    await page.waitForSelector('h1:has-text("确认发送")');
    await assertAccessible(page, 'confirmation: who receives it and by when');
    const phone = '13912345678';
    await page.fill('#f-phone', phone);
    await page.click('button:has-text("获取验证码")');
    await page.waitForSelector('#f-code');
    await page.fill('#f-code', await lastCode(t.ctx, phone));
    await page.click('button:has-text("确认发送")');
    await page.waitForURL(/\/opinions\/track\/[2-9A-HJ-NP-Z]{10}\?sent=1$/, { timeout: 60_000 });
    await assertAccessible(page, 'acknowledgement with the tracking code');
    const shown = (await page.locator('.xs-tracking-code').textContent()) ?? '';
    const op = await db.selectFrom('opinions').selectAll().where('tracking_code', '=', shown.replace('-', '')).executeTakeFirstOrThrow();
    assert.equal(op.handler_user_id, w.member, 'it went exactly to the member chosen');
    assert.equal(op.status, 'received');

    // 2. The member accepts and forwards it to a department.
    const member = await asUser(w.member);
    await member.page.goto(`${baseUrl}/handle/opinions?mine=1`);
    await assertAccessible(member.page, 'the member\'s inbox');
    await member.page.click(`a[href="/handle/opinions/${op.id}"]`);
    await assertAccessible(member.page, 'the opinion, for its handler');
    await member.page.click(`form[action="/handle/opinions/${op.id}/accept"] button[type=submit]`);
    await member.page.waitForURL(new RegExp(`/handle/opinions/${op.id}`));
    await member.page.selectOption(`form[action="/handle/opinions/${op.id}/forward"] select[name=departmentId]`, String(w.department));
    await member.page.fill(`form[action="/handle/opinions/${op.id}/forward"] textarea[name=instructions]`, '请核实小区停车位规划情况，答复群众。');
    await member.page.click(`form[action="/handle/opinions/${op.id}/forward"] button[type=submit]`);
    await member.page.waitForURL(new RegExp(`/handle/opinions/${op.id}`));
    await assertAccessible(member.page, 'the opinion after forwarding');
    const item = await db.selectFrom('action_items').selectAll().where('source_type', '=', 'opinion').where('source_id', '=', op.id).executeTakeFirstOrThrow();
    assert.equal(item.owner_body_id, w.department);
    await member.context.close();

    // 3. The department answers in its own inbox.
    const dept = await asUser(w.deptHandler);
    await dept.page.goto(`${baseUrl}/handle/actions`);
    await assertAccessible(dept.page, 'the department\'s inbox');
    await dept.page.click(`a[href="/handle/actions/${item.id}"]`);
    await assertAccessible(dept.page, 'the action item');
    await dept.page.fill(`form[action="/handle/actions/${item.id}/answer"] textarea[name=answer]`, '已将该小区纳入今年停车位改造计划，新增 40 个车位，年底前完工。');
    await dept.page.click(`form[action="/handle/actions/${item.id}/answer"] button[type=submit]`);
    await dept.page.waitForURL(new RegExp(`/handle/actions/${item.id}`));
    await assertAccessible(dept.page, 'the action item, answered');
    await dept.context.close();

    // 4. The citizen looks it up with the code and the last four digits, sees the timeline, rates it.
    const citizen = await rig.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true });
    const cp = await citizen.newPage();
    await cp.goto(`${baseUrl}/opinions/track?code=${op.tracking_code}`);
    await assertAccessible(cp, 'lookup form');
    await cp.fill('#f-last4', phone.slice(-4));
    await cp.click('main form button[type=submit]');
    await cp.waitForSelector('h1');
    await assertAccessible(cp, 'the tracking view with the timeline and the rating form');
    const main = (await cp.locator('main').textContent()) ?? '';
    for (const step of ['已收到', '已受理', '已交办承办单位', '承办单位答复']) assert.ok(main.includes(step), `timeline shows ${step}`);
    assert.ok(main.includes('新增 40 个车位'), 'the department\'s answer is shown');
    await cp.check('#f-handling');
    await cp.check('#f-result');
    await cp.click('button:has-text("提交评价")');
    await cp.waitForURL(/done=rated$/);
    await assertAccessible(cp, 'after rating');
    const rated = await db.selectFrom('opinions').selectAll().where('id', '=', op.id).executeTakeFirstOrThrow();
    assert.equal(rated.status, 'closed');
    assert.equal(rated.rating_handling, 3);
    assert.equal(rated.rating_result, 3);
    await citizen.close();
  });
});
