import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BrowserRig, assertAccessible, openRig } from './browser.js';

describe('browser: platform pages', () => {
  let rig: BrowserRig | null = null;
  before(async (tc) => { rig = await openRig(tc as never); });
  after(async () => { await rig?.close(); });

  it('renders the API documentation and the 404 page accessibly on a phone', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl } = rig;
    await page.goto(`${baseUrl}/api/docs`);
    assert.equal(await page.locator('h1').count(), 1);
    await assertAccessible(page, 'API docs');
    const res = await page.goto(`${baseUrl}/no-such-page`);
    assert.equal(res?.status(), 404);
    await assertAccessible(page, '404');
  });

  it('switches language and elderly mode, and the choice sticks', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl } = rig;
    await page.goto(`${baseUrl}/api/docs`);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/api\/docs$/);
    assert.equal(await page.locator('h1').textContent(), 'API documentation');
    await page.getByRole('link', { name: 'Large-text mode' }).click();
    assert.equal(await page.locator('body').getAttribute('class'), 'xs-care');
    await page.goto(`${baseUrl}/api/docs`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('body').getAttribute('class'), 'xs-care');
    await assertAccessible(page, 'API docs in care mode');
  });
});
