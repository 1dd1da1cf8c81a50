import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANG_COOKIE } from '../../src/http/request-context.js';
import { LIVE_PAGE_SIZE } from '../../src/modules/consultations/live-service.js';
import { WAITING_PAGE_SIZE } from '../../src/modules/consultations/live-waiting.js';
import { type BrowserRig, PHONE, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, postForm } from '../helpers/http.js';
import { makeLiveConsultation } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// With JavaScript on, the newest page's list of older questions still waiting follows the event
// stream: an answered or hidden question leaves it and the count goes down (also for one on a
// later page of the list, which the page does not show), a second answer or a question among
// the newest changes nothing there, and the list goes once none is waiting. Checked with axe.

describe('browser: the waiting list follows the stream', { timeout: 120_000 }, () => {
  let rig: BrowserRig | null = null;
  let w: ConsultationWorld;
  let big = 0; let small = 0;
  let bigIds: number[] = []; let smallIds: number[] = [];
  let registrant: Jar; let handler: Jar; let staff: Jar;

  const seed = async (t: TestApp, id: number, n: number) => {
    const now = new Date().toISOString();
    const rows = await t.ctx.database.db.insertInto('consultation_questions').values(Array.from({ length: n }, (_, i) => ({
      consultation_id: id, author_id: w.member, author_kind: 'member' as const, addressed_body_id: null, body: `第${i + 1}个问题：路灯什么时候修？`, status: 'queued' as const,
      hidden_reason: null, answered_at: null, created_at: now, updated_at: now,
    }))).returning('id').execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  };
  const prepare = async (t: TestApp) => {
    w = await makeConsultationWorld(t.ctx);
    big = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    small = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    bigIds = await seed(t, big, LIVE_PAGE_SIZE + WAITING_PAGE_SIZE + 5);
    smallIds = await seed(t, small, LIVE_PAGE_SIZE + 2);
    // One older question answered already: not waiting, not on the list.
    await t.ctx.database.db.updateTable('consultation_questions').set({ status: 'answered', answered_at: new Date().toISOString() }).where('id', '=', bigIds[WAITING_PAGE_SIZE + 3] as number).execute();
    await t.app.ready();
    [registrant, handler, staff] = await Promise.all([w.citizens[0] as number, w.deptHandler, w.staff].map((u) => signedInJar(t.app, t.ctx, u))) as [Jar, Jar, Jar];
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare }); });
  after(async () => { await rig?.close(); });

  const noteIs = async (text: string) => {
    const { page } = rig as BrowserRig;
    await page.waitForFunction((want) => document.getElementById('xs-live-waiting-note')?.textContent === want, text, { timeout: 10_000 });
  };

  it('answered and hidden questions leave the list and the count; others leave it alone', async () => {
    const { page, baseUrl, t } = rig as BrowserRig;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewportSize(PHONE);
    const base = `/consultations/${big}/live`;
    assert.equal((await page.goto(`${baseUrl}${base}`))?.status(), 200);
    await page.waitForFunction(() => (document.getElementById('xs-live-status')?.textContent ?? '') !== '', undefined, { timeout: 10_000 });
    const waitingTotal = WAITING_PAGE_SIZE + 4;
    assert.equal(await page.locator('#xs-live-waiting li').count(), WAITING_PAGE_SIZE);
    await noteIs(`另有 ${waitingTotal} 个更早的问题还在等待答复，等得最久的排在前面。`);
    const answer = async (qid: number, body: string) => assert.equal((await postForm(t.app, `${base}/questions/${qid}/answer`, { body }, handler)).statusCode, 303);

    // Listed: taken off, one fewer.
    const [first, second] = bigIds as [number, number];
    await answer(first, '路灯下周修好。');
    await page.locator(`#w-${first}`).waitFor({ state: 'detached', timeout: 10_000 });
    await noteIs(`另有 ${waitingTotal - 1} 个更早的问题还在等待答复，等得最久的排在前面。`);
    assert.equal(await page.getByText('路灯下周修好。').count(), 0, 'its answer is on its own page, not here');

    // On a later page of the list (not shown here): one fewer all the same; answered again, nothing.
    const later = bigIds[WAITING_PAGE_SIZE + 2] as number;
    assert.equal(await page.locator(`#w-${later}`).count(), 0);
    await answer(later, '已安排。');
    await noteIs(`另有 ${waitingTotal - 2} 个更早的问题还在等待答复，等得最久的排在前面。`);
    await answer(later, '补充：月底完成。');
    // Answered before the page was loaded, answered again: it was not waiting, nothing changes.
    await answer(bigIds[WAITING_PAGE_SIZE + 3] as number, '再补充一次。');
    // Hidden (by an organiser): taken off too. Had either answer above counted, the count would be lower.
    assert.equal((await postForm(t.app, `${base}/questions/${second}/moderate`, { action: 'hide', reason: '重复' }, staff)).statusCode, 303);
    await page.locator(`#w-${second}`).waitFor({ state: 'detached', timeout: 10_000 });
    await noteIs(`另有 ${waitingTotal - 3} 个更早的问题还在等待答复，等得最久的排在前面。`);

    // A question among the newest answered, a new question asked: the list and its count stay.
    const newest = bigIds.at(-1) as number;
    await answer(newest, '最新的问题已答复。');
    await page.locator(`#xs-live-answered #q-${newest}`).waitFor({ timeout: 10_000 });
    assert.equal((await postForm(t.app, `${base}/questions`, { body: '新问题：人行道什么时候修？' }, registrant)).statusCode, 303);
    await page.getByText('新问题：人行道什么时候修？').waitFor({ timeout: 10_000 });
    await noteIs(`另有 ${waitingTotal - 3} 个更早的问题还在等待答复，等得最久的排在前面。`);
    assert.equal(await page.locator('#xs-live-waiting li').count(), WAITING_PAGE_SIZE - 2);
    assert.equal(await page.locator('#xs-live-waiting [id^="q-"], #xs-live-waiting-section [data-question-id]').count(), 0, 'nothing added to the list');
    // A question among the newest hidden: a trace takes its place (when, why), its text goes.
    const hiddenNow = bigIds.at(-2) as number;
    const hiddenText = `第${bigIds.length - 1}个问题：路灯什么时候修？`;
    assert.equal(await page.locator(`#q-${hiddenNow}`).getByText(hiddenText).count(), 1);
    assert.equal((await postForm(t.app, `${base}/questions/${hiddenNow}/moderate`, { action: 'hide', category: 'abuse', reason: '辱骂' }, staff)).statusCode, 303);
    await page.waitForFunction((id) => /^一条提问已被主持人隐藏（.+，辱骂或人身攻击）$/.test(document.querySelector(`#xs-live-queue #q-${id}.xs-live-hidden`)?.textContent ?? ''), hiddenNow, { timeout: 10_000 });
    assert.equal(await page.getByText(hiddenText).count(), 0);
    await assertAccessible(page, 'live, waiting list after updates');

    // Rendered afresh the newest page starts one question later (the new one pushed the oldest
    // back), so that one is among the older ones now: one more than the script shows, as it should.
    await page.reload();
    await noteIs(`另有 ${waitingTotal - 2} 个更早的问题还在等待答复，等得最久的排在前面。`);
    assert.deepEqual(errors, []);
  });

  it('in English: one left reads in the singular; none left, the list goes', async () => {
    const { page, baseUrl, t, context } = rig as BrowserRig;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await context.addCookies([{ name: LANG_COOKIE, value: 'en', url: baseUrl }]);
    const base = `/consultations/${small}/live`;
    assert.equal((await page.goto(`${baseUrl}${base}`))?.status(), 200);
    await page.waitForFunction(() => (document.getElementById('xs-live-status')?.textContent ?? '') !== '', undefined, { timeout: 10_000 });
    await noteIs('2 earlier questions are still waiting for an answer, the longest-waiting first.');
    const [a, b] = smallIds as [number, number];
    assert.equal((await postForm(t.app, `${base}/questions/${a}/answer`, { body: 'Fixed next week.' }, handler)).statusCode, 303);
    await noteIs('1 earlier question is still waiting for an answer, the longest-waiting first.');
    assert.equal((await postForm(t.app, `${base}/questions/${b}/answer`, { body: 'Fixed too.' }, handler)).statusCode, 303);
    await page.locator('#xs-live-waiting-section').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await page.getByRole('heading', { name: 'Earlier questions still waiting for an answer' }).count(), 0);
    const last = smallIds.at(-1) as number;
    assert.equal((await postForm(t.app, `${base}/questions/${last}/moderate`, { action: 'hide', category: 'duplicate' }, staff)).statusCode, 303);
    await page.waitForFunction((id) => /^A question was hidden by the moderator \(.+, a repeat\)\.$/.test(document.querySelector(`#q-${id}.xs-live-hidden`)?.textContent ?? ''), last, { timeout: 10_000 });
    await assertAccessible(page, 'live, waiting list gone');
    assert.deepEqual(errors, []);
  });
});
