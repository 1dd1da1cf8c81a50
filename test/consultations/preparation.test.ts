import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { eraseUser } from '../../src/modules/privacy/erasure.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, csrfToken, get, postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, makeConsultationWorld, postAndId, textOf } from './world.js';

// Preparation (materials, field research) and erasure of what a person contributed.

async function postMaterial(app: FastifyInstance, url: string, fields: Record<string, string>, file: { filename: string; data: Buffer } | null, jar: Jar): Promise<LightMyRequestResponse> {
  const boundary = `----xs${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries({ _csrf: csrfToken(app, jar), ...fields })) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.filename}"\r\ncontent-type: application/octet-stream\r\n\r\n`), file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: jar.header() } });
  jar.take(res);
  return res;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('consultations: materials, field research, erasure', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let id: number;
  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    id = await postAndId(t.app, '/admin/consultations', { title: '农村人居环境整治协商会', form: 'sector', mode: 'in_person', leadBodyId: String(w.committee), isPublic: 'on' }, staff, /consultations\/(\d+)/);
  });
  after(() => t.close());

  it('staff upload materials checked by their real type; public ones download, private ones only for organisers', async () => {
    const wrongType = await postMaterial(t.app, `/admin/consultations/${id}/materials`, { materialTitle: '伪装文件' }, { filename: 'report.pdf', data: Buffer.from('MZ not a pdf') }, staff);
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.body, /error-summary/);
    assert.equal((await postMaterial(t.app, `/admin/consultations/${id}/materials`, {}, null, staff)).statusCode, 400);
    assert.equal((await postMaterial(t.app, `/admin/consultations/${id}/materials`, { materialTitle: '背景材料' }, { filename: 'a.pdf', data: PDF }, await signedInJar(t.app, t.ctx, w.citizens[0] as number))).statusCode, 403);
    assert.equal((await postMaterial(t.app, `/admin/consultations/${id}/materials`, { materialTitle: '情况通报', materialPublic: 'on' }, { filename: '情况通报.pdf', data: PDF }, staff)).statusCode, 303);
    assert.equal((await postMaterial(t.app, `/admin/consultations/${id}/materials`, { materialTitle: '内部参考' }, { filename: 'internal.pdf', data: PDF }, staff)).statusCode, 303);
    const rows = await t.ctx.database.db.selectFrom('consultation_materials').select(['id', 'filename', 'is_public']).where('consultation_id', '=', id).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.is_public), [1, 0]);
    const page = await get(t.app, `/consultations/${id}`);
    assert.match(page.body, /情况通报/);
    assert.doesNotMatch(page.body, /内部参考/);
    const pub = await get(t.app, `/consultations/${id}/materials/${rows[0]?.id}/${encodeURIComponent('情况通报.pdf')}`);
    assert.equal(pub.statusCode, 200);
    assert.equal(pub.headers['content-type'], 'application/pdf');
    assert.equal(pub.rawPayload.toString(), PDF.toString());
    assert.equal((await get(t.app, `/consultations/${id}/materials/${rows[1]?.id}/internal.pdf`)).statusCode, 404);
    assert.equal((await get(t.app, `/consultations/${id}/materials/${rows[1]?.id}/internal.pdf`, staff)).statusCode, 200);
    assert.equal((await get(t.app, `/consultations/${id}/materials/${rows[0]?.id}/other.pdf`)).statusCode, 404, 'the name must match');
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/materials/${rows[1]?.id}/delete`, {}, staff)).statusCode, 303);
    assert.equal((await get(t.app, `/consultations/${id}/materials/${rows[1]?.id}/internal.pdf`, staff)).statusCode, 404);
  });

  it('staff record field research; it shows on the public page', async () => {
    const bad = await postForm(t.app, `/admin/consultations/${id}/research`, { researchTitle: '调研', researchSummary: '短', researchOn: '2026-02-30' }, staff);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="调研"/);
    assert.equal((await postForm(t.app, `/admin/consultations/${id}/research`, { researchTitle: '赴三个乡镇实地调研', researchSummary: '走访农户 60 户，厕所改造完成率约七成。', researchOn: dayOffset(-3), researchPlace: '石桥镇' }, staff)).statusCode, 303);
    const page = textOf(await get(t.app, `/consultations/${id}`));
    assert.match(page, /赴三个乡镇实地调研/);
    assert.match(page, /厕所改造完成率约七成/);
  });

  it('erasing a person removes their topic texts and comments but keeps the plan’s record', async () => {
    const callId = await postAndId(t.app, '/admin/consultations/calls', { bodyId: String(w.committee), title: '议题征集（测试注销）', description: '说明', opensOn: dayOffset(-1), closesOn: dayOffset(5), published: 'on' }, staff, /calls\/(\d+)/);
    const citizen = await signedInJar(t.app, t.ctx, w.citizens[1] as number);
    const topic = await postAndId(t.app, `/consultations/calls/${callId}/topics`, { title: '我家门口的路灯不亮', reason: '我住在东门社区 3 栋，门口路灯坏了两个月。' }, citizen, /topics\/(\d+)/);
    assert.equal((await postForm(t.app, `/consultations/topics/${topic}/comments`, { body: '我是 3 栋的张某，情况属实。' }, citizen)).statusCode, 303);
    await t.ctx.database.db.transaction().execute((trx) => eraseUser(trx, w.citizens[1] as number, { actorId: w.staff }));
    const row = await t.ctx.database.db.selectFrom('consultation_topics').select(['title', 'reason', 'proposer_id', 'status']).where('id', '=', topic).executeTakeFirstOrThrow();
    assert.deepEqual(row, { title: '[已删除]', reason: '[已删除]', proposer_id: null, status: 'hidden' });
    const comment = await t.ctx.database.db.selectFrom('topic_comments').select(['body', 'author_id']).where('topic_id', '=', topic).executeTakeFirstOrThrow();
    assert.deepEqual(comment, { body: '[已删除]', author_id: null });
    assert.doesNotMatch((await get(t.app, `/consultations/calls/${callId}`)).body, /路灯/);
  });
});
