import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { seedDemo } from '../../src/modules/demo/seed.js';
import { type BrowserRig, assertAccessible, openRig } from './browser.js';

/** Loads a page and returns the bytes transferred for it and its CSS and scripts. */
async function visit(page: Page, url: string): Promise<{ status: number; bytes: number }> {
  let bytes = 0;
  const onResponse = async (r: { url(): string; body(): Promise<Buffer> }) => {
    try { bytes += (await r.body()).length; } catch { /* redirects have no body */ }
  };
  page.on('response', onResponse);
  const res = await page.goto(url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return { status: res?.status() ?? 0, bytes };
}

// Every public page template of the portal, on the demo county, on a phone.
const TEMPLATES: [string, (p: Page) => Promise<string>][] = [
  ['home', async () => '/'],
  ['overview', async () => '/about'],
  ['rules', async () => '/about/rules'],
  ['duties', async () => '/about/duties'],
  ['a rules page', async (p) => { await p.goto('/about/rules'.replace(/^/, base)); return (await p.locator('main a[href^="/pages/"]').first().getAttribute('href')) ?? '/missing'; }],
  ['member directory (filtered)', async () => '/members?sector=1'],
  ['member directory', async () => '/members'],
  ['a member profile', async (p) => { await p.goto(`${base}/members`); return (await p.locator('main a[href^="/members/"]').first().getAttribute('href')) ?? '/missing'; }],
  ['news list', async () => '/news'],
  ['announcements', async () => '/news?kind=announcement'],
  ['a news item', async (p) => { await p.goto(`${base}/news`); return (await p.locator('main a[href^="/news/"]').first().getAttribute('href')) ?? '/missing'; }],
  ['bodies', async () => '/bodies'],
  ['a body', async (p) => { await p.goto(`${base}/bodies`); return (await p.locator('main a[href^="/bodies/"]').first().getAttribute('href')) ?? '/missing'; }],
  ['search', async () => `/search?q=${encodeURIComponent('养老')}`],
  ['search, no results', async () => `/search?q=${encodeURIComponent('不存在的词语组合')}`],
  ['public opinions', async () => '/opinions'],
  ['public opinions (filtered)', async () => '/opinions?status=replied'],
  ['opinion statistics', async () => '/opinions/stats'],
  ['opinion hotspots', async () => '/opinions/hotspots'],
  ['sign-in', async () => '/sign-in'],
  ['privacy notice', async () => '/privacy'],
  ['API docs', async () => '/api/docs'],
];
let base = '';

for (const js of (process.env.XS_BROWSER_JS === 'off' ? [false] : [true, false])) {
  describe(`browser: the portal on the demo county, JavaScript ${js ? 'on' : 'off'}`, () => {
    let rig: BrowserRig | null = null;
    before(async (tc) => {
      rig = await openRig(tc as never, { javaScript: js, setupDone: false, prepare: async (t) => { await seedDemo(t.ctx); } });
      base = rig?.baseUrl ?? '';
    });
    after(async () => { await rig?.close(); });

    for (const [name, urlOf] of TEMPLATES) {
      it(`${name}: loads, one h1, ${js ? 'axe clean, ' : ''}under 100 KB with its assets`, { timeout: 60_000 }, async (tc) => {
        if (!rig) return tc.skip('no browser');
        base = rig.baseUrl;
        const path = await urlOf(rig.page);
        const { status, bytes } = await visit(rig.page, `${rig.baseUrl}${path}`);
        assert.equal(status, 200, `${path} answered ${status}`);
        assert.equal(await rig.page.locator('h1').count(), 1, `${path} has one h1`);
        assert.ok(bytes < 100 * 1024, `${path} weighs ${bytes} bytes`);
        // axe runs in the page's JavaScript, so it checks the (identical) markup in the JS-on pass.
        if (js) await assertAccessible(rig.page, `${name} (${path})`);
      });
    }

    it('search finds a two-character word and the member filter narrows the list', async (tc) => {
      if (!rig) return tc.skip('no browser');
      const { page, baseUrl } = rig;
      await page.goto(`${baseUrl}/`);
      await page.locator('#site-q').fill('停车');
      await page.locator('form[role=search] button').click();
      await page.waitForURL(/\/search\?q=/);
      assert.ok(await page.locator('main mark').count() > 0, 'matches are marked');
      await page.goto(`${baseUrl}/members`);
      const all = await page.locator('main a[href^="/members/"]').count();
      await page.locator('main select').first().selectOption({ index: 1 });
      await page.locator('main form button[type=submit]').first().click();
      await page.waitForURL(/\/members\?/);
      const filtered = await page.locator('main a[href^="/members/"]').count();
      assert.ok(filtered > 0 && filtered <= all, `filtered ${filtered} of ${all}`);
    });
  });
}
