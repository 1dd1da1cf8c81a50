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

/** Fails with a readable list when axe finds anything. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const v = await axe(page);
  if (v.length) {
    const lines = v.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
    throw new Error(`axe found ${v.length} problem(s) on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
}
