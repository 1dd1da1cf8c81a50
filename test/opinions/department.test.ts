import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadOpinion } from '../../src/modules/opinions/access.js';
import { acceptOpinion, forwardOpinion } from '../../src/modules/opinions/handling.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, csrfToken, get, postForm } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';
import { multipartBody } from '../permissions/multipart.js';

// The department side: its inbox of action items, one item with the source opinion (the
// sender never identified), progress, an answer that becomes the reply, done with evidence.

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d49444154789c6300010000050001 0d0a2db40000000049454e44ae426082'.replace(/\s/g, ''), 'hex');

describe('opinions: a department answers its action items', () => {
  let t: TestApp;
  let w: OpinionWorld;
  let dept: Jar;
  let otherDept: Jar;
  let member: Jar;
  let seq = 0;
  const db = () => t.ctx.database.db;

  /** An opinion sent to the member, accepted and forwarded to the department: the action item's id. */
  const forwarded = async (title: string, department = w.department) => {
    seq++;
    const c = await userOf(t.ctx, w.citizen);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: c }, sampleOpinion(w, { title, body: `第${seq}件：东门社区路面坑洼积水，雨天出行困难，请尽快修复。` }));
    const m = await userOf(t.ctx, w.member);
    await acceptOpinion(t.ctx, m, sent.id);
    const itemId = await forwardOpinion(t.ctx, m, sent.id, { departmentId: String(department), instructions: '请现场核实并答复群众' });
    return { itemId, opinionId: sent.id };
  };

  const postMultipart = async (url: string, jar: Jar, fields: Record<string, string>, file?: { filename: string; content: Buffer; type: string }) => {
    const { body, contentType } = multipartBody({ _csrf: csrfToken(t.app, jar), ...fields }, file ? { name: 'files', ...file } : undefined);
    const res = await t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, cookie: jar.header() } });
    jar.take(res);
    return res;
  };

  before(async () => {
    t = await createTestApp();
    w = await makeOpinionWorld(t.ctx);
    dept = await signedInJar(t.app, t.ctx, w.deptHandler);
    otherDept = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { name: '交通局办理员', roles: [{ bodyId: w.otherDepartment, role: 'department_handler' }] }));
    member = await signedInJar(t.app, t.ctx, w.member);
  });
  after(() => t.close());

  it('lists a department\'s items, and only its own', async () => {
    const mine = await forwarded('路面坑洼积水');
    const theirs = await forwarded('公交站台破损', w.otherDepartment);
    const inbox = await get(t.app, '/handle/actions', dept);
    assert.equal(inbox.statusCode, 200);
    assert.ok(inbox.body.includes('路面坑洼积水'));
    assert.ok(!inbox.body.includes('公交站台破损'), 'another department\'s items are not listed');
    assert.equal((await get(t.app, `/handle/actions?dept=${w.otherDepartment}`, dept)).statusCode, 403);
    assert.equal((await get(t.app, `/handle/actions/${theirs.itemId}`, dept)).statusCode, 403);
    assert.equal((await get(t.app, `/handle/actions/${mine.itemId}`, otherDept)).statusCode, 403);
    assert.equal((await get(t.app, '/handle/actions', member)).statusCode, 403, 'a member answers for no department');
    assert.equal((await get(t.app, '/handle/actions/99999999', dept)).statusCode, 404);

    await db().updateTable('action_items').set({ due_on: '2020-01-06' }).where('id', '=', mine.itemId).execute();
    const late = await get(t.app, '/handle/actions', dept);
    assert.match(late.body, /已逾期 \d+ 个工作日/);
    assert.ok((await get(t.app, '/handle/actions?status=done', dept)).body.includes('没有交办事项'));
  });

  it('shows the item with its source, never the sender\'s identity', async () => {
    const { itemId, opinionId } = await forwarded('下水道堵塞');
    const page = await get(t.app, `/handle/actions/${itemId}`, dept);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('下水道堵塞') && page.body.includes('东门社区路面坑洼积水'));
    assert.ok(page.body.includes('请现场核实并答复群众'));
    assert.ok(!page.body.includes(w.citizenPhone) && !page.body.includes('138****'), 'no phone, masked or not');
    assert.ok(!page.body.includes(`/handle/opinions/${opinionId}`), 'no link to a page the department may not open');
    // The member who forwarded it may look at it too (read-only).
    const seen = await get(t.app, `/handle/actions/${itemId}`, member);
    assert.equal(seen.statusCode, 200);
    assert.ok(!seen.body.includes(`action="/handle/actions/${itemId}/answer"`));
  });

  it('takes progress and an answer (which becomes the reply), refusing bad input and other departments', async () => {
    const { itemId, opinionId } = await forwarded('路灯不亮请维修');
    const url = `/handle/actions/${itemId}`;
    let res = await postForm(t.app, `${url}/progress`, { progress: '' }, dept);
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('请填写'));
    assert.equal((await db().selectFrom('action_item_updates').select('id').where('action_item_id', '=', itemId).execute()).length, 0);
    res = await postForm(t.app, `${url}/answer`, { answer: '已修好' }, otherDept);
    assert.equal(res.statusCode, 403);
    res = await postForm(t.app, `${url}/answer`, { answer: '已修好' }, member);
    assert.equal(res.statusCode, 403);
    assert.equal((await postForm(t.app, `${url}/answer`, { answer: '已修好' })).statusCode, 401);

    res = await postForm(t.app, `${url}/progress`, { progress: '已派人现场查看。' }, dept);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `${url}?done=progress`);
    res = await postForm(t.app, `${url}/answer`, { answer: '路灯已于本周更换完毕，感谢反映。', done: 'on' }, dept);
    assert.equal(res.statusCode, 303);
    const item = await db().selectFrom('action_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
    assert.equal(item.status, 'done');
    const op = await loadOpinion(db(), opinionId);
    assert.equal(op.status, 'replied');
    assert.equal(op.reply_text, '路灯已于本周更换完毕，感谢反映。');
    const page = await get(t.app, url, dept);
    assert.ok(page.body.includes('这项交办事项已经办结。'));
    res = await postForm(t.app, `${url}/progress`, { progress: '再报一次进展' }, dept);
    assert.equal(res.statusCode, 409);
    assert.ok(res.body.includes('这项交办事项已经办结。'));
  });

  it('completes an item with evidence: images or PDF checked by content, stored as the item\'s attachments', async () => {
    const { itemId } = await forwarded('垃圾清运不及时');
    const url = `/handle/actions/${itemId}`;
    let res = await postMultipart(`${url}/done`, dept, { evidence: '已清运完毕并增加清运频次。' }, { filename: 'evidence.png', content: Buffer.from('not an image at all'), type: 'image/png' });
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('附件只能是 JPG、PNG 图片或 PDF 文件。'));
    assert.equal((await db().selectFrom('attachments').select('id').where('owner_type', '=', 'action_item').where('owner_id', '=', itemId).execute()).length, 0);
    assert.equal((await db().selectFrom('action_items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow()).status, 'open');

    res = await postMultipart(`${url}/done`, dept, { evidence: '' }, { filename: 'evidence.png', content: PNG, type: 'image/png' });
    assert.equal(res.statusCode, 400);
    assert.equal((await db().selectFrom('attachments').select('id').where('owner_type', '=', 'action_item').where('owner_id', '=', itemId).execute()).length, 0);

    res = await postMultipart(`${url}/done`, otherDept, { evidence: '不是我们的' }, { filename: 'evidence.png', content: PNG, type: 'image/png' });
    assert.equal(res.statusCode, 403);

    res = await postMultipart(`${url}/done`, dept, { evidence: '已清运完毕并增加清运频次。' }, { filename: '现场照片.png', content: PNG, type: 'image/png' });
    assert.equal(res.statusCode, 303);
    const files = await db().selectFrom('attachments').selectAll().where('owner_type', '=', 'action_item').where('owner_id', '=', itemId).execute();
    assert.equal(files.length, 1);
    assert.equal(files[0]?.mime, 'image/png');
    assert.ok(existsSync(join(t.ctx.config.uploadsDir, files[0]?.storage_key ?? 'x')));
    assert.equal((await db().selectFrom('action_items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow()).status, 'done');
    const page = await get(t.app, url, dept);
    assert.ok(page.body.includes('现场照片.png'));
    const fileUrl = `${url}/files/${files[0]?.id}/${encodeURIComponent('现场照片.png')}`;
    const dl = await get(t.app, fileUrl, dept);
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.headers['content-type'], 'image/png');
    assert.equal((await get(t.app, fileUrl, otherDept)).statusCode, 403);
    assert.equal((await get(t.app, `${url}/files/99999/x.png`, dept)).statusCode, 404);
    // Without a file, a plain form completes an item too.
    const plain = await forwarded('噪音扰民问题');
    res = await postForm(t.app, `/handle/actions/${plain.itemId}/done`, { evidence: '已约谈商户并整改。' }, dept);
    assert.equal(res.statusCode, 303);
  });
});

describe('opinions: evidence larger than the upload limit', () => {
  let t: TestApp;
  let w: OpinionWorld;
  before(async () => {
    t = await createTestApp({ uploadMaxBytes: 300 });
    w = await makeOpinionWorld(t.ctx);
  });
  after(() => t.close());

  it('answers with the page and a localised message (413), storing nothing', async () => {
    const c = await userOf(t.ctx, w.citizen);
    const m = await userOf(t.ctx, w.member);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: c }, sampleOpinion(w, { title: '大文件测试' }));
    await acceptOpinion(t.ctx, m, sent.id);
    const itemId = await forwardOpinion(t.ctx, m, sent.id, { departmentId: String(w.department), instructions: '请现场核实并答复群众' });
    const jar = await signedInJar(t.app, t.ctx, w.deptHandler);
    const big = Buffer.concat([PNG, Buffer.alloc(2000)]);
    const { body, contentType } = multipartBody({ _csrf: csrfToken(t.app, jar), evidence: '已办结' }, { name: 'files', filename: 'big.png', content: big, type: 'image/png' });
    const res = await t.app.inject({ method: 'POST', url: `/handle/actions/${itemId}/done`, payload: body, headers: { 'content-type': contentType, cookie: jar.header() } });
    assert.equal(res.statusCode, 413);
    assert.ok(res.body.includes('每个附件不能超过'), res.body.slice(0, 300));
    assert.equal((await t.ctx.database.db.selectFrom('attachments').select('id').where('owner_type', '=', 'action_item').execute()).length, 0);
    assert.equal((await t.ctx.database.db.selectFrom('action_items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow()).status, 'open');
  });
});
