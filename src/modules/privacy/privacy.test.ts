import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../test/helpers/factories.js';
import { get, postForm } from '../../../test/helpers/http.js';
import { queueSms } from '../../platform/sms/queue.js';
import { putSettings } from '../../platform/site-settings.js';
import { readStream } from '../../platform/timeline/audit.js';
import { phoneForViewer } from './phone.js';

describe('personal data: export, erasure and requests', () => {
  let t: TestApp;
  let committee: number;
  before(async () => {
    t = await createTestApp();
    committee = await makeBody(t.ctx, { name: '青山县政协' });
    await putSettings(t.ctx.database.db, { org_name: '青山县政协', setup_done: '1', committee_body_id: String(committee) });
  });
  after(async () => { await t.close(); });
  const db = () => t.ctx.database.db;

  it('shows and downloads everything held on the person, phone unmasked to them', async () => {
    const uid = await makeUser(t.ctx, { phone: '13812345678' });
    await queueSms(db(), '13812345678', '您的意见已受理', 'log');
    await db().insertInto('notifications').values({ user_id: uid, kind: 'opinion', title: '意见已答复', body: '请查看答复', link: null, created_at: new Date().toISOString(), read_at: null }).execute();
    const jar = await signedInJar(t.app, t.ctx, uid);
    const page = await get(t.app, '/account/data', jar);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /13812345678/);
    assert.match(page.body, /您的意见已受理/);
    assert.match(page.body, /意见已答复/);
    const file = await get(t.app, '/account/data.json', jar);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="personal-data-\d+\.json"$/);
    const data = file.json();
    assert.equal(data.personalData.phone, '13812345678');
    assert.equal(data.account.id, uid);
    assert.equal(data.smsMessages[0].text, '您的意见已受理');
    assert.equal(data.notifications.length, 1);
    assert.equal(JSON.stringify(data).includes('password_hash'), false);
    assert.equal((await get(t.app, '/account/data.json')).statusCode, 303);
  });

  it('serves the same export through the API for a bearer token', async () => {
    const uid = await makeUser(t.ctx, { phone: '13812340000' });
    const { hashToken } = await import('../../platform/auth/sessions.js');
    await db().insertInto('api_tokens').values({ name: 'x', token_hash: hashToken('xs_privacytoken'), user_id: uid, created_by: null, created_at: new Date().toISOString(), last_used_at: null, revoked_at: null }).execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/data', headers: { authorization: 'Bearer xs_privacytoken' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().personalData.phone, '13812340000');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me/data' })).statusCode, 401);
  });

  it('erases a citizen at once after they confirm, and signs them out', async () => {
    const uid = await makeUser(t.ctx, { name: '139****0001', phone: '13900000001' });
    await queueSms(db(), '13900000001', '【青山县政协】您的登录验证码是 123456', 'log');
    await db().insertInto('login_codes').values({ phone: '13900000001', purpose: 'sign_in', code_hash: 'x', created_at: new Date().toISOString(), expires_at: new Date().toISOString(), used_at: null }).execute();
    const jar = await signedInJar(t.app, t.ctx, uid);
    const form = await get(t.app, '/account/erase', jar);
    assert.match(form.body, /name="confirm"/);
    const wrong = await postForm(t.app, '/account/erase', { confirm: '好的' }, jar);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /请输入“注销”确认注销/);
    assert.ok(await db().selectFrom('user_pii').select('user_id').where('user_id', '=', uid).executeTakeFirst());
    const res = await postForm(t.app, '/account/erase', { confirm: '注销' }, jar);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/erased');
    assert.equal(await db().selectFrom('user_pii').select('user_id').where('user_id', '=', uid).executeTakeFirst(), undefined);
    const user = await db().selectFrom('users').selectAll().where('id', '=', uid).executeTakeFirstOrThrow();
    assert.equal(user.status, 'erased');
    assert.equal(user.display_name, '已注销用户');
    assert.ok(user.erased_at);
    assert.equal((await db().selectFrom('sessions').select('id').where('user_id', '=', uid).execute()).length, 0);
    assert.equal((await db().selectFrom('login_codes').select('id').where('phone', '=', '13900000001').execute()).length, 0);
    assert.equal((await db().selectFrom('sms_messages').select('id').where('phone', '=', '13900000001').execute()).length, 0);
    const sms = await db().selectFrom('sms_messages').selectAll().where('phone', '=', '139****0001').execute();
    assert.ok(sms.length === 1 && sms[0]?.text === '[已删除]');
    const events = await readStream(db(), 'user', uid);
    assert.equal(events.at(-1)?.action, 'privacy.erased');
    assert.doesNotMatch(JSON.stringify(events), /13900000001/);
    assert.equal((await get(t.app, '/account', jar)).statusCode, 303);
  });

  it('turns a member’s erasure into a request that an administrator approves', async () => {
    const member = await makeUser(t.ctx, { name: '赵委员', phone: '13700000002', roles: [{ bodyId: committee, role: 'member' }] });
    const admin = await makeUser(t.ctx, { name: '管理员', roles: [{ bodyId: committee, role: 'admin' }] });
    const mj = await signedInJar(t.app, t.ctx, member);
    const form = await get(t.app, '/account/erase', mj);
    assert.match(form.body, /name="reason"/);
    const filed = await postForm(t.app, '/account/erase', { reason: '不再担任委员' }, mj);
    assert.equal(filed.headers.location, '/account/erase?filed=1');
    await postForm(t.app, '/account/erase', { reason: 'again' }, mj);
    const reqs = await db().selectFrom('data_requests').selectAll().where('user_id', '=', member).execute();
    assert.equal(reqs.length, 1, 'one pending request at a time');
    assert.ok(await db().selectFrom('user_pii').select('user_id').where('user_id', '=', member).executeTakeFirst(), 'nothing erased yet');

    const aj = await signedInJar(t.app, t.ctx, admin);
    const list = await get(t.app, '/admin/privacy', aj);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /赵委员/);
    assert.match(list.body, /不再担任委员/);
    const id = reqs[0]?.id;
    const ok = await postForm(t.app, `/admin/privacy/${id}/approve`, {}, aj);
    assert.equal(ok.statusCode, 303);
    assert.equal(await db().selectFrom('user_pii').select('user_id').where('user_id', '=', member).executeTakeFirst(), undefined);
    const m = await db().selectFrom('memberships').select('ends_on').where('user_id', '=', member).execute();
    assert.ok(m.every((r) => r.ends_on === new Date().toISOString().slice(0, 10)));
    assert.equal((await db().selectFrom('users').select('status').where('id', '=', member).executeTakeFirstOrThrow()).status, 'erased');
    const again = await postForm(t.app, `/admin/privacy/${id}/approve`, {}, aj);
    assert.equal(again.statusCode, 409);
    assert.equal((await get(t.app, '/account', mj)).statusCode, 303, 'the erased member is signed out');
  });

  it('rejects with a note the person sees; a note is required', async () => {
    const staff = await makeUser(t.ctx, { name: '钱干事', roles: [{ bodyId: committee, role: 'staff' }] });
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const sj = await signedInJar(t.app, t.ctx, staff);
    await postForm(t.app, '/account/erase', { reason: '' }, sj);
    const id = (await db().selectFrom('data_requests').select('id').where('user_id', '=', staff).executeTakeFirstOrThrow()).id;
    const aj = await signedInJar(t.app, t.ctx, admin);
    const noNote = await postForm(t.app, `/admin/privacy/${id}/reject`, {}, aj);
    assert.equal(noNote.statusCode, 400);
    assert.match(noNote.body, /请填写驳回说明/);
    const res = await postForm(t.app, `/admin/privacy/${id}/reject`, { [`note-${id}`]: '任期内履职记录须保留至换届' }, aj);
    assert.equal(res.statusCode, 303);
    const mine = await get(t.app, '/account/erase', sj);
    assert.match(mine.body, /未予删除/);
    assert.match(mine.body, /任期内履职记录须保留至换届/);
    assert.equal((await db().selectFrom('users').select('status').where('id', '=', staff).executeTakeFirstOrThrow()).status, 'active');
  });

  it('keeps /admin/privacy from everyone but administrators', async () => {
    const citizen = await makeUser(t.ctx, { phone: '13600000003' });
    const staff = await makeUser(t.ctx, { roles: [{ bodyId: committee, role: 'staff' }] });
    for (const uid of [citizen, staff]) {
      const jar = await signedInJar(t.app, t.ctx, uid);
      assert.equal((await get(t.app, '/admin/privacy', jar)).statusCode, 403);
      assert.equal((await postForm(t.app, '/admin/privacy/1/approve', {}, jar)).statusCode, 403);
    }
    assert.equal((await get(t.app, '/admin/privacy')).statusCode, 401);
    const admin = await makeUser(t.ctx, { isAdmin: true });
    const aj = await signedInJar(t.app, t.ctx, admin);
    for (const bad of ['abc', '0', '99999999999', '999999']) {
      const res = await postForm(t.app, `/admin/privacy/${bad}/approve`, {}, aj);
      assert.equal(res.statusCode, 404, bad);
    }
  });

  it('publishes the personal-data notice in both languages', async () => {
    const zh = await get(t.app, '/privacy');
    assert.equal(zh.statusCode, 200);
    assert.match(zh.body, /<h1>个人信息保护说明<\/h1>/);
    assert.match(zh.body, /138\*\*\*\*5678/);
    const en = await get(t.app, '/privacy', undefined, { 'accept-language': 'en' });
    assert.match(en.body, /<h1>Personal data notice<\/h1>/);
  });

  it('masks phones for everyone but the owner and authorised staff', () => {
    const phone = { ownerId: 7, phone: '13812345678' };
    assert.equal(phoneForViewer({ id: 7 }, phone, false), '13812345678');
    assert.equal(phoneForViewer({ id: 8 }, phone, true), '13812345678');
    assert.equal(phoneForViewer({ id: 8 }, phone, false), '138****5678');
    assert.equal(phoneForViewer(null, phone, false), '138****5678');
    assert.equal(phoneForViewer(null, { ownerId: 7, phone: null }, false), '');
  });
});
