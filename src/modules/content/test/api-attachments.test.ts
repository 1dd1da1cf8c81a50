import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../../test/helpers/factories.js';
import { type Jar, get } from '../../../../test/helpers/http.js';
import { hashToken } from '../../../platform/auth/sessions.js';
import { putSettings } from '../../../platform/site-settings.js';
import { insertNews, insertPage } from './fixtures.js';
import { PDF, PNG, postFile, zipWith } from './multipart.js';

describe('content: JSON API and attachments', () => {
  let t: TestApp;
  let committee: number;
  let group: number;
  let staff: Jar;
  let citizen: Jar;
  let token: string;
  before(async () => {
    t = await createTestApp({ uploadMaxBytes: 64 * 1024 });
    await putSettings(t.ctx.database.db, { org_name: '县政协', setup_done: '1' });
    committee = await makeBody(t.ctx, { kind: 'committee' });
    group = await makeBody(t.ctx, { kind: 'liaison_group', parentId: committee });
    const staffId = await makeUser(t.ctx, { roles: [{ bodyId: group, role: 'staff' }] });
    staff = await signedInJar(t.app, t.ctx, staffId);
    citizen = await signedInJar(t.app, t.ctx, await makeUser(t.ctx));
    token = 'xs_testtoken_content_0123456789';
    await t.ctx.database.db.insertInto('api_tokens').values({ name: 'cms', token_hash: hashToken(token), user_id: staffId, created_by: null, created_at: new Date().toISOString(), last_used_at: null, revoked_at: null }).execute();
  });
  after(async () => { await t.close(); });

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });

  it('lists and shows news and pages as JSON, with 404s and 400s as JSON errors', async () => {
    const id = await insertNews(t.ctx, { bodyId: group, title: '接口新闻', kind: 'announcement' });
    await insertPage(t.ctx, { bodyId: committee, slug: 'about-us', kind: 'overview', title: '概况' });
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/news?kind=announcement&body=${group}` })).json();
    assert.equal(list.total, 1);
    assert.equal(list.items[0].title, '接口新闻');
    const one = (await t.app.inject({ method: 'GET', url: `/api/v1/news/${id}` })).json();
    assert.equal(one.url, `/news/${id}`);
    assert.deepEqual(one.attachments, []);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/pages/about-us' })).json().kind, 'overview');
    for (const url of ['/api/v1/news/abc', '/api/v1/news/99999', '/api/v1/pages/none', '/api/v1/pages/Bad!']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'not_found');
    }
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/news?page=-3' });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json().error.message);
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(spec.paths['/api/v1/news'].post.tags.includes('content'));
  });

  it('creates news through the API with a bearer token, within the token owner’s bodies', async () => {
    const res = await api('POST', '/api/v1/news', { body_id: group, kind: 'news', title: '接口发布', body_md: '内容', intent: 'publish' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'published');
    assert.equal((await t.app.inject({ method: 'GET', url: res.json().url })).statusCode, 200);
    const denied = await api('POST', '/api/v1/news', { body_id: committee, kind: 'news', title: '越权', body_md: '内容', intent: 'publish' });
    assert.equal(denied.statusCode, 403);
    const invalid = await api('POST', '/api/v1/news', { body_id: group, kind: 'news', title: '', body_md: '内容', intent: 'publish' });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().error.fields[0].field, 'title');
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/news', payload: { body_id: group } });
    assert.equal(anon.statusCode, 401);
  });

  it('accepts real files by their bytes and serves them only while the item is public', async () => {
    const id = await insertNews(t.ctx, { bodyId: group, title: '带附件', status: 'draft', publishedAt: null });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRow(['姓名']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    for (const f of [{ filename: '通知.pdf', type: 'application/pdf', data: PDF }, { filename: '照片.png', type: 'image/png', data: PNG },
      { filename: '名单.xlsx', type: 'application/octet-stream', data: xlsx }, { filename: '说明.docx', type: 'application/octet-stream', data: zipWith(['[Content_Types].xml', 'word/document.xml']) }]) {
      const res = await postFile(t.app, `/admin/content/news/${id}/attachments`, f, staff);
      assert.equal(res.statusCode, 303, `${f.filename}: ${res.body.slice(0, 300)}`);
    }
    const rows = await t.ctx.database.db.selectFrom('attachments').selectAll().where('owner_id', '=', id).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.mime), ['application/pdf', 'image/png', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']);
    assert.match(rows[0]?.sha256 ?? '', /^[0-9a-f]{64}$/);
    const url = `/attachments/${rows[0]?.id}/${encodeURIComponent('通知.pdf')}`;
    assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404, 'draft item: hidden from the public');
    assert.equal((await get(t.app, url, citizen)).statusCode, 404);
    assert.equal((await get(t.app, url, staff)).statusCode, 200, 'its editor may see it');
    await t.ctx.database.db.updateTable('news').set({ status: 'published', published_at: new Date().toISOString() }).where('id', '=', id).execute();
    const res = await t.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-disposition'], `inline; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('通知.pdf')}`);
    assert.deepEqual(res.rawPayload, PDF);
    const xl = await t.app.inject({ method: 'GET', url: `/attachments/${rows[2]?.id}/${encodeURIComponent('名单.xlsx')}` });
    assert.match(String(xl.headers['content-disposition']), /^attachment;/);
    assert.equal((await t.app.inject({ method: 'GET', url: `/attachments/${rows[0]?.id}/other.pdf` })).statusCode, 404);
    t.ctx.pageCache.invalidate();
    assert.match((await t.app.inject({ method: 'GET', url: `/news/${id}` })).body, /通知\.pdf/);
  });

  it('refuses wrong types, disguised files, oversized files and strangers, storing nothing', async () => {
    const id = await insertNews(t.ctx, { bodyId: group, title: '拒绝附件' });
    const files = () => readdirSync(t.ctx.config.uploadsDir).length;
    const rows = async () => (await t.ctx.database.db.selectFrom('attachments').select('id').where('owner_id', '=', id).execute()).length;
    const before = files();
    const cases = [
      { filename: '脚本.pdf', type: 'application/pdf', data: Buffer.from('<script>alert(1)</script>') },
      { filename: 'page.html', type: 'text/html', data: Buffer.from('<html></html>') },
      { filename: '伪装.png', type: 'image/png', data: PDF },
      { filename: 'archive.docx', type: 'application/zip', data: zipWith(['a.txt']) },
      { filename: 'empty.pdf', type: 'application/pdf', data: Buffer.alloc(0) },
    ];
    for (const f of cases) {
      const res = await postFile(t.app, `/admin/content/news/${id}/attachments`, f, staff);
      assert.equal(res.statusCode, 400, f.filename);
      assert.match(res.body, f.data.length ? /文件类型不允许/ : /请选择要上传的文件/, f.filename);
      assert.match(res.body, /<title>错误：/);
    }
    const none = await postFile(t.app, `/admin/content/news/${id}/attachments`, null, staff);
    assert.match(none.body, /请选择要上传的文件/);
    const big = await postFile(t.app, `/admin/content/news/${id}/attachments`, { filename: 'big.pdf', type: 'application/pdf', data: Buffer.concat([PDF, Buffer.alloc(70 * 1024)]) }, staff);
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /文件太大，不能超过 0\.1 MB/);
    const stranger = await postFile(t.app, `/admin/content/news/${id}/attachments`, { filename: 'a.pdf', type: 'application/pdf', data: PDF }, citizen);
    assert.equal(stranger.statusCode, 403);
    assert.equal(files(), before);
    assert.equal(await rows(), 0);
  });

  it('deletes an attachment and its file', async () => {
    const id = await insertNews(t.ctx, { bodyId: group, title: '删附件' });
    await postFile(t.app, `/admin/content/news/${id}/attachments`, { filename: 'a.png', type: 'image/png', data: PNG }, staff);
    const row = await t.ctx.database.db.selectFrom('attachments').selectAll().where('owner_id', '=', id).executeTakeFirstOrThrow();
    assert.ok(readdirSync(t.ctx.config.uploadsDir).includes(row.storage_key));
    const { postForm } = await import('../../../../test/helpers/http.js');
    assert.equal((await postForm(t.app, `/admin/content/attachments/${row.id}/delete`, {}, citizen)).statusCode, 403);
    assert.equal((await postForm(t.app, `/admin/content/attachments/${row.id}/delete`, {}, staff)).statusCode, 303);
    assert.ok(!readdirSync(t.ctx.config.uploadsDir).includes(row.storage_key));
    assert.equal((await t.app.inject({ method: 'GET', url: `/attachments/${row.id}/a.png` })).statusCode, 404);
  });
});
