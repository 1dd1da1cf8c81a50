import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TestContext } from 'node:test';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type TestApp, createTestApp } from '../helpers/app.js';

const CHROMIUM = process.env.XS_CHROMIUM ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** A phone-sized viewport: the citizens we build for are mostly on cheap phones. */
export const PHONE = { width: 375, height: 740 };

export interface BrowserRig {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Starts the app on a random port over a fresh database and opens Chromium on it.
 * Without Chromium the suite is skipped locally, and fails under CI=true.
 */
export async function openRig(
  tc: TestContext | { skip(msg: string): void },
  opts: { prepare?: (t: TestApp) => Promise<void>; javaScript?: boolean; setupDone?: boolean } = {},
): Promise<BrowserRig | null> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}; CI must install it (apt-get install chromium)`);
    tc.skip(`Chromium not found at ${CHROMIUM}`);
    return null;
  }
  const t = await createTestApp({}, { setupDone: opts.setupDone });
  await opts.prepare?.(t);
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  // bypassCSP only so axe can be injected; the pages themselves run under the real CSP headers.
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', bypassCSP: true, javaScriptEnabled: opts.javaScript ?? true });
  const page = await context.newPage();
  return {
    t, baseUrl: address, browser, context, page,
    async close() {
      await context.close();
      await browser.close();
      await t.close();
    },
  };
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** Runs axe-core on the current page; returns violations (WCAG 2.x A and AA rules and best practices). */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return result;
}

/**
 * True when the page's context has JavaScript turned off. There, timers never fire, so axe (which
 * schedules its work with setTimeout) would wait forever inside the page.
 */
async function scriptsDisabled(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    let fired = false;
    const probe = document.createElement('div');
    probe.addEventListener('probe', () => { fired = true; });
    probe.dispatchEvent(new Event('probe'));
    return !fired;
  });
}

/**
 * axe for a page shown without JavaScript: the same markup (as parsed with scripts off) is served
 * again at the same address to a twin page with JavaScript on, whose own scripts are blocked, so
 * axe checks exactly what the no-JavaScript visitor got, with the real stylesheets and viewport.
 */
async function axeWithoutScripts(page: Page): Promise<AxeViolation[]> {
  const html = await page.content();
  const url = page.url();
  const browser = page.context().browser();
  if (!browser) throw new Error('axe without JavaScript needs a page opened from a Browser');
  const twin = await browser.newContext({ viewport: page.viewportSize() ?? PHONE, locale: 'zh-CN', bypassCSP: true });
  try {
    await twin.route('**/*', (route) => {
      const req = route.request();
      // The twin makes one navigation (to the page's own address): it gets the captured markup, never the server's.
      if (req.isNavigationRequest()) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      if (req.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    const copy = await twin.newPage();
    await copy.goto(url);
    return await axe(copy);
  } finally {
    await twin.close();
  }
}

/** Fails with a readable list when axe finds anything. Works on pages with JavaScript off too. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const v = (await scriptsDisabled(page)) ? await axeWithoutScripts(page) : await axe(page);
  if (v.length) {
    const lines = v.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
    throw new Error(`axe found ${v.length} problem(s) on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
}
