import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { makeLiveConsultation } from './live-helpers.js';
import { type ConsultationWorld, makeConsultationWorld } from './world.js';

// The live page is shared (page cache, per version of the session) with viewers it offers no
// form to; every question, answer and moderation must still show on their next request, to
// them and to people whose page holds a form (rendered per person from questions kept per version).
describe('live page from the cache', { timeout: 120_000 }, () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let id: number;
  let registrant: Jar; let stranger: Jar; let handler: Jar; let staff: Jar;
  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    id = await makeLiveConsultation(t.ctx, { lead: w.committee, department: w.department, registrant: w.citizens[0] as number });
    [registrant, stranger, handler, staff] = await Promise.all([w.citizens[0], w.citizens[1], w.deptHandler, w.staff].map((u) => signedInJar(t.app, t.ctx, u as number))) as [Jar, Jar, Jar, Jar];
  });
  after(async () => { await t.close(); });

  it('anonymous and unregistered viewers see each change at once; people with forms get their own page', async () => {
    // The registrant's page (with its form) is rendered for them, from questions kept per version.
    const viewers = [undefined, stranger, registrant];
    for (const v of viewers.slice(0, 2)) {
      const page = await get(t.app, `/consultations/${id}/live`, v);
      assert.equal(page.statusCode, 200);
      assert.match(page.headers.etag as string, /^W\//, 'served from the page cache');
    }
    assert.equal((await get(t.app, `/consultations/${id}/live`, registrant)).statusCode, 200);
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '公交站台能否加装雨棚？', addressedBodyId: String(w.department) }, registrant)).statusCode, 303);
    const q = await t.ctx.database.db.selectFrom('consultation_questions').select('id').where('consultation_id', '=', id).executeTakeFirstOrThrow();
    for (const v of viewers) assert.match((await get(t.app, `/consultations/${id}/live`, v)).body, /公交站台能否加装雨棚？/);

    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${q.id}/answer`, { body: '年内完成二十个站台。' }, handler)).statusCode, 303);
    for (const v of viewers) assert.match((await get(t.app, `/consultations/${id}/live`, v)).body, /年内完成二十个站台。/);

    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions/${q.id}/moderate`, { action: 'hide', reason: '重复' }, staff)).statusCode, 303);
    for (const v of viewers) assert.doesNotMatch((await get(t.app, `/consultations/${id}/live`, v)).body, /公交站台能否加装雨棚？/);

    // The registrant's page holds the question form (with its CSRF token): never shared.
    const own = await get(t.app, `/consultations/${id}/live`, registrant);
    assert.equal(own.statusCode, 200);
    assert.equal(own.headers.etag, undefined);
    assert.match(own.body, /name="_csrf"/);
    assert.doesNotMatch((await get(t.app, `/consultations/${id}/live`)).body, /name="_csrf"/);
  });

  it('an older page (?before=) is kept per version too; a bad before is a 404 and never reaches the cache', async () => {
    const db = t.ctx.database.db;
    const q = await db.selectFrom('consultation_questions').select('id').where('consultation_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const url = `/consultations/${id}/live?before=${q.id + 1}`;
    const first = await get(t.app, url);
    assert.equal(first.statusCode, 200);
    assert.match(first.headers.etag as string, /^W\//, 'served from the page cache');
    assert.equal((await get(t.app, url)).headers.etag, first.headers.etag);
    // A change on the stream (a member asks) makes the next copy a new one.
    const member = await signedInJar(t.app, t.ctx, w.member);
    assert.equal((await postForm(t.app, `/consultations/${id}/live/questions`, { body: '老旧小区加装电梯？' }, member)).statusCode, 303);
    const next = await get(t.app, url);
    assert.notEqual(next.headers.etag, first.headers.etag);
    assert.doesNotMatch(next.body, /老旧小区加装电梯？/, 'newer than before: not on this page');
    assert.match((await get(t.app, `/consultations/${id}/live`)).body, /老旧小区加装电梯？/);
    for (const bad of ['x', '0', '12345678901']) {
      for (const v of [undefined, stranger, registrant]) assert.equal((await get(t.app, `/consultations/${id}/live?before=${bad}`, v)).statusCode, 404);
    }
  });
});
