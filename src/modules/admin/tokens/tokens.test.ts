import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueSms } from '../../../platform/sms/queue.js';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../../test/helpers/factories.js';
import { type Jar, get, postForm } from '../../../../test/helpers/http.js';

describe('API tokens', () => {
  let t: TestApp;
  let jar: Jar;
  let ownerId: number;
  let root: number;

  before(async () => {
    t = await createTestApp();
    root = await makeBody(t.ctx, { kind: 'committee' });
    jar = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: root, role: 'admin' }] }));
    ownerId = await makeUser(t.ctx, { name: '接口用户', roles: [{ bodyId: root, role: 'admin' }] });
  });
  after(async () => { await t.close(); });

  const apiGet = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/admin/sectors', headers: { authorization: `Bearer ${token}` } });

  it('issues a token shown once that authenticates bearer requests until revoked', async () => {
    const res = await postForm(t.app, '/admin/tokens', { name: '数据大屏', userId: String(ownerId) }, jar);
    assert.equal(res.statusCode, 200, res.body);
    const token = /id="new-token"[^>]*value="(xs_[A-Za-z0-9_-]{43})"/.exec(res.body)?.[1] ?? /value="(xs_[A-Za-z0-9_-]{43})"/.exec(res.body)?.[1];
    assert.ok(token, 'token shown on the page');
    const row = await t.ctx.database.db.selectFrom('api_tokens').selectAll().where('name', '=', '数据大屏').executeTakeFirstOrThrow();
    assert.notEqual(row.token_hash, token, 'only the hash is stored');
    assert.match(row.token_hash, /^[0-9a-f]{64}$/);

    const ok = await apiGet(token);
    assert.equal(ok.statusCode, 200, ok.body);
    // Its use is recorded (after the answer, with the next commit).
    let used: string | null = null;
    for (let i = 0; i < 50 && !used; i++) {
      await new Promise((r) => setTimeout(r, 10));
      used = (await t.ctx.database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', row.id).executeTakeFirstOrThrow()).last_used_at;
    }
    assert.ok(used, 'last use recorded');
    // A bearer POST needs no CSRF token and acts as the token's user.
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/sectors', headers: { authorization: `Bearer ${token}` }, payload: { name: '科技界' } });
    assert.equal(created.statusCode, 201, created.body);
    const ev = await t.ctx.database.db.selectFrom('audit_events').select('actor_id').where('stream_type', '=', 'sector').executeTakeFirstOrThrow();
    assert.equal(ev.actor_id, ownerId);

    const list = await get(t.app, '/admin/tokens', jar);
    assert.ok(!list.body.includes(token), 'never shown again');
    const revoke = await postForm(t.app, `/admin/tokens/${row.id}/revoke`, {}, jar);
    assert.equal(revoke.statusCode, 303);
    const denied = await apiGet(token);
    assert.equal(denied.statusCode, 401);
    const twice = await postForm(t.app, `/admin/tokens/${row.id}/revoke`, {}, jar);
    assert.equal(twice.statusCode, 400);
  });

  it('shows the outbox with full message text and job state, and a dashboard with counts', async () => {
    const db = t.ctx.database.db;
    await queueSms(db, '13900001111', '【协商】您的登录验证码是 482913', 'log');
    await db.updateTable('jobs').set({ status: 'failed', last_error: 'gateway said 502' }).where('kind', '=', 'sms.send').execute();
    const page = await get(t.app, '/admin/outbox', jar);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /登录验证码是 482913/);
    assert.match(page.body, /gateway said 502/);
    const dash = await get(t.app, '/admin', jar);
    assert.equal(dash.statusCode, 200);
    for (const href of ['/admin/regions', '/admin/users', '/admin/import', '/admin/tokens', '/admin/outbox', '/admin/content', '/admin/privacy']) assert.ok(dash.body.includes(`href="${href}"`), href);
    assert.match(dash.body, /1 个失败任务/);
    const staff = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: root, role: 'staff' }] }));
    const staffDash = await get(t.app, '/admin', staff);
    assert.equal(staffDash.statusCode, 200);
    assert.ok(staffDash.body.includes('href="/admin/content"'));
    assert.ok(!staffDash.body.includes('href="/admin/users"'));
  });

  it('rejects bad issue requests with field errors and unknown ids with 404', async () => {
    const bad = await postForm(t.app, '/admin/tokens', { name: '', userId: 'abc' }, jar);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /请填写令牌名称/);
    assert.match(bad.body, /必须是整数/);
    const ghost = await postForm(t.app, '/admin/tokens', { name: 'x', userId: '99999' }, jar);
    assert.equal(ghost.statusCode, 400);
    assert.match(ghost.body, /用户不存在或已停用/);
    for (const id of ['99999', 'abc', '1e5', '-1']) {
      const r = await postForm(t.app, `/admin/tokens/${id}/revoke`, {}, jar);
      assert.equal(r.statusCode, 404, id);
    }
    assert.equal((await apiGet('xs_forged')).statusCode, 401);
  });
});
