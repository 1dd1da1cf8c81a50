import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { acceptOpinion, forwardOpinion, replyToOpinion } from '../../src/modules/opinions/handling.js';
import { rateOpinion } from '../../src/modules/opinions/citizen.js';
import { loadOpinion } from '../../src/modules/opinions/access.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { type BrowserRig, PHONE, assertAccessible as axeCheck, openRig } from '../browser/browser.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// Every handler and department template in a phone-sized Chromium: axe finds nothing, one
// h1, under 100 KB; the same flows (forms, bulk, errors) work with JavaScript turned off.

describe('browser: the handlers\' pages are accessible', () => {
  let rig: BrowserRig | null = null;
  let w: OpinionWorld;
  const ids: Record<string, number> = {};

  before(async (tc) => {
    rig = await openRig(tc as never, {
      prepare: async (t) => {
        w = await makeOpinionWorld(t.ctx);
        const c = await userOf(t.ctx, w.citizen);
        const m = await userOf(t.ctx, w.member);
        const send = (o: Record<string, unknown>) => submitOpinion(t.ctx, { kind: 'user', user: c }, sampleOpinion(w, o));
        await t.ctx.database.db.updateTable('opinion_categories').set({ default_body_id: w.specialCommittee }).where('key', '=', 'health').execute();
        ids.routed = (await send({ title: '乡镇卫生院看病难', body: '乡镇卫生院医生太少，老人看病要排很久的队，希望增加医生。', category: 'health', target: 'route' })).id;
        ids.fresh = (await send({ title: '小区停车难问题', body: '东门社区老旧小区车位严重不足，晚上车辆占用消防通道。' })).id;
        ids.done = (await send({ title: '路灯不亮', body: '东门社区主干道路灯坏了两周，晚上出行很不安全。' })).id;
        await acceptOpinion(t.ctx, m, ids.done);
        ids.item = await forwardOpinion(t.ctx, m, ids.done, { departmentId: String(w.department), instructions: '请现场核实并答复群众' });
        await replyToOpinion(t.ctx, m, ids.done, { reply: '已转住建局办理，本周内修复。' });
        await rateOpinion(t.ctx, await loadOpinion(t.ctx.database.db, ids.done), { handling: 1, result: 1, comment: '太慢了' });
        await t.ctx.database.db.updateTable('opinions').set({ accept_due: '2020-01-06' }).where('id', '=', ids.fresh).execute();
      },
    });
  });
  after(async () => { await rig?.close(); });

  const signIn = async (context: BrowserContext, userId: number) => {
    if (!rig) return;
    const token = await createSession(rig.t.ctx.database.db, userId);
    await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(rig.t.app.signCookie(token)), url: rig.baseUrl }]);
  };

  // axe needs scripts in the page: without JavaScript the same flows run, checked by status and content.
  let withAxe = true;
  const assertAccessible = async (page: import('playwright-core').Page, label: string) => { if (withAxe) await axeCheck(page, label); };

  const check = async (page: import('playwright-core').Page, path: string, label = path) => {
    if (!rig) return;
    const res = await page.goto(`${rig.baseUrl}${path}`);
    assert.equal(res?.status(), 200, label);
    assert.equal(await page.locator('h1').count(), 1, label);
    const size = (await res?.body())?.length ?? 0;
    assert.ok(size < 100_000, `${label}: ${size} bytes`);
    await assertAccessible(page, label);
  };

  for (const javaScript of [true, false]) {
    it(javaScript ? 'passes axe on every handler page' : 'works without JavaScript', { timeout: 180_000 }, async (tc) => {
      if (!rig) return tc.skip('no browser');
      withAxe = javaScript;
      const context = await rig.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: javaScript });
      const page = await context.newPage();
      await signIn(context, w.staff);
      await check(page, '/handle/opinions?body=' + w.committee, 'committee inbox');
      await check(page, `/handle/opinions?body=${w.committee}&status=open&overdue=1&q=停车&sort=due`, 'filtered inbox');
      await check(page, `/handle/opinions/${ids.routed}`, 'opinion with a routing suggestion');
      await check(page, `/handle/opinions/${ids.done}`, 'replied opinion with ratings and an action item');
      await check(page, '/handle/overdue', 'overdue board');
      await check(page, `/handle/actions/${ids.item}`, 'action item, read-only for the assigning body');

      // A form with an error: the title says so, the summary is there, axe still passes.
      await page.goto(`${rig.baseUrl}/handle/opinions/${ids.fresh}`);
      await page.locator(`form[action="/handle/opinions/${ids.fresh}/decline"] button[type=submit]`).click();
      await page.waitForSelector('.xs-error-summary');
      assert.match(await page.title(), /^错误：/);
      await assertAccessible(page, 'decline with an empty reason');

      // Bulk: tick two and accept them, without any script.
      await page.goto(`${rig.baseUrl}/handle/opinions?body=${w.committee}`);
      await page.locator(`#sel-${ids.fresh}`).check();
      await page.locator(`#sel-${ids.routed}`).check();
      await page.locator('button[name=action][value=accept]').click();
      await page.waitForSelector('text=批量操作结果');
      await assertAccessible(page, 'bulk results');

      // Draft a report from the opinion, then look at it.
      await page.goto(`${rig.baseUrl}/handle/opinions/${ids.done}`);
      await page.locator(`form[action="/handle/opinions/${ids.done}/report"] button[type=submit]`).click();
      await page.waitForURL(/\/handle\/reports\/\d+/);
      await assertAccessible(page, 'report draft');
      await page.locator('#f-title').fill('');
      await page.locator('button[name=intent][value=save]').click();
      await page.waitForSelector('.xs-error-summary');
      await assertAccessible(page, 'report with an error');
      await context.close();

      const dept = await rig.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: javaScript });
      const dp = await dept.newPage();
      await signIn(dept, w.deptHandler);
      await check(dp, '/handle/actions', 'department inbox');
      await check(dp, `/handle/actions/${ids.item}`, 'action item with forms');
      await dp.locator(`form[action="/handle/actions/${ids.item}/progress"] button[type=submit]`).click();
      await dp.waitForSelector('.xs-error-summary');
      await assertAccessible(dp, 'progress with an error');
      await dept.close();

      const adm = await rig.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: javaScript });
      const ap = await adm.newPage();
      await signIn(adm, w.admin);
      await check(ap, '/admin/opinion-categories', 'category clocks');
      await ap.locator('#f-accept-traffic').fill('99');
      await ap.locator('form:has(#f-accept-traffic) button[type=submit]').click();
      await ap.waitForSelector('.xs-error-summary');
      await assertAccessible(ap, 'category clocks with an error');
      await check(ap, '/handle/opinions?body=' + w.committee, 'the administrator\'s inbox');
      await adm.close();
    });
  }
});
