import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../../test/helpers/factories.js';
import { type Jar, get, postForm } from '../../../../test/helpers/http.js';
import { transaction } from '../../../db/database.js';
import { jobHandlerFor } from '../../../platform/jobs/registry.js';
import { JobWorker } from '../../../platform/jobs/worker.js';
import { putSettings } from '../../../platform/site-settings.js';
import { readStream } from '../../../platform/timeline/audit.js';
import { assertAccessibleHtml } from './fixtures.js';

/** A China-time datetime-local value `minutes` from now. */
function chinaLocal(minutesFromNow: number): string {
  return new Date(Date.now() + minutesFromNow * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);
}

describe('content: editors and publication', () => {
  let t: TestApp;
  let committee: number;
  let group: number;
  let otherGroup: number;
  let groupStaff: Jar;
  let admin: Jar;
  let citizen: Jar;
  before(async () => {
    t = await createTestApp();
    await putSettings(t.ctx.database.db, { org_name: '县政协', setup_done: '1' });
    committee = await makeBody(t.ctx, { name: '县政协', kind: 'committee' });
    group = await makeBody(t.ctx, { name: '石桥镇联络组', kind: 'liaison_group', parentId: committee });
    otherGroup = await makeBody(t.ctx, { name: '河口镇联络组', kind: 'liaison_group', parentId: committee });
    groupStaff = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: group, role: 'staff' }] }));
    admin = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: committee, role: 'admin' }] }));
    citizen = await signedInJar(t.app, t.ctx, await makeUser(t.ctx));
  });
  after(async () => { await t.close(); });

  const news = (o: Record<string, string> = {}) => ({ body_id: String(group), kind: 'news', title: '石桥镇开展协商议事', summary: '', body_md: '养老服务站建设情况。', publish_at: '', intent: 'publish', ...o });
  const anon = (url: string) => t.app.inject({ method: 'GET', url });
  const idFrom = (location: unknown) => Number(/\/(\d+)$/.exec(String(location))?.[1]);

  it('publishes news: the anonymous page shows it at once, search and audit record it', async () => {
    const before = await anon('/news');
    assert.doesNotMatch(before.body, /石桥镇开展协商议事/);
    const res = await postForm(t.app, '/admin/content/news', news(), groupStaff);
    assert.equal(res.statusCode, 303, res.body);
    const id = idFrom(res.headers.location);
    const after = await anon('/news');
    assert.match(after.body, /石桥镇开展协商议事/, 'cached list was invalidated');
    assert.equal((await anon(`/news/${id}`)).statusCode, 200);
    const doc = await t.ctx.database.db.selectFrom('search_docs').selectAll().where('doc_type', '=', 'news').where('doc_id', '=', id).executeTakeFirst();
    assert.equal(doc?.url, `/news/${id}`);
    assert.deepEqual((await readStream(t.ctx.database.db, 'news', id)).map((e) => e.action), ['publish']);

    const un = await postForm(t.app, `/admin/content/news/${id}/unpublish`, {}, groupStaff);
    assert.equal(un.statusCode, 303);
    assert.equal((await anon(`/news/${id}`)).statusCode, 404);
    assert.doesNotMatch((await anon('/news')).body, /石桥镇开展协商议事/);
    assert.equal(await t.ctx.database.db.selectFrom('search_docs').select('id').where('doc_type', '=', 'news').where('doc_id', '=', id).executeTakeFirst(), undefined);

    const del = await postForm(t.app, `/admin/content/news/${id}/delete`, {}, groupStaff);
    assert.equal(del.statusCode, 303);
    assert.deepEqual((await readStream(t.ctx.database.db, 'news', id)).map((e) => e.action), ['publish', 'unpublish', 'delete']);
    assert.equal((await get(t.app, `/admin/content/news/${id}`, groupStaff)).statusCode, 404);
  });

  it('schedules news: it appears only after the job handler ran, and only for the time still scheduled', async () => {
    const res = await postForm(t.app, '/admin/content/news', news({ title: '定时发布的公告', kind: 'announcement', intent: 'schedule', publish_at: chinaLocal(60) }), groupStaff);
    assert.equal(res.statusCode, 303, res.body);
    const id = idFrom(res.headers.location);
    assert.equal((await anon(`/news/${id}`)).statusCode, 404);
    assert.doesNotMatch((await anon('/')).body, /定时发布的公告/);
    const job = await t.ctx.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'content.publish').executeTakeFirstOrThrow();
    const payload = JSON.parse(job.payload);
    assert.equal(job.dedupe_key, `publish:news:${id}:${payload.publishAt}`);

    // Rescheduled meanwhile: the old job must not publish it.
    const later = chinaLocal(120);
    assert.equal((await postForm(t.app, `/admin/content/news/${id}`, news({ title: '定时发布的公告', kind: 'announcement', intent: 'schedule', publish_at: later }), groupStaff)).statusCode, 303);
    const registered = jobHandlerFor('content.publish');
    assert.ok(registered);
    await transaction(t.ctx.database, (trx) => registered.handler(t.ctx, payload, trx, { id: 0, kind: 'content.publish', attempt: 1, maxAttempts: 8, log: console, afterCommit: (fn) => fn() }));
    assert.equal((await anon(`/news/${id}`)).statusCode, 404);
    // Not due yet: the worker leaves it alone.
    assert.equal(await new JobWorker(t.ctx).runOnce(), 0);

    // The clock reaches the time: move the stored time and its job into the past, run the worker.
    const past = new Date(Date.now() - 1000).toISOString();
    const current = await t.ctx.database.db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', 'content.publish').where('status', '=', 'pending').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await t.ctx.database.db.updateTable('news').set({ publish_at: past }).where('id', '=', id).execute();
    await t.ctx.database.db.updateTable('jobs').set({ run_at: past, payload: JSON.stringify({ ...JSON.parse(current.payload), publishAt: past }) }).where('id', '=', current.id).execute();
    assert.doesNotMatch((await anon('/')).body, /定时发布的公告/, 'home page cached before publication');
    assert.ok((await new JobWorker(t.ctx).runOnce()) >= 1);
    const page = await anon(`/news/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match((await anon('/')).body, /定时发布的公告/);
    assert.ok((await readStream(t.ctx.database.db, 'news', id)).some((e) => e.action === 'publish' && e.actorId === null));
  });

  it('refuses a schedule without a time or in the past, keeping the values', async () => {
    const res = await postForm(t.app, '/admin/content/news', news({ title: '保留的标题', intent: 'schedule', publish_at: '' }), groupStaff);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>错误：/);
    assert.match(res.body, /定时发布需要填写发布时间/);
    assert.match(res.body, /value="保留的标题"/);
    const past = await postForm(t.app, '/admin/content/news', news({ intent: 'schedule', publish_at: '2020-01-01T09:00' }), groupStaff);
    assert.match(past.body, /定时发布时间必须晚于现在/);
  });

  it('validates titles, lengths and kinds with localised messages, storing nothing', async () => {
    const count = async () => Number((await t.ctx.database.db.selectFrom('news').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    const long = await postForm(t.app, '/admin/content/news', news({ title: '长'.repeat(121), body_md: 'x'.repeat(50_001), kind: 'rumour' }), groupStaff);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /标题不能超过 120 个字/);
    assert.match(long.body, /正文不能超过 50000 个字/);
    assert.match(long.body, /请从列表中选择类别/);
    assert.match(long.body, /href="#f-title"/);
    const control = await postForm(t.app, '/admin/content/news', news({ title: 'a\u0001b' }), groupStaff);
    assert.equal(control.statusCode, 400);
    assert.match(control.body, /标题含有无法识别的字符/);
    assert.equal(await count(), n);
  });

  it('lets liaison-group staff publish for their group only, and denies citizens and strangers', async () => {
    const committeeNews = await postForm(t.app, '/admin/content/news', news({ body_id: String(committee) }), groupStaff);
    assert.equal(committeeNews.statusCode, 403);
    assert.equal((await postForm(t.app, '/admin/content/news', news({ body_id: String(otherGroup) }), groupStaff)).statusCode, 403);
    assert.equal((await postForm(t.app, '/admin/content/news', news(), citizen)).statusCode, 403);
    assert.equal((await get(t.app, '/admin/content', citizen)).statusCode, 403);
    assert.equal((await anon('/admin/content')).statusCode, 401);
    // The committee's admin may publish for the group below it; the group's staff may not edit that committee item.
    const res = await postForm(t.app, '/admin/content/news', news({ body_id: String(committee), title: '委员会新闻' }), admin);
    assert.equal(res.statusCode, 303);
    const id = idFrom(res.headers.location);
    assert.equal((await get(t.app, `/admin/content/news/${id}`, groupStaff)).statusCode, 403);
    assert.equal((await postForm(t.app, `/admin/content/news/${id}/unpublish`, {}, groupStaff)).statusCode, 403);
    assert.equal((await postForm(t.app, `/admin/content/news/${id}/delete`, {}, citizen)).statusCode, 403);
    assert.equal((await anon(`/news/${id}`)).statusCode, 200);
    const list = await get(t.app, '/admin/content', groupStaff);
    assert.doesNotMatch(list.body, /委员会新闻/);
    assert.match((await get(t.app, '/admin/content?status=published', admin)).body, /委员会新闻/);
    assert.equal((await get(t.app, '/admin/content?status=bogus', admin)).statusCode, 400);
  });

  it('publishes pages under their slug, refuses bad and taken slugs', async () => {
    const page = { body_id: String(committee), kind: 'rules', slug: 'lvzhi-banfa', title: '委员履职办法', sort: '1', body_md: '# 第一条\n\n内容', publish_at: '', intent: 'publish' };
    const res = await postForm(t.app, '/admin/content/pages', page, admin);
    assert.equal(res.statusCode, 303, res.body);
    assert.match((await anon('/about/rules')).body, /委员履职办法/);
    const shown = await anon('/pages/lvzhi-banfa');
    assert.match(shown.body, /<h2>第一条<\/h2>/);
    const taken = await postForm(t.app, '/admin/content/pages', { ...page, title: '另一个' }, admin);
    assert.equal(taken.statusCode, 400);
    assert.match(taken.body, /这个网址名已被其他页面使用/);
    const bad = await postForm(t.app, '/admin/content/pages', { ...page, slug: 'Bad Slug!' }, admin);
    assert.match(bad.body, /网址名格式不正确/);
    const doc = await t.ctx.database.db.selectFrom('search_docs').select('url').where('doc_type', '=', 'page').executeTakeFirst();
    assert.equal(doc?.url, '/pages/lvzhi-banfa');
  });

  it('stores hostile Markdown harmlessly', async () => {
    const md = '<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n![i](https://evil.example/a.png)';
    const res = await postForm(t.app, '/admin/content/news', news({ title: '恶意内容', body_md: md }), groupStaff);
    const page = await anon(`/news/${idFrom(res.headers.location)}`);
    const article = page.body.slice(page.body.indexOf('<article>'), page.body.indexOf('</article>'));
    assert.doesNotMatch(article, /<script|<img|href="javascript|<[^>]*\son\w+=/);
    assert.match(article, /&lt;script&gt;/);
  });

  it('renders the editors with one h1 and labelled inputs', async () => {
    const id = (await t.ctx.database.db.selectFrom('news').select('id').where('body_id', '=', group).executeTakeFirstOrThrow()).id;
    const pageId = (await t.ctx.database.db.selectFrom('pages').select('id').executeTakeFirstOrThrow()).id;
    for (const url of ['/admin/content', '/admin/content/news/new', `/admin/content/news/${id}`, '/admin/content/pages/new', `/admin/content/pages/${pageId}`]) {
      const res = await get(t.app, url, admin, { 'accept-language': 'en' });
      assert.equal(res.statusCode, 200, url);
      assertAccessibleHtml(res.body, url);
    }
    for (const url of ['/admin/content/news/abc', '/admin/content/news/999999', '/admin/content/pages/0']) {
      assert.equal((await get(t.app, url, admin)).statusCode, 404, url);
    }
  });
});
