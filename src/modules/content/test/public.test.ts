import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody } from '../../../../test/helpers/factories.js';
import { putSettings } from '../../../platform/site-settings.js';
import { assertAccessibleHtml, insertNews, insertPage } from './fixtures.js';

describe('content: public portal', () => {
  let t: TestApp;
  let committee: number;
  let group: number;
  before(async () => {
    t = await createTestApp();
    await putSettings(t.ctx.database.db, { org_name: '青山县政协', setup_done: '1' });
    committee = await makeBody(t.ctx, { name: '青山县政协', kind: 'committee' });
    group = await makeBody(t.ctx, { name: '石桥镇联络组', kind: 'liaison_group', parentId: committee });
    await insertPage(t.ctx, { bodyId: committee, slug: 'gaikuang', kind: 'overview', title: '青山县政协概况', md: '青山县政协成立于1956年，是统一战线组织。' });
    await insertPage(t.ctx, { bodyId: committee, slug: 'zhangcheng', kind: 'rules', title: '委员履职管理办法' });
    await insertPage(t.ctx, { bodyId: committee, slug: 'zhize', kind: 'duties', title: '主要职责', md: '政治协商、民主监督、参政议政。' });
    await insertPage(t.ctx, { bodyId: committee, slug: 'caogao', kind: 'rules', title: '未发布制度', status: 'draft' });
    await insertNews(t.ctx, { bodyId: committee, title: '召开常委会议', kind: 'news' });
    await insertNews(t.ctx, { bodyId: group, title: '关于征集提案线索的公告', kind: 'announcement' });
    await insertNews(t.ctx, { bodyId: group, title: '草稿新闻', status: 'draft' });
    await insertNews(t.ctx, { bodyId: group, title: '未来新闻', publishedAt: new Date(Date.now() + 86_400_000).toISOString() });
  });
  after(async () => { await t.close(); });

  const get = (url: string, lang = 'zh-CN') => t.app.inject({ method: 'GET', url, headers: { 'accept-language': lang } });

  it('shows the home page with the overview excerpt, latest items and quick links', async () => {
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>青山县政协<\/h1>/);
    assert.match(res.body, /成立于1956年/);
    assert.match(res.body, /关于征集提案线索的公告/);
    assert.match(res.body, /召开常委会议/);
    assert.doesNotMatch(res.body, /草稿新闻|未来新闻/);
    for (const href of ['/about', '/about/rules', '/about/duties', '/members', '/search', '/bodies#liaison_group', '/bodies#department']) {
      assert.ok(res.body.includes(`href="${href}"`), href);
    }
  });

  it('shows the overview, rules and duties', async () => {
    assert.match((await get('/about')).body, /<h1>青山县政协概况<\/h1>/);
    const rules = await get('/about/rules');
    assert.match(rules.body, /href="\/pages\/zhangcheng"/);
    assert.doesNotMatch(rules.body, /未发布制度/);
    assert.match((await get('/about/duties')).body, /民主监督/);
    const page = await get('/pages/zhangcheng');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /class="xs-breadcrumbs"[\s\S]*href="\/about\/rules"/);
  });

  it('lists published news newest first with filters', async () => {
    const all = await get('/news');
    assert.equal(all.statusCode, 200);
    assert.ok(all.body.indexOf('关于征集提案线索的公告') < all.body.indexOf('召开常委会议'));
    assert.doesNotMatch(all.body, /草稿新闻|未来新闻/);
    const ann = await get('/news?kind=announcement');
    assert.doesNotMatch(ann.body, /召开常委会议/);
    const byBody = await get(`/news?body=${committee}`);
    assert.match(byBody.body, /召开常委会议/);
    assert.doesNotMatch(byBody.body, /关于征集提案线索的公告/);
  });

  it('shows a news item and a body page', async () => {
    const list = await get('/news');
    const id = /href="\/news\/(\d+)"/.exec(list.body)?.[1];
    const item = await get(`/news/${id}`);
    assert.equal(item.statusCode, 200);
    assert.match(item.body, /发布机构/);
    const body = await get(`/bodies/${group}`);
    assert.match(body.body, /<h1>石桥镇联络组<\/h1>/);
    assert.match(body.body, new RegExp(`href="/bodies/${committee}"`));
    assert.match(body.body, /关于征集提案线索的公告/);
    assert.match((await get(`/bodies/${committee}`)).body, /石桥镇联络组/);
  });

  it('answers unknown and malformed ids with 404 and bad parameters with a localised 400', async () => {
    for (const url of ['/news/999999', '/news/abc', '/news/-1', '/news/1.5', '/news/99999999999999', '/pages/nope', '/pages/UPPER', '/bodies/0', '/bodies/x', '/attachments/1/a.pdf', '/attachments/x/a.pdf']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
    const draft = await t.ctx.database.db.selectFrom('news').select('id').where('title', '=', '草稿新闻').executeTakeFirstOrThrow();
    assert.equal((await get(`/news/${draft.id}`)).statusCode, 404);
    const bad = await get('/news?kind=rumour');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /类别/);
    assert.match((await get('/news?page=0', 'en')).body, /Page must be between/);
    assert.equal((await get('/news?body=abc')).statusCode, 400);
    assert.equal((await get('/news?page=1&page=2')).statusCode, 400);
  });

  it('renders every public page in English with one h1 and labelled inputs', async () => {
    const news = await t.ctx.database.db.selectFrom('news').select('id').where('status', '=', 'published').executeTakeFirstOrThrow();
    for (const url of ['/', '/about', '/about/rules', '/about/duties', '/pages/zhangcheng', '/news', `/news/${news.id}`, '/bodies', `/bodies/${group}`]) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await get(url, lang);
        assert.equal(res.statusCode, 200, `${url} ${lang}`);
        assertAccessibleHtml(res.body, `${url} ${lang}`);
      }
    }
    assert.match((await get('/about/rules', 'en')).body, /<h1>Rules<\/h1>/);
  });
});
