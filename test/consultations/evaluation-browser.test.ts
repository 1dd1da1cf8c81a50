import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { updateActionItem } from '../../src/modules/actions/service.js';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { PHONE, type BrowserRig, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { postForm } from '../helpers/http.js';
import { userOf } from '../helpers/opinions.js';
import { REC_1, consultationWithOutcome, writeAndPublish } from './outcome-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// On a phone with JavaScript off (the form must not need it): a registrant opens the
// published outcome, follows the link to the evaluation, sends it empty (errors), then
// rates the consultation and the answered recommendation; the public page counts it.
// Every page is checked with axe.

describe('browser: participants’ evaluation on a phone, without JavaScript', () => {
  let rig: BrowserRig | null = null;
  let w: ConsultationWorld;
  let id = 0;

  const prepare = async (t: TestApp) => {
    w = await makeConsultationWorld(t.ctx);
    await t.app.ready();
    const staff = await signedInJar(t.app, t.ctx, w.staff);
    id = await consultationWithOutcome(t.app, w, staff, { title: '城区停车设施规划建设专题协商会' });
    assert.equal((await postForm(t.app, `/consultations/${id}/registration`, {}, await signedInJar(t.app, t.ctx, w.citizens[0] as number))).statusCode, 303);
    await writeAndPublish(t.app, w, staff, id);
    const item = await t.ctx.database.db.selectFrom('consultation_recommendations').select('action_item_id').where('consultation_id', '=', id).where('number', '=', 1).executeTakeFirstOrThrow();
    await updateActionItem(t.ctx, await userOf(t.ctx, w.deptHandler), item.action_item_id as number, 'answer', { text: '立体停车场已开工。', done: 'on' });
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare, javaScript: false }); });
  after(async () => { await rig?.close(); });

  async function check(page: Page, path: string, label: string): Promise<void> {
    if (path) assert.equal((await page.goto(`${(rig as BrowserRig).baseUrl}${path}`))?.status(), 200, `${label}: ${path}`);
    assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
    await assertAccessible(page, label);
  }

  it('a registrant evaluates through plain forms; the public page shows the counts', { timeout: 120_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const r = rig;
    const context = await r.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: false });
    const token = await createSession(r.t.ctx.database.db, w.citizens[0] as number);
    await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(r.t.app.signCookie(token)), url: r.baseUrl }]);
    const page = await context.newPage();
    await check(page, `/consultations/${id}`, 'consultation page with outcome and evaluation');
    assert.match(await page.locator('main').innerText(), /还没有人评价/);
    await page.locator('main a', { hasText: '参与评价' }).click();
    await page.waitForURL(/\/evaluation$/);
    await check(page, '', 'evaluation form');
    await page.locator('main button', { hasText: '提交评价' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.title(), /^错误：/);
    await check(page, '', 'evaluation form with errors');
    await page.locator('label', { hasText: '基本满意' }).first().click();
    await page.locator(`label[for="f-rec_1"]`).click();
    await page.locator('#f-comment').fill('会前材料可以早些发');
    await page.locator('main button', { hasText: '提交评价' }).click();
    await page.waitForURL(/done=saved/);
    await check(page, '', 'evaluation saved');
    await context.close();

    const pub = await r.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: false });
    const p = await pub.newPage();
    await check(p, `/consultations/${id}`, 'public page with evaluation counts');
    const main = await p.locator('main').innerText();
    assert.match(main, /共 1 人评价/);
    assert.ok(main.includes(REC_1));
    assert.match(main, /办理结果评价：1 人：满意 1 人/);
    assert.doesNotMatch(main, /会前材料可以早些发/);
    await pub.close();

    const org = await r.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: false });
    await org.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(r.t.app.signCookie(await createSession(r.t.ctx.database.db, w.staff))), url: r.baseUrl }]);
    const o = await org.newPage();
    await check(o, `/admin/consultations/${id}/evaluations`, 'organisers’ evaluation page');
    assert.match(await o.locator('main').innerText(), /会前材料可以早些发/);
    await org.close();
  });
});
