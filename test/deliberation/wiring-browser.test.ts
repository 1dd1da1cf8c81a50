import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { recordVote } from '../../src/modules/deliberation/participation.js';
import { recomputeNow } from '../../src/modules/deliberation/recompute.js';
import { loadCurrentUser } from '../../src/platform/auth/current-user.js';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { PHONE, type BrowserRig, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { type People, createThroughForm, people } from './wiring-helpers.js';

// On a phone with JavaScript off: a citizen votes with the three buttons and adds a statement,
// a moderator accepts it, everyone sees the results with the opinion map. axe on every page.

describe('browser: deliberating on a phone without JavaScript', () => {
  let rig: BrowserRig | null = null;
  let p: People;
  let id = 0;

  const prepare = async (t: TestApp) => {
    await t.app.ready();
    p = await people(t.app, t.ctx);
    id = (await createThroughForm(t.app, p.staff, {
      owner: `body:${p.bodyId}`, title: '菜市场搬迁', description: '关于城东菜市场搬迁方案的网上讨论。',
      seeds: '菜市场应搬到新区\n搬迁应保留早市\n应增加公交线路\n摊位费不应上涨\n旧址应建停车场\n应听取摊主意见\n搬迁应分期进行',
    })).id;
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare, javaScript: false }); });
  after(async () => { await rig?.close(); });

  async function as(userId: number): Promise<{ context: BrowserContext; page: Page }> {
    const r = rig as BrowserRig;
    const context = await r.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: false });
    const token = await createSession(r.t.ctx.database.db, userId);
    await context.addCookies([{ name: SESSION_COOKIE, value: encodeURIComponent(r.t.app.signCookie(token)), url: r.baseUrl }]);
    context.setDefaultTimeout(20_000);
    return { context, page: await context.newPage() };
  }

  async function check(page: Page, path: string | null, label: string): Promise<void> {
    if (path) {
      const res = await page.goto(`${(rig as BrowserRig).baseUrl}${path}`);
      assert.equal(res?.status(), 200, `${label}: ${path}`);
    }
    assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${label}: no sideways scrolling (${width}px)`);
    await assertAccessible(page, label);
  }

  it('a citizen votes and adds a statement; a moderator accepts it; the results show the map', { timeout: 180_000 }, async () => {
    if (!rig) return;
    const { context, page } = await as(p.citizenId);
    await check(page, '/deliberations', 'list');
    await page.getByRole('link', { name: '菜市场搬迁' }).click();
    await check(page, null, 'participant page');
    for (const label of ['赞同', '反对', '略过']) {
      await page.getByRole('button', { name: label, exact: true }).click();
      assert.match(await page.locator('[role=status]').innerText(), /已记录你的表态/);
    }
    assert.match(await page.locator('body').innerText(), /你已对 3 \/ 7 条观点表态/);
    await check(page, null, 'participant page after voting');
    // The field's maxlength keeps a browser under the limit; a client that ignores it meets the server's check.
    await page.getByLabel('观点', { exact: true }).evaluate((el) => el.removeAttribute('maxlength'));
    await page.getByLabel('观点', { exact: true }).fill('x'.repeat(141));
    await page.getByRole('button', { name: '提交观点' }).click();
    assert.match(await page.title(), /^错误：/);
    await check(page, null, 'statement too long');
    await page.getByLabel('观点', { exact: true }).fill('新址应有无障碍通道');
    await page.getByRole('button', { name: '提交观点' }).click();
    assert.match(await page.locator('[role=status]').innerText(), /经主持人审核后显示/);
    await context.close();

    const staff = await as(p.staffId);
    await check(staff.page, `/deliberations/${id}/moderate`, 'moderation');
    assert.match(await staff.page.locator('body').innerText(), /新址应有无障碍通道/);
    await staff.page.getByRole('button', { name: '同意显示' }).click();
    assert.match(await staff.page.locator('[role=status]').innerText(), /审核结果已保存/);
    await check(staff.page, '/deliberations/manage', 'manage list');
    await check(staff.page, '/deliberations/new', 'new deliberation');
    await check(staff.page, '/deliberations/import', 'import');
    await staff.context.close();

    // Enough people for opinion groups (their votes through the service), then the results.
    const t = rig.t;
    const statements = (await t.ctx.database.db.selectFrom('deliberation_statements').select('id').where('deliberation_id', '=', id).where('status', '=', 'accepted').orderBy('id').execute()).map((r) => r.id);
    for (let i = 0; i < 20; i++) {
      const user = await loadCurrentUser(t.ctx.database.db, await makeUser(t.ctx, { name: `居民${i}` }));
      for (const [k, s] of statements.entries()) await recordVote(t.ctx, user, id, { statement: String(s), vote: (i < 10) === (k % 2 === 0) ? 'agree' : 'disagree' });
    }
    await recomputeNow(t.ctx, id);
    const anon = await rig.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: false });
    const pub = await anon.newPage();
    await check(pub, `/deliberations/${id}/results`, 'results');
    assert.equal(await pub.locator('figure svg[role=img]').count(), 1);
    assert.match(await pub.locator('body').innerText(), /A 群/);
    await anon.close();
  });
});
