import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIVE_PAGE_SIZE } from '../../src/modules/consultations/live-service.js';
import { WAITING_PAGE_SIZE } from '../../src/modules/consultations/live-waiting.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { makeLiveConsultation } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// Questions still waiting for an answer further back than the newest page are listed on the
// newest page too, the longest-waiting first, WAITING_PAGE_SIZE at a time, each linking to the
// page that holds it with its answer form: without JavaScript a department's representative
// reaches every unanswered question from the newest page. Answered and hidden ones are not listed.

const questionIds = (html: string): number[] => [...html.matchAll(/data-question-id="(\d+)"/g)].map((m) => Number(m[1]));
const waitingIds = (html: string): number[] => [...html.matchAll(/<li id="w-(\d+)"/g)].map((m) => Number(m[1]));
const moreLink = (html: string): string | null => html.match(/href="(\/consultations\/\d+\/live\?waiting=\d+)#xs-live-waiting-heading"/)?.[1] ?? null;

describe('live page: older questions still waiting', { timeout: 120_000 }, () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let id = 0;
  let ids: number[] = [];
  let handler: Jar;
  let staff: Jar;
  const db = () => t.ctx.database.db;
  const waitingOlder = async () => {
    const newest = ids.slice(-LIVE_PAGE_SIZE);
    return (await db().selectFrom('consultation_questions').select('id').where('consultation_id', '=', id).where('status', '=', 'queued')
      .where('id', '<', newest[0] as number).orderBy('id').execute()).map((r) => r.id);
  };

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    const now = new Date().toISOString();
    // 100 questions; of the 50 older ones, every third answered and one hidden: 32 still waiting back there.
    const rows = await db().insertInto('consultation_questions').values(Array.from({ length: 100 }, (_, i) => ({
      consultation_id: id, author_id: w.member, author_kind: 'member' as const, addressed_body_id: i === 1 ? w.department : null, body: `第${i + 1}个问题：公交线路怎么调？`,
      status: (i < 50 && i % 3 === 0 ? 'answered' : i === 4 ? 'hidden' : 'queued') as 'answered' | 'hidden' | 'queued',
      hidden_reason: null, answered_at: i < 50 && i % 3 === 0 ? now : null, created_at: now, updated_at: now,
    }))).returning('id').execute();
    ids = rows.map((r) => r.id).sort((a, b) => a - b);
    handler = await signedInJar(t.app, t.ctx, w.deptHandler);
    staff = await signedInJar(t.app, t.ctx, w.staff);
  });
  after(() => t.close());

  it('the newest page lists every older waiting question, longest-waiting first, a page at a time, and nothing else', async () => {
    const expected = await waitingOlder();
    assert.equal(expected.length, 32);
    for (const jar of [undefined, handler, staff]) {
      const seen: number[] = [];
      let url: string | null = `/consultations/${id}/live`;
      let pages = 0;
      while (url) {
        const res = await get(t.app, url, jar);
        assert.equal(res.statusCode, 200, url);
        assert.deepEqual(questionIds(res.body).sort((a, b) => a - b), ids.slice(-LIVE_PAGE_SIZE), 'the newest questions as before');
        if (pages === 0) {
          assert.match(res.body, /更早的待答复问题/);
          assert.match(res.body, /另有 32 个更早的问题还在等待答复/);
        } else assert.match(res.body, new RegExp(`href="/consultations/${id}/live#xs-live-waiting-heading"`), 'back to the longest-waiting');
        const page = waitingIds(res.body);
        assert.ok(page.length > 0 && page.length <= WAITING_PAGE_SIZE, `${url}: ${page.length}`);
        seen.push(...page);
        url = moreLink(res.body);
        pages++;
        assert.ok(pages <= 5);
      }
      assert.deepEqual(seen, expected, 'each once, oldest first');
      assert.equal(pages, Math.ceil(32 / WAITING_PAGE_SIZE));
    }
    const hidden = ids[4] as number;
    const home = await get(t.app, `/consultations/${id}/live`, staff);
    assert.doesNotMatch(home.body, new RegExp(`id="w-${hidden}"`), 'hidden ones are not listed, even for organisers');
    assert.match(home.body, /向县交通运输局\d*提问/, 'the department asked is shown');
  });

  it('each links to the page holding it with its answer form; answered there, it leaves the list', async () => {
    const first = (await waitingOlder())[0] as number;
    const home = await get(t.app, `/consultations/${id}/live`, handler);
    const link = `/consultations/${id}/live?before=${first + 1}#q-${first}`;
    assert.ok(home.body.includes(`href="${link}"`), 'a link to its page');
    assert.match(home.body, new RegExp(`到问题 #${first} 所在页查看或答复`));
    const holder = await get(t.app, link.replace(/#.*$/, ''), handler);
    assert.match(holder.body, new RegExp(`id="q-${first}"`));
    assert.ok(holder.body.includes(`action="/consultations/${id}/live/questions/${first}/answer"`), 'its answer form');
    const res = await postForm(t.app, `/consultations/${id}/live/questions/${first}/answer`, { body: '公交线路下月调整。', before: String(first + 1) }, handler);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/consultations/${id}/live?before=${first + 1}&done=answered#q-${first}`);
    for (const jar of [undefined, handler]) {
      const after = await get(t.app, `/consultations/${id}/live`, jar);
      assert.doesNotMatch(after.body, new RegExp(`id="w-${first}"`), 'answered: no longer waiting');
      assert.match(after.body, /另有 31 个更早的问题还在等待答复/);
    }
  });

  it('in English; older pages have no such list; bad values of waiting are a 404', async () => {
    const en = await t.app.inject({ method: 'GET', url: `/consultations/${id}/live`, headers: { 'accept-language': 'en' } });
    assert.match(en.body, /Earlier questions still waiting for an answer/);
    assert.match(en.body, /31 earlier questions are still waiting/);
    const older = await get(t.app, `/consultations/${id}/live?before=${ids.at(-LIVE_PAGE_SIZE)}`);
    assert.equal(waitingIds(older.body).length, 0);
    assert.doesNotMatch(older.body, /更早的待答复问题/);
    for (const q of ['abc', '0', '-5', '1.5', '99999999999', '%00']) {
      for (const jar of [undefined, handler]) assert.equal((await get(t.app, `/consultations/${id}/live?waiting=${q}`, jar)).statusCode, 404, q);
    }
    assert.equal((await get(t.app, `/consultations/${id}/live?waiting=`)).statusCode, 200);
    const past = await get(t.app, `/consultations/${id}/live?waiting=${ids.at(-1)}`);
    assert.equal(past.statusCode, 200, 'past the last waiting question: the list is empty, not an error');
    assert.deepEqual(waitingIds(past.body), []);
  });
});
