import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext } from '../../../test/helpers/app.js';
import type { AppContext } from '../../context.js';
import { TOTAL_CAP, indexDocument, removeDocument, searchDocuments } from './index.js';

const docs = [
  { docType: 'news', docId: 1, title: '社区养老服务中心正式启用', text: '青山县首个社区养老服务中心今天启用，为老年人提供日间照料。', url: '/news/1', publishedAt: '2025-03-01T00:00:00.000Z' },
  { docType: 'news', docId: 2, title: '关于小区停车难的调研报告', text: '委员们走访了十个小区，停车场地不足是居民反映最多的问题。Parking survey.', url: '/news/2', publishedAt: '2025-04-01T00:00:00.000Z' },
  { docType: 'page', docId: 1, title: '政协职责', text: '政治协商、民主监督、参政议政。委员关注养老问题。', url: '/pages/duties', publishedAt: null },
  { docType: 'member', docId: 7, title: '张三', text: '县政协委员，教育界，关注停车与交通。', url: '/members/7', publishedAt: null },
  { docType: 'news', docId: 3, title: '明年发布的消息', text: '养老政策将于明年公布。', url: '/news/3', publishedAt: '2999-01-01T00:00:00.000Z' },
];

describe('search index', () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  const search = (q: string, extra: { types?: string[]; page?: number; pageSize?: number } = {}) =>
    searchDocuments(ctx.database.db, ctx.database.dialect, { q, page: 1, pageSize: 10, ...extra });
  const refs = (r: Awaited<ReturnType<typeof search>>) => r.items.map((i) => `${i.docType}:${i.docId}`);

  before(async () => {
    ({ ctx, cleanup } = await createTestContext());
    for (const d of docs) await indexDocument(ctx.database.db, d);
  });
  after(async () => { await cleanup(); });

  it('finds two-character words and ranks title matches first', async () => {
    const r = await search('养老');
    assert.deepEqual(refs(r), ['news:1', 'page:1']);
    assert.equal(r.total, 2);
    assert.equal(r.more, false);
    assert.deepEqual(refs(await search('停车')), ['news:2', 'member:7']);
  });

  it('requires every term', async () => {
    assert.deepEqual(refs(await search('停车 委员')), ['news:2', 'member:7']);
    assert.deepEqual(refs(await search('停车 教育')), ['member:7']);
    assert.deepEqual(refs(await search('养老 停车')), []);
  });

  it('finds single characters, English words and full-width input', async () => {
    assert.deepEqual(refs(await search('三')).sort(), ['member:7']);
    assert.ok(refs(await search('车')).includes('member:7'));
    assert.deepEqual(refs(await search('PARKING')), ['news:2']);
    assert.deepEqual(refs(await search('ｐａｒｋｉｎｇ')), ['news:2']);
  });

  it('filters by type and hides documents not yet published', async () => {
    assert.deepEqual(refs(await search('养老', { types: ['page'] })), ['page:1']);
    assert.deepEqual(refs(await search('养老', { types: [] })), []);
    assert.ok(!refs(await search('明年')).includes('news:3'));
  });

  it('gives nothing for queries without terms, whatever they hold', async () => {
    for (const q of ['', '   ', '"', '*', ') OR (', 'NEAR(a b)', ':', '😀', '\uD800', '“”！？']) {
      const r = await search(q);
      assert.equal(r.total, 0, q);
    }
    for (const q of ['养老"', '"养老" OR 停车', 'a:b* NEAR', "养'老\\", '停车)(', '-停车', '^养老']) await search(q);
  });

  it('updates and removes entries', async () => {
    await indexDocument(ctx.database.db, { ...docs[0]!, title: '敬老院', text: '新的文字' });
    assert.deepEqual(refs(await search('养老')), ['page:1']);
    assert.deepEqual(refs(await search('敬老')), ['news:1']);
    await removeDocument(ctx.database.db, 'news', 1);
    assert.deepEqual(refs(await search('敬老')), []);
    await indexDocument(ctx.database.db, docs[0]!);
  });

  it('paginates and caps the count', async () => {
    const page2 = await search('停车', { page: 2, pageSize: 1 });
    assert.deepEqual(refs(page2), ['member:7']);
    assert.equal(page2.total, 2);
    assert.deepEqual(refs(await search('停车', { page: 3, pageSize: 1 })), []);
    const many = Array.from({ length: TOTAL_CAP + 5 }, (_, i) => i + 100);
    await ctx.database.db.transaction().execute(async (trx) => {
      for (const id of many) await indexDocument(trx, { docType: 'page', docId: id, title: `公告${id}`, text: '协商议事', url: `/p/${id}`, publishedAt: null });
    });
    const r = await search('议事');
    assert.equal(r.total, TOTAL_CAP);
    assert.equal(r.more, true);
    assert.equal(r.items.length, 10);
    assert.deepEqual(refs(await search('议事', { page: TOTAL_CAP / 10 + 1 })), []);
  });
});
