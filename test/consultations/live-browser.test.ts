import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIVE_PAGE_SIZE } from '../../src/modules/consultations/live-service.js';
import { PHONE, type BrowserRig, assertAccessible, openRig } from '../browser/browser.js';
import type { TestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, postForm } from '../helpers/http.js';
import { makeLiveConsultation } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// On a phone with JavaScript on: the newest page of a session with more questions than a page
// holds follows the event stream (a new question appears in the queue, its answer moves it to the
// answered list), an answer to an older question not on the page leaves the script working, and
// "older questions" leads to a page that does not follow the stream. Pages are checked with axe.

describe('browser: live questions page by page', { timeout: 120_000 }, () => {
  let rig: BrowserRig | null = null;
  let w: ConsultationWorld;
  let id = 0;
  let oldest = 0;
  let registrant: Jar; let handler: Jar;

  const prepare = async (t: TestApp) => {
    w = await makeConsultationWorld(t.ctx);
    id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    const now = new Date().toISOString();
    const rows = await t.ctx.database.db.insertInto('consultation_questions').values(Array.from({ length: LIVE_PAGE_SIZE + 10 }, (_, i) => ({
      consultation_id: id, author_id: w.member, author_kind: 'member' as const, addressed_body_id: null, body: `第${i + 1}个问题：停车怎么办？`, status: 'queued' as const,
      hidden_reason: null, answered_at: null, created_at: now, updated_at: now,
    }))).returning('id').execute();
    oldest = Math.min(...rows.map((r) => r.id));
    await t.app.ready();
    registrant = await signedInJar(t.app, t.ctx, w.citizens[0] as number);
    handler = await signedInJar(t.app, t.ctx, w.deptHandler);
  };

  before(async (tc) => { rig = await openRig(tc as never, { prepare }); });
  after(async () => { await rig?.close(); });

  it('follows the stream on the newest page only; an answer to an older question breaks nothing', async () => {
    const { page, baseUrl, t } = rig as BrowserRig;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewportSize(PHONE);
    assert.equal((await page.goto(`${baseUrl}/consultations/${id}/live`))?.status(), 200);
    assert.equal(await page.locator('[data-question-id]').count(), LIVE_PAGE_SIZE);
    assert.equal(await page.locator(`#q-${oldest}`).count(), 0, 'the oldest question is on an older page');
    await page.waitForFunction(() => (document.getElementById('xs-live-status')?.textContent ?? '') !== '', undefined, { timeout: 10_000 });
    await assertAccessible(page, 'live, newest page');

    // An answer to a question that is not on the page: ignored by the script.
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${oldest}/answer`, { body: '最早的问题已答复。' }, handler)).statusCode, 303);
    // A new question appears in the queue; its answer moves it to the answered list.
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '新问题：夜间能停车吗？' }, registrant)).statusCode, 303);
    const q = await t.ctx.database.db.selectFrom('consultation_questions').select('id').where('consultation_id', '=', id).where('author_id', '=', w.citizens[0] as number).executeTakeFirstOrThrow();
    await page.locator(`#xs-live-queue #q-${q.id}`).waitFor({ timeout: 10_000 });
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${q.id}/answer`, { body: '夜间免费停车。' }, handler)).statusCode, 303);
    await page.locator(`#xs-live-answered #q-${q.id}`).waitFor({ timeout: 10_000 });
    assert.match(await page.locator(`#q-${q.id} .xs-live-answers`).innerText(), /夜间免费停车。/);
    assert.equal(await page.getByText('最早的问题已答复。').count(), 0);
    assert.deepEqual(errors, []);

    // Older questions: a plain link; that page lists the oldest questions and does not connect.
    await page.getByRole('link', { name: '更早的问题' }).click();
    await page.waitForURL(/\?before=\d+$/);
    assert.equal(await page.locator(`#q-${oldest}`).count(), 1);
    assert.match(await page.locator(`#q-${oldest}`).innerText(), /最早的问题已答复。/);
    assert.equal(await page.locator('#xs-live[data-events]').count(), 0);
    assert.equal(await page.locator('#xs-live-status').innerText(), '');
    await assertAccessible(page, 'live, older page');
    await page.getByRole('link', { name: '最新的问题' }).click();
    await page.waitForURL(new RegExp(`/consultations/${id}/live$`));
    assert.deepEqual(errors, []);
  });
});
