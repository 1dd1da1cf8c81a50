import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ConsultationSeedResult, seedConsultations } from '../../bench/consultations-seed.js';
import { LIVE_PAGE_SIZE } from '../../src/modules/consultations/live-service.js';
import { seedDemo } from '../../src/modules/demo/seed.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';

// The live page of a session with 500 questions (the bench seed's live session) shows the newest
// LIVE_PAGE_SIZE with their answers and links to older ones by `?before=<question id>`: every page
// stays under 100 KB, also for a person whose page holds an answer and moderation form per question.

const LIMIT = 100 * 1024;
const ids = (html: string): number[] => [...html.matchAll(/data-question-id="(\d+)"/g)].map((m) => Number(m[1]));
const olderLink = (html: string): string | null => html.match(/rel="next" href="(\/consultations\/\d+\/live\?before=\d+)"/)?.[1] ?? null;

describe('live page in pages of questions', { timeout: 240_000 }, () => {
  let t: TestApp;
  let r: ConsultationSeedResult;
  let all: number[];
  let organiser: Jar;
  before(async () => {
    t = await createTestApp();
    await seedDemo(t.ctx, { force: true });
    r = await seedConsultations(t.ctx, { consultations: 12, years: 1, questions: 500, statements: 10, voters: 10, votesEach: 3, now: new Date('2026-06-15T04:00:00Z') });
    const db = t.ctx.database.db;
    all = (await db.selectFrom('consultation_questions').select('id').where('consultation_id', '=', r.liveId).where('status', '!=', 'hidden').orderBy('id').execute()).map((q) => q.id);
    // The heaviest page: staff of the lead body (moderation forms) who also answers for an attending department.
    const c = await db.selectFrom('consultations').select('lead_body_id').where('id', '=', r.liveId).executeTakeFirstOrThrow();
    const dept = await db.selectFrom('consultation_participants').select('body_id').where('consultation_id', '=', r.liveId).where('kind', '=', 'department')
      .where('body_id', 'is not', null).executeTakeFirstOrThrow();
    organiser = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: c.lead_body_id, role: 'staff' }, { bodyId: dept.body_id as number, role: 'department_handler' }] }));
  });
  after(async () => { await t.close(); });

  it('with 500 questions the page shows the newest ones and stays under 100 KB, for everyone', async (tc) => {
    assert.equal(all.length, 500);
    const anon = await get(t.app, `/consultations/${r.liveId}/live`);
    assert.equal(anon.statusCode, 200);
    assert.deepEqual(ids(anon.body).sort((a, b) => a - b), all.slice(-LIVE_PAGE_SIZE));
    assert.ok(Buffer.byteLength(anon.body) < LIMIT, `anonymous page: ${Buffer.byteLength(anon.body)} bytes`);
    assert.match(anon.body, /data-events="\/consultations\/\d+\/live\/events"/, 'the newest page follows the stream');
    assert.equal(olderLink(anon.body), `/consultations/${r.liveId}/live?before=${all.at(-LIVE_PAGE_SIZE)}`);
    const own = await get(t.app, `/consultations/${r.liveId}/live`, organiser);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /name="_csrf"/);
    assert.match(own.body, /\/moderate"/);
    assert.match(own.body, /\/answer"/);
    assert.ok(Buffer.byteLength(own.body) < LIMIT, `organiser page: ${Buffer.byteLength(own.body)} bytes`);
    assert.equal(ids(own.body).length, LIVE_PAGE_SIZE);
    tc.diagnostic(`page of ${LIVE_PAGE_SIZE} of 500 questions: ${Buffer.byteLength(anon.body)} bytes anonymous, ${Buffer.byteLength(own.body)} bytes with forms`);
  });

  it('"older questions" walks back through every question once, without JavaScript, and each page links to the newest', async () => {
    const seen: number[] = [];
    let url: string | null = `/consultations/${r.liveId}/live`;
    let pages = 0;
    while (url) {
      const res = await get(t.app, url);
      assert.equal(res.statusCode, 200, url);
      assert.ok(Buffer.byteLength(res.body) < LIMIT, `${url}: ${Buffer.byteLength(res.body)} bytes`);
      const page = ids(res.body);
      assert.ok(page.length > 0 && page.length <= LIVE_PAGE_SIZE, `${url}: ${page.length} questions`);
      seen.push(...page);
      if (pages > 0) {
        assert.match(res.body, new RegExp(`href="/consultations/${r.liveId}/live"`), 'a link back to the newest');
        assert.doesNotMatch(res.body, /data-events=/, 'older pages do not follow the stream');
      }
      url = olderLink(res.body);
      pages++;
      assert.ok(pages <= 20, `${pages} pages`);
    }
    assert.equal(pages, Math.ceil(500 / LIVE_PAGE_SIZE));
    assert.deepEqual(seen.sort((a, b) => a - b), all);
    // Past the oldest question: an empty page that says so, not an error.
    const empty = await get(t.app, `/consultations/${r.liveId}/live?before=${all[0]}`);
    assert.equal(empty.statusCode, 200);
    assert.deepEqual(ids(empty.body), []);
    assert.equal(olderLink(empty.body), null);
  });

  it('a form sent from an older page returns to that page; bad values of before are a 404, never a 500', async () => {
    const before = all.at(-LIVE_PAGE_SIZE) as number;
    const db = t.ctx.database.db;
    const target = (await db.selectFrom('consultation_questions').select('id').where('consultation_id', '=', r.liveId).where('id', '<', before)
      .where('status', '=', 'answered').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const page = await get(t.app, `/consultations/${r.liveId}/live?before=${before}`, organiser);
    assert.match(page.body, new RegExp(`id="q-${target}"`));
    assert.match(page.body, new RegExp(`name="before" value="${before}"`));
    const res = await postForm(t.app, `/consultations/${r.liveId}/live/questions/${target}/answer`, { body: '补充答复：已列入计划。', before: String(before) }, organiser);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/consultations/${r.liveId}/live?before=${before}&done=answered#q-${target}`);
    const back = await get(t.app, `/consultations/${r.liveId}/live?before=${before}`);
    assert.match(back.body, /补充答复：已列入计划。/);
    // A bad before in the form is the newest page.
    const bad = await postForm(t.app, `/consultations/${r.liveId}/live/questions/${target}/moderate`, { action: 'asking', before: 'x' }, organiser);
    assert.equal(bad.statusCode, 303);
    assert.equal(bad.headers.location, `/consultations/${r.liveId}/live?done=moderated`);

    for (const q of ['abc', '0', '-5', '1.5', '99999999999', '2147483648', '%00', 'before=1&before=2']) {
      const url = q.startsWith('before=') ? `/consultations/${r.liveId}/live?${q}` : `/consultations/${r.liveId}/live?before=${q}`;
      for (const jar of [undefined, organiser]) {
        const res = await get(t.app, url, jar);
        assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`);
      }
    }
    assert.equal((await get(t.app, `/consultations/${r.liveId}/live?before=`)).statusCode, 200, 'an empty before is the newest page');
  });
});
