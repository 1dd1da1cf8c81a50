import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { indexDocument } from '../../platform/search/index.js';
import { putSettings } from '../../platform/site-settings.js';

const en = { 'accept-language': 'en' };

describe('search pages and API', () => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const api = async (qs: string) => (await get(`/api/v1/search?${qs}`)).json();

  before(async () => {
    t = await createTestApp();
    const db = t.ctx.database.db;
    await putSettings(db, { org_name: '青山县政协', setup_done: '1' });
    await indexDocument(db, { docType: 'news', docId: 1, title: '社区养老服务中心启用', text: '首个社区养老服务中心为老年人提供日间照料。', url: '/news/1', publishedAt: '2025-03-01T02:00:00.000Z' });
    await indexDocument(db, { docType: 'news', docId: 2, title: '小区停车难调研', text: '委员走访十个小区，停车场地不足。Parking is hard.', url: '/news/2', publishedAt: '2025-04-01T02:00:00.000Z' });
    await indexDocument(db, { docType: 'page', docId: 3, title: '政协职责', text: '政治协商、民主监督、参政议政，关注<script>alert(1)</script>养老。', url: '/about/duties', publishedAt: null });
    await indexDocument(db, { docType: 'member', docId: 4, title: '李四', text: '经济界委员，关注停车与交通。', url: 'javascript:alert(1)', publishedAt: null });
  });
  after(async () => { await t.close(); });

  it('finds 养老 and marks the matched words', async () => {
    const res = await get(`/search?q=${encodeURIComponent('养老')}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>“养老”的搜索结果<\/h1>/);
    assert.match(res.body, /社区<mark>养老<\/mark>服务中心启用/);
    assert.match(res.body, /href="\/news\/1"/);
    assert.match(res.body, /找到 2 条结果/);
    assert.ok(!res.body.includes('<script>alert'), 'excerpt stays escaped');
    assert.match(res.body, /&lt;script>alert\(1\)&lt;\/script>|&lt;script&gt;/);
  });

  it('filters by type and never links off-site', async () => {
    const res = await get(`/search?q=${encodeURIComponent('停车')}&type=member`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /李四/);
    assert.ok(!res.body.includes('/news/2'));
    assert.ok(!res.body.includes('javascript:'));
    const all = await api(`q=${encodeURIComponent('停车')}`);
    assert.deepEqual(all.items.map((i: { id: number }) => i.id), [2, 4]);
  });

  it('answers one character and English words, in English too', async () => {
    const one = await api(`q=${encodeURIComponent('车')}`);
    assert.deepEqual(one.items.map((i: { id: number }) => i.id).sort(), [2, 4]);
    const res = await get('/search?q=PARKING', en);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Search results for “PARKING”/);
    assert.match(res.body, /<mark>Parking<\/mark> is hard/);
    assert.match(res.body, /1 result</);
  });

  it('shows a prompt for an empty query and a message when nothing is found', async () => {
    const empty = await get('/search');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /请输入要搜索的词语/);
    const none = await get(`/search?q=${encodeURIComponent('火星基地')}`);
    assert.match(none.body, /没有找到相关结果/);
    const apiEmpty = await get('/api/v1/search?q=');
    assert.equal(apiEmpty.statusCode, 400);
    assert.equal(apiEmpty.json().error.code, 'validation_failed');
  });

  it('refuses over-long queries and bad parameters with a localised 400', async () => {
    const long = '养'.repeat(101);
    const res = await get(`/search?q=${encodeURIComponent(long)}`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>错误：/);
    assert.match(res.body, /搜索词.*100/);
    assert.ok(res.body.includes(`value="${long}"`), 'keeps what was typed');
    const enRes = await get(`/search?q=${encodeURIComponent(long)}`, en);
    assert.match(enRes.body, /Search terms/);
    for (const qs of ['type=secret', 'page=0', 'page=abc', 'page=99999999999']) {
      assert.equal((await get(`/search?q=a&${qs}`)).statusCode, 400, qs);
      const j = await get(`/api/v1/search?q=a&${qs}`);
      assert.equal(j.statusCode, 400, qs);
      assert.ok(j.json().error.message);
    }
    assert.equal((await get(`/api/v1/search?q=${'x'.repeat(5000)}`)).statusCode, 400);
  });

  it('never fails on hostile input', async () => {
    const hostile = ['"', '*', ') OR (', 'NEAR(养老 停车)', '养老" OR "1', "'; DROP TABLE search_docs; --", 'a:b', '^*', '\\', '😀😀', '%ED%A0%80',
      '%ED%A0%80%E5%85%BB', '%FF%FE', '%00', 'q%5B%5D=1', '停车&q=养老', '-养老 +停车', '养 老', '<b>养老</b>'];
    for (const raw of hostile) {
      for (const path of ['/search', '/api/v1/search']) {
        const q = raw.includes('%') ? raw : encodeURIComponent(raw);
        const res = await get(`${path}?q=${q}`);
        assert.ok(res.statusCode < 500, `${path} ${raw} → ${res.statusCode}`);
        assert.ok([200, 400].includes(res.statusCode), `${path} ${raw} → ${res.statusCode}`);
      }
    }
    // The query-string parser leaves undecodable percent-escapes as they are: plain text.
    const res = await get('/api/v1/search?q=%ED%A0%80');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().q, '%ED%A0%80');
    const arr = await get('/search?q=a&q=b');
    assert.ok(arr.statusCode < 500);
    assert.equal((await get(`/search?q=${encodeURIComponent('<b>养老</b>')}`)).body.includes('<b>养老'), false);
  });

  it('serves anonymous results from the page cache with an ETag', async () => {
    const url = `/search?q=${encodeURIComponent('养老')}&type=news`;
    const a = await get(url);
    assert.ok(a.headers.etag);
    const b = await get(url, { 'if-none-match': String(a.headers.etag) });
    assert.equal(b.statusCode, 304);
  });

  it('paginates through the API', async () => {
    const db = t.ctx.database.db;
    for (let i = 10; i < 35; i++) await indexDocument(db, { docType: 'page', docId: i, title: `议事规则第${i}条`, text: '协商议事', url: `/p/${i}`, publishedAt: null });
    const p1 = await api(`q=${encodeURIComponent('议事')}`);
    assert.equal(p1.total, 25);
    assert.equal(p1.pages, 2);
    assert.equal(p1.items.length, 20);
    const p2 = await api(`q=${encodeURIComponent('议事')}&page=2`);
    assert.equal(p2.items.length, 5);
    const page = await get(`/search?q=${encodeURIComponent('议事')}&page=2`);
    assert.match(page.body, /rel="prev"/);
  });
});
