import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BrowserRig, assertAccessible, openRig } from './browser.js';

// First-run setup, a citizen signing in with a texted code, and the account and personal-
// data pages, on a phone, without and with JavaScript; axe on every template.
describe('browser: setup, sign-in and personal data', () => {
  let rig: BrowserRig | null = null;
  before(async (tc) => {
    rig = await openRig(tc as never, {
      prepare: async (t) => { await t.ctx.database.db.deleteFrom('settings').where('key', '=', 'setup_done').execute(); },
    });
  });
  after(async () => { await rig?.close(); });

  it('sets the site up, then lets the administrator reach their account pages', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl } = rig;
    await page.goto(`${baseUrl}/`);
    assert.match(page.url(), /\/setup$/);
    await assertAccessible(page, 'setup');
    await page.getByRole('button', { name: '完成设置' }).click();
    assert.match(await page.title(), /^错误：/);
    await assertAccessible(page, 'setup with errors');
    await page.getByLabel('组织名称（中文）').fill('青山县政协');
    await page.getByLabel('县（区）名称').fill('青山县');
    await page.getByLabel('行政区划代码').fill('330100');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('显示名称').fill('办公室 张明');
    await page.getByLabel('密码', { exact: true }).fill('correct horse battery');
    await page.getByLabel('再次输入密码').fill('correct horse battery');
    await page.getByRole('button', { name: '完成设置' }).click();
    for (const path of ['/account', '/account/security', '/account/data', '/account/erase', '/admin/privacy']) {
      const res = await page.goto(`${baseUrl}${path}`);
      assert.equal(res?.status(), 200, path);
      assert.equal(await page.locator('h1').count(), 1, path);
      await assertAccessible(page, path);
    }
    await page.goto(`${baseUrl}/account/security`);
    await page.getByRole('button', { name: '开启两步验证' }).click();
    assert.match(page.url(), /\/account\/security\/totp$/);
    await assertAccessible(page, 'TOTP set-up');
    await page.goto(`${baseUrl}/account`);
    await page.getByRole('button', { name: '退出登录' }).click();
  });

  const citizenFlow = async (rigNow: BrowserRig, page: import('playwright-core').Page, phone: string, checkAxe: boolean) => {
    const { baseUrl, t } = rigNow;
    const axeIf = (label: string) => (checkAxe ? assertAccessible(page, label) : Promise.resolve());
    await page.goto(`${baseUrl}/sign-in`);
    await axeIf('sign-in');
    await page.getByLabel('手机号码').fill(phone);
    await page.getByRole('button', { name: '发送验证码' }).click();
    assert.match(page.url(), /\/sign-in\/code$/);
    await axeIf('code form');
    const sms = await t.ctx.database.db.selectFrom('sms_messages').select('text').where('phone', '=', phone).executeTakeFirstOrThrow();
    const code = /(\d{6})/.exec(sms.text)?.[1] ?? '';
    await page.getByLabel('验证码').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '登录' }).last().click();
    assert.match(await page.title(), /^错误：/);
    await axeIf('code form with error');
    await page.getByLabel('验证码').fill(code);
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.goto(`${baseUrl}/account`);
    assert.match(await page.locator('main').innerText(), new RegExp(`${phone.slice(0, 3)}\\*{4}${phone.slice(-4)}`));
    await page.goto(`${baseUrl}/account/erase`);
    await page.getByLabel('请输入“注销”以确认').fill('注销');
    await page.getByRole('button', { name: '立即注销并删除我的信息' }).click();
    assert.match(page.url(), /\/account\/erased$/);
    await axeIf('erased');
  };

  it('signs a citizen in with a texted code and lets them close the account', async (tc) => {
    if (!rig) return tc.skip('no browser');
    await citizenFlow(rig, rig.page, '13800138000', true);
  });

  it('does the same without JavaScript', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const context = await rig.browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    try {
      await citizenFlow(rig, await context.newPage(), '13900139000', false);
    } finally {
      await context.close();
    }
  });
});
