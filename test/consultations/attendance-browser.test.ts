import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { PHONE, type BrowserRig, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, makeConsultationWorld, postAndId } from './world.js';

// On a phone without JavaScript: an invited member sees their sign-in code; staff sign the
// member in at the desk with it, then tick the department's representative on the attendance
// list. Every page is checked with axe, in Chinese and English.

describe('browser: participants’ attendance, without JavaScript', () => {
  let rig: BrowserRig | null = null;
  let w: ConsultationWorld;
  let id = 0;

  const prepare = async (t: TestApp) => {
    w = await makeConsultationWorld(t.ctx);
    await t.app.ready();
    const staff = await signedInJar(t.app, t.ctx, w.staff);
    const day = dayOffset(15);
    id = await postAndId(t.app, '/admin/consultations', {
      title: '农村饮水安全界别协商会', form: 'sector', mode: 'in_person', leadBodyId: String(w.committee), year: day.slice(0, 4), startsAt: `${day}T14:30`, place: '县政协二楼', isPublic: 'on',
    }, staff, /consultations\/(\d+)/);
    await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'member', userId: String(w.member) }, staff);
    await postForm(t.app, `/admin/consultations/${id}/participants`, { kind: 'department', bodyId: String(w.department), name: '张副局长', role: '副局长' }, staff);
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare, javaScript: false }); });
  after(async () => { await rig?.close(); });

  async function as(userId: number, locale = 'zh-CN'): Promise<{ context: BrowserContext; page: Page }> {
    const r = rig as BrowserRig;
    const context = await r.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale, bypassCSP: true, javaScriptEnabled: false, extraHTTPHeaders: { 'accept-language': locale } });
    const token = await createSession(r.t.ctx.database.db, userId);
    await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(r.t.app.signCookie(token)), url: r.baseUrl }]);
    return { context, page: await context.newPage() };
  }

  async function check(page: Page, path: string, label: string): Promise<void> {
    if (path) assert.equal((await page.goto(`${(rig as BrowserRig).baseUrl}${path}`))?.status(), 200, `${label}: ${path}`);
    assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
    await assertAccessible(page, label);
  }

  it('the member’s code, the desk, and the attendance list', { timeout: 120_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const m = await as(w.member);
    await check(m.page, `/consultations/${id}/attendance`, 'my sign-in code');
    const code = /(\d{6})/.exec(await m.page.locator('.xs-code').innerText())?.[1] as string;
    assert.ok(code);
    const en = await as(w.member, 'en');
    await check(en.page, `/consultations/${id}/attendance`, 'my sign-in code (en)');
    assert.match(await en.page.locator('main').innerText(), /Your sign-in code:/);

    const s = await as(w.staff);
    await check(s.page, `/admin/consultations/${id}`, 'consultation editor');
    await s.page.locator('main a', { hasText: '参会人员签到' }).click();
    await s.page.waitForURL(/\/attendance$/);
    await check(s.page, '', 'attendance list');
    await s.page.locator('main a', { hasText: '签到台' }).click();
    await s.page.locator('#f-code').fill(code);
    await s.page.locator('main button', { hasText: '签到' }).click();
    await s.page.waitForLoadState('load');
    assert.match(await s.page.locator('main').innerText(), /李委员/);
    await check(s.page, `/admin/consultations/${id}/attendance`, 'attendance list, member signed in');
    assert.equal(await s.page.locator('main input[type=checkbox]:checked').count(), 1);
    await s.page.locator('main label', { hasText: '张副局长' }).click();
    await s.page.locator('main button', { hasText: '保存签到情况' }).click();
    await s.page.waitForURL(/done=saved/);
    await check(s.page, '', 'attendance list, saved');
    assert.equal(await s.page.locator('main input[type=checkbox]:checked').count(), 2);
    const es = await as(w.staff, 'en');
    await check(es.page, `/admin/consultations/${id}/attendance`, 'attendance list (en)');
    assert.match(await es.page.locator('main').innerText(), /2 present \(of 2 invited\)/);

    await check(m.page, `/consultations/${id}/attendance`, 'my sign-in code, signed in');
    assert.match(await m.page.locator('main').innerText(), /您已于 .* 签到/);
    for (const c of [m, en, s, es]) await c.context.close();
  });
});
