import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptOpinion, replyToOpinion } from '../../src/modules/opinions/handling.js';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { type BrowserRig, PHONE, assertAccessible, openRig } from '../browser/browser.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';
import { lastCode } from './citizen-helpers.js';

// The citizen's pages in Chromium on a phone-sized screen: an anonymous citizen sends to a
// member (the real pow.js solves the real challenge), follows and rates it; without
// JavaScript the form explains the way to send; axe on every page.
describe('citizen pages in the browser', { timeout: 240_000 }, () => {
  let rig: BrowserRig | null = null;
  let w: OpinionWorld;
  before(async (tc) => {
    rig = await openRig(tc as never, { prepare: async (t) => { w = await makeOpinionWorld(t.ctx); } });
  });
  after(async () => { await rig?.close(); });

  it('anonymous, with JavaScript: fill in, preview, text me a code, send, follow, rate', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl, t } = rig;
    await page.goto(`${baseUrl}/opinions/new?member=${w.member}`);
    await assertAccessible(page, 'sending form');
    assert.equal(await page.locator('#f-target-member').isChecked(), true, 'prefilled from ?member=');
    await page.fill('#f-title', '小区门口路面坑洼');
    await page.fill('#f-body', '东门社区北门外的路面坑洼积水，老人和孩子出行容易摔倒，希望尽快修补。');
    await page.selectOption('#f-category', 'urban');
    await page.selectOption('#f-regionId', String(w.village));
    await page.check('#f-public-1');
    await page.click('button:has-text("下一步：预览")');
    await page.waitForSelector('h1:has-text("确认发送")');
    await assertAccessible(page, 'confirmation (before the code)');
    assert.match(await page.locator('#who-h + p').textContent() ?? '', /李委员\d+/);

    await page.fill('#f-phone', '13700001234');
    await page.click('button:has-text("获取验证码")');
    await page.waitForSelector('#f-code');
    await assertAccessible(page, 'confirmation (code sent)');
    await page.fill('#f-code', await lastCode(t.ctx, '13700001234'));
    await page.click('button:has-text("确认发送")');
    await page.waitForURL(/\/opinions\/track\/[2-9A-HJ-NP-Z]{10}\?sent=1$/, { timeout: 60_000 });
    await assertAccessible(page, 'acknowledgement');
    const code = (await page.locator('.xs-tracking-code').textContent()) ?? '';
    assert.match(code, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    const op = await t.ctx.database.db.selectFrom('opinions').selectAll().where('tracking_code', '=', code.replace('-', '')).executeTakeFirstOrThrow();

    const member = await userOf(t.ctx, w.member);
    await acceptOpinion(t.ctx, member, op.id);
    await replyToOpinion(t.ctx, member, op.id, { reply: '已安排镇村建办在本周内修补。' });
    await page.reload();
    await assertAccessible(page, 'tracking view with the rating form');
    await page.check('#f-handling');
    await page.check('#f-result-2');
    await page.click('button:has-text("提交评价")');
    await page.waitForURL(/done=rated$/);
    assert.match(await page.locator('main').textContent() ?? '', /已办结/);
  });

  it('without JavaScript the form says how to send, and a signed-in citizen sends and withdraws; lookup, withdraw check and "my opinions" pass axe', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { browser, baseUrl, t, page: jsPage, context: jsContext } = rig;
    const token = await createSession(t.ctx.database.db, w.citizen);
    const session = { name: SESSION_COOKIE, value: encodeURIComponent(t.app.signCookie(token)), url: baseUrl };
    // axe runs inside the page, so it needs JavaScript: the same pages are checked with it on.
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/opinions/new`);
      assert.match(await page.locator('main').textContent() ?? '', /您的浏览器没有开启 JavaScript/);
      await context.addCookies([session]);
      await page.goto(`${baseUrl}/opinions/new?body=${w.liaisonGroup}`);
      await page.fill('#f-title', '公园缺少公共厕所');
      await page.fill('#f-body', '城关镇滨河公园只有一个公共厕所，节假日排队很长，建议增设。');
      await page.selectOption('#f-category', 'urban');
      await page.selectOption('#f-regionId', String(w.township));
      await page.click('button:has-text("下一步：预览")');
      await page.click('button:has-text("确认发送")');
      await page.waitForURL(/sent=1$/);
      await page.click('button:has-text("撤回这件意见")');
      await page.click('button:has-text("确认撤回")');
      await page.waitForURL(/done=withdrawn$/);
      assert.match(await page.locator('main').textContent() ?? '', /已撤回/);
    } finally {
      await context.close();
    }

    await jsPage.goto(`${baseUrl}/opinions/track?code=abcde-fghjk`);
    await assertAccessible(jsPage, 'lookup form');
    assert.equal(await jsPage.inputValue('#f-code'), 'ABCDE-FGHJK');
    await jsContext.addCookies([session]);
    await jsPage.goto(`${baseUrl}/opinions/new`);
    await assertAccessible(jsPage, 'sending form, signed in');
    await jsPage.goto(`${baseUrl}/my/opinions`);
    await assertAccessible(jsPage, 'my opinions');
    assert.match(await jsPage.locator('table').textContent() ?? '', /公园缺少公共厕所/);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: await userOf(t.ctx, w.citizen) }, sampleOpinion(w, { title: '夜市油烟扰民' }));
    await jsPage.goto(`${baseUrl}/opinions/track/${sent.trackingCode}`);
    await assertAccessible(jsPage, 'tracking view');
    await jsPage.click('button:has-text("撤回这件意见")');
    await jsPage.waitForSelector('h1:has-text("确认撤回")');
    await assertAccessible(jsPage, 'withdraw check');
  });
});
