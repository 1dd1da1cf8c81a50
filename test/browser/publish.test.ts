import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../src/modules/demo/seed.js';
import { hashPassword } from '../../src/platform/auth/passwords.js';
import { type BrowserRig, assertAccessible, openRig } from './browser.js';

const PASSWORD = 'demo-password-for-tests';

// The administrator's main path: sign in with a password, write news, publish it, and see it
// on the public site (list, item, search) as an anonymous visitor.
describe('browser: an administrator publishes news', () => {
  let rig: BrowserRig | null = null;
  before(async (tc) => {
    rig = await openRig(tc as never, {
      setupDone: false,
      prepare: async (t) => {
        await seedDemo(t.ctx);
        await t.ctx.database.db.updateTable('users').set({ password_hash: await hashPassword(PASSWORD) }).where('username', '=', 'admin').execute();
      },
    });
  });
  after(async () => { await rig?.close(); });

  it('signs in, is refused an empty form with an error summary, publishes, and the public sees it', { timeout: 120_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl } = rig;
    await page.goto(`${baseUrl}/sign-in`);
    await page.locator('#f-username').fill('admin');
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('form[action="/sign-in/password"] button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${baseUrl}/admin/content`);
    await assertAccessible(page, 'content list');
    await page.goto(`${baseUrl}/admin/content/news/new`);
    await assertAccessible(page, 'news editor');

    // Nothing filled in: the form comes back with an error summary that takes focus.
    await page.locator('button[name=intent][value=publish]').click();
    await page.waitForSelector('.xs-error-summary');
    assert.match(await page.title(), /^错误：/);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('xs-error-summary')), true);
    await assertAccessible(page, 'news editor with errors');

    const title = '城东社区养老服务站正式启用';
    await page.locator('#f-title').fill(title);
    await page.locator('#f-body_md').fill('## 服务内容\n\n助餐、助洁、日间照料。**欢迎**老年朋友前来。');
    await page.locator('button[name=intent][value=publish]').click();
    await page.waitForURL(/\/admin\/content\/news\/\d+/);
    await assertAccessible(page, 'published news in the editor');

    // A visitor without an account: a fresh context, no cookies.
    const visitor = await rig.browser.newContext({ viewport: { width: 375, height: 740 }, bypassCSP: true });
    const v = await visitor.newPage();
    await v.goto(`${baseUrl}/news`);
    await v.getByRole('link', { name: title }).click();
    await v.waitForURL(/\/news\/\d+$/);
    assert.equal(await v.locator('h1').textContent(), title);
    assert.equal(await v.locator('main h2').first().textContent(), '服务内容');
    await assertAccessible(v, 'published news item');
    await v.goto(`${baseUrl}/search?q=${encodeURIComponent('养老服务站')}`);
    assert.ok(await v.getByRole('link', { name: title }).count() > 0, 'the new item is found by search');
    await visitor.close();
  });

  // Every staff and account page template, as the administrator (still signed in above).
  const ADMIN_PAGES = ['/admin', '/admin/regions', '/admin/regions/new', '/admin/bodies', '/admin/bodies/new', '/admin/sectors',
    '/admin/sectors/new', '/admin/terms', '/admin/terms/new', '/admin/users', '/admin/users/new', '/admin/users/1',
    '/admin/users/1/account', '/admin/users/1/password', '/admin/users/1/profile', '/admin/users/1/memberships', '/admin/import',
    '/admin/tokens', '/admin/outbox', '/admin/privacy', '/admin/content', '/admin/content/pages/new', '/admin/regions/1',
    '/account', '/account/security', '/account/data', '/account/erase'];
  it('every staff page template is accessible', { timeout: 180_000 }, async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl } = rig;
    for (const path of ADMIN_PAGES) {
      const res = await page.goto(`${baseUrl}${path}`);
      assert.equal(res?.status(), 200, `${path} answered ${res?.status()}`);
      assert.equal(await page.locator('h1').count(), 1, `${path} has one h1`);
      await assertAccessible(page, path);
    }
  });
});
