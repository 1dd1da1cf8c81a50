import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BrowserRig, assertAccessible, openRig } from '../../../test/browser/browser.js';
import { seedDemo } from '../demo/seed.js';

// The main path of the directory in a real browser, with JavaScript off: filter by a
// sector and a township through the GET form, page on, open a profile; axe on each page.
describe('member directory in the browser', () => {
  let rig: BrowserRig | null = null;
  before(async (tc) => {
    rig = await openRig(tc as never, { setupDone: false, prepare: async (t) => { await seedDemo(t.ctx); } });
  });
  after(async () => { await rig?.close(); });

  it('filters without JavaScript, opens a profile, and passes axe', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl } = rig;
    await page.goto(`${baseUrl}/members`);
    await assertAccessible(page, 'member directory');
    assert.equal(await page.locator('h1').count(), 1);
    await page.selectOption('#f-sector', { label: '教育界' });
    await page.selectOption('#f-township', { label: '龙泉镇' });
    await page.click('form[action="/members"] button[type=submit]');
    await page.waitForURL(/sector=\d+/);
    assert.match(page.url(), /township=\d+/);
    const metas = await page.locator('.xs-list > li > div.xs-list__meta:first-of-type').allTextContents();
    assert.ok(metas.length > 0, 'no member listed');
    for (const m of metas) assert.match(m, /^教育界 · 龙泉镇/);
    assert.equal(await page.locator('#f-sector option:checked').textContent(), '教育界');
    await page.locator('.xs-list__title').first().click();
    await page.waitForURL(/\/members\/\d+$/);
    await assertAccessible(page, 'member profile');
    assert.match(await page.locator('dl.xs-summary').textContent() ?? '', /教育界/);
    await page.goto(`${baseUrl}/members?term=abc`);
    await assertAccessible(page, 'directory error');
    assert.match(await page.locator('main').textContent() ?? '', /届次/);
  });

  it('works in English and in the elderly-friendly mode', async (tc) => {
    if (!rig) return tc.skip('no browser');
    const { page, baseUrl } = rig;
    await page.goto(`${baseUrl}/prefs?lang=en&care=1&next=/members?page=2`);
    await assertAccessible(page, 'member directory (English, large text)');
    assert.match(await page.locator('h1').textContent() ?? '', /Member directory/);
    assert.match(await page.locator('.xs-pagination__status').textContent() ?? '', /Page 2 of 7/);
  });
});
