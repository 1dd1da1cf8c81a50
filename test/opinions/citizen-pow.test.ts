import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { type PowChallenge, newChallenge, spendProof } from '../../src/modules/opinions/pow.js';
import type { AppContext } from '../../src/context.js';
import { createTestContext } from '../helpers/app.js';
import { opinionLimits } from './citizen-helpers.js';

// The browser side of the proof of work: src/web/assets/pow.js itself, run against a tiny
// stand-in for the page, must produce a `proof` the server accepts (with crypto.subtle, and
// with its own SHA-256 for pages served over plain HTTP, where crypto.subtle is missing).

const SOURCE = readFileSync(new URL('../../src/web/assets/pow.js', import.meta.url), 'utf8');

function runPowScript(challenge: PowChallenge, subtle: boolean) {
  const input = { value: '' };
  const status = { textContent: '' };
  const submitted: unknown[] = [];
  let onSubmit: ((e: unknown) => void) | null = null;
  const form = { addEventListener: (type: string, fn: (e: unknown) => void) => { if (type === 'submit') onSubmit = fn; }, requestSubmit: (b: unknown) => submitted.push(b) };
  const attrs: Record<string, string> = { 'data-challenge': JSON.stringify(challenge), 'data-working': 'working', 'data-done': 'done', 'data-failed': 'failed' };
  const box = {
    closest: () => form,
    querySelector: (sel: string) => (sel === '[data-pow-proof]' ? input : sel === '[data-pow-status]' ? status : null),
    getAttribute: (name: string) => attrs[name] ?? null,
  };
  const document = { readyState: 'complete', querySelectorAll: () => [box], addEventListener: () => undefined };
  vm.runInNewContext(SOURCE, { window: { crypto: subtle ? globalThis.crypto : undefined }, document, TextEncoder, btoa, setTimeout });
  const settled = async () => {
    for (let i = 0; i < 2000 && status.textContent === 'working'; i++) await new Promise((r) => setTimeout(r, 5));
    return status.textContent;
  };
  return { input, settled, submitted, submit: (e: unknown) => onSubmit?.(e) };
}

describe('pow.js (the browser’s proof of work)', () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ ctx, cleanup } = await createTestContext({ opinions: opinionLimits }));
  });
  after(() => cleanup());

  for (const subtle of [true, false]) {
    it(`solves the embedded challenge and fills the proof the server accepts once (${subtle ? 'crypto.subtle' : 'own SHA-256'})`, async () => {
      const page = runPowScript(await newChallenge(ctx), subtle);
      assert.equal(await page.settled(), 'done');
      assert.ok(page.input.value.length > 20);
      assert.equal(await spendProof(ctx, ctx.database.db, page.input.value), true);
      assert.equal(await spendProof(ctx, ctx.database.db, page.input.value), false, 'spent');
    });
  }

  it('holds a "send" pressed before the check is done and sends once it is; a second press does nothing', async () => {
    const page = runPowScript(await newChallenge(ctx), false);
    const button = { hasAttribute: (n: string) => n === 'data-pow-send' };
    let prevented = 0;
    const event = () => ({ submitter: button, preventDefault: () => { prevented++; } });
    page.submit(event());
    assert.equal(prevented, 1, 'held while working');
    assert.equal(await page.settled(), 'done');
    assert.deepEqual(page.submitted, [button], 'sent by the script once the proof is there');
    page.submit(event());
    assert.equal(prevented, 1, 'the real submission goes through');
    page.submit(event());
    assert.equal(prevented, 2, 'a double press is swallowed');
    const other = { hasAttribute: () => false };
    page.submit({ submitter: other, preventDefault: () => { prevented++; } });
    assert.equal(prevented, 2, '"edit" and "new code" are never held');
  });

  it('says so when no number up to maxnumber solves it', async () => {
    const c = await newChallenge(ctx);
    const page = runPowScript({ ...c, challenge: '0'.repeat(64), maxnumber: 50 }, true);
    assert.equal(await page.settled(), 'failed');
    assert.equal(page.input.value, '');
  });
});
