import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../../platform/auth/passwords.js';
import { loadCurrentUser } from '../../../platform/auth/current-user.js';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../../test/helpers/factories.js';
import { type Jar, get, postForm } from '../../../../test/helpers/http.js';

describe('admin people', () => {
  let t: TestApp;
  let jar: Jar;
  let root: number;
  let adminId: number;

  before(async () => {
    t = await createTestApp();
    root = await makeBody(t.ctx, { name: '县政协', kind: 'committee' });
    adminId = await makeUser(t.ctx, { roles: [{ bodyId: root, role: 'admin' }] });
    jar = await signedInJar(t.app, t.ctx, adminId);
  });
  after(async () => { await t.close(); });

  it('creates an account with a hashed initial password and finds it by search', async () => {
    const bad = await postForm(t.app, '/admin/users/new', { displayName: '', username: 'a b', password: 'short', phone: '12345' }, jar);
    assert.equal(bad.statusCode, 400);
    for (const m of ['请填写显示名称', '用户名格式不正确', '密码至少需要 10 个字', '手机号必须是 11 位']) assert.ok(bad.body.includes(m), m);
    assert.doesNotMatch(bad.body, /value="short"/, 'password never echoed');
    const res = await postForm(t.app, '/admin/users/new', { displayName: '李工', username: 'li.gong', password: 'correct horse 1', phone: '138 0013 8000', realName: '李建国' }, jar);
    assert.equal(res.statusCode, 303, res.body);
    const id = Number(/\/admin\/users\/(\d+)/.exec(res.headers.location ?? '')?.[1]);
    const db = t.ctx.database.db;
    const u = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(await verifyPassword(u.password_hash, 'correct horse 1'));
    assert.equal((await db.selectFrom('user_pii').select('phone').where('user_id', '=', id).executeTakeFirstOrThrow()).phone, '13800138000');
    const dup = await postForm(t.app, '/admin/users/new', { displayName: 'x', username: 'li.gong', password: 'correct horse 1', phone: '13800138000' }, jar);
    assert.match(dup.body, /用户名已被使用/);
    assert.match(dup.body, /已属于另一个账号/);
    const found = await get(t.app, '/admin/users?q=8001', jar);
    assert.match(found.body, /李工/);
    assert.match(found.body, /13800138000/, 'an admin (pii.view) sees the full number');
    const none = await get(t.app, `/admin/users?q=${encodeURIComponent('%_')}`, jar);
    assert.doesNotMatch(none.body, /李工/, 'LIKE wildcards are literal');
    assert.equal((await get(t.app, `/admin/users?q=${'长'.repeat(51)}`, jar)).statusCode, 400);
    assert.equal((await get(t.app, '/admin/users?page=abc', jar)).statusCode, 200);
  });

  it('disables and enables, resets passwords, and refuses disabling oneself', async () => {
    const uid = await makeUser(t.ctx, { name: '王委员' });
    const their = await signedInJar(t.app, t.ctx, uid);
    assert.equal((await postForm(t.app, `/admin/users/${uid}/disable`, {}, jar)).statusCode, 303);
    assert.equal(await loadCurrentUser(t.ctx.database.db, uid), null);
    const sessions = await t.ctx.database.db.selectFrom('sessions').select('id').where('user_id', '=', uid).execute();
    assert.equal(sessions.length, 0, 'signed out everywhere');
    assert.ok(their);
    assert.equal((await postForm(t.app, `/admin/users/${uid}/enable`, {}, jar)).statusCode, 303);
    assert.ok(await loadCurrentUser(t.ctx.database.db, uid));
    assert.equal((await postForm(t.app, `/admin/users/${adminId}/disable`, {}, jar)).statusCode, 400);
    const pw = await postForm(t.app, `/admin/users/${uid}/password`, { password: 'new password 22' }, jar);
    assert.equal(pw.statusCode, 303);
    const row = await t.ctx.database.db.selectFrom('users').select('password_hash').where('id', '=', uid).executeTakeFirstOrThrow();
    assert.ok(await verifyPassword(row.password_hash, 'new password 22'));
    const actions = await t.ctx.database.db.selectFrom('audit_events').select('action').where('stream_type', '=', 'user').where('stream_id', '=', String(uid)).orderBy('id').execute();
    assert.deepEqual(actions.map((a) => a.action), ['disabled', 'enabled', 'password_reset']);
  });

  it('saves a member profile and adds and ends memberships', async () => {
    const db = t.ctx.database.db;
    const uid = await makeUser(t.ctx, { name: '赵委员' });
    const sector = await db.insertInto('sectors').values({ name: '农业界', name_en: null }).returning('id').executeTakeFirstOrThrow();
    const term = await db.insertInto('terms').values({ number: 16, name: '第十六届', starts_on: '2027-01-01', ends_on: null }).returning('id').executeTakeFirstOrThrow();
    const badProfile = await postForm(t.app, `/admin/users/${uid}/profile`, { sectorId: '999999', gender: 'other', bio: 'x'.repeat(2001) }, jar);
    assert.equal(badProfile.statusCode, 400);
    assert.match(badProfile.body, /简介不能超过 2000 个字/);
    const okProfile = await postForm(t.app, `/admin/users/${uid}/profile`, { sectorId: String(sector.id), gender: 'female', occupation: '农技站站长', isStanding: 'on', isPublic: 'on' }, jar);
    assert.equal(okProfile.statusCode, 303, okProfile.body.replace(/[\s\S]*<main[^>]*>/, '').slice(0, 600));
    const p = await db.selectFrom('member_profiles').selectAll().where('user_id', '=', uid).executeTakeFirstOrThrow();
    assert.equal(p.is_standing, 1);
    assert.equal(p.sort_name, '赵委员');

    const m = await postForm(t.app, `/admin/users/${uid}/memberships`, { bodyId: String(root), role: 'member', termId: String(term.id), title: '委员', startsOn: '2024-01-01' }, jar);
    assert.equal(m.statusCode, 303, m.body);
    assert.deepEqual((await loadCurrentUser(db, uid))?.memberships.map((x) => x.role), ['member']);
    const dup = await postForm(t.app, `/admin/users/${uid}/memberships`, { bodyId: String(root), role: 'member', termId: String(term.id) }, jar);
    assert.match(dup.body, /已有相同角色和届次的有效任职/);
    const bad = await postForm(t.app, `/admin/users/${uid}/memberships`, { bodyId: '999999', role: 'king', startsOn: '2027-13-01' }, jar);
    assert.equal(bad.statusCode, 400);
    const ms = await db.selectFrom('memberships').select('id').where('user_id', '=', uid).executeTakeFirstOrThrow();
    assert.equal((await postForm(t.app, `/admin/memberships/${ms.id}/end`, {}, jar)).statusCode, 303);
    assert.deepEqual((await loadCurrentUser(db, uid))?.memberships, [], 'no longer active');
    assert.equal((await postForm(t.app, `/admin/memberships/${ms.id}/end`, {}, jar)).statusCode, 400);
    const page = await get(t.app, `/admin/users/${uid}`, jar);
    assert.match(page.body, /已结束/);
  });

  it('offers users and memberships through the JSON API', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?q=%E6%9D%8E', headers: { cookie: jar.header() } });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().items.some((u: { displayName: string }) => u.displayName === '李工'));
    const ms = await t.app.inject({ method: 'GET', url: `/api/v1/admin/memberships?bodyId=${root}`, headers: { cookie: jar.header() } });
    assert.equal(ms.statusCode, 200);
    assert.ok(ms.json().total >= 1);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/admin/memberships?bodyId=abc', headers: { cookie: jar.header() } });
    assert.equal(bad.statusCode, 400);
  });

  it('answers unknown and malformed user ids with 404', async () => {
    for (const id of ['999999', 'x', '-3']) {
      for (const s of ['', '/account', '/profile', '/memberships', '/password']) assert.equal((await get(t.app, `/admin/users/${id}${s}`, jar)).statusCode, 404, `${id}${s}`);
      assert.equal((await postForm(t.app, `/admin/users/${id}/disable`, {}, jar)).statusCode, 404);
      assert.equal((await postForm(t.app, `/admin/memberships/${id}/end`, {}, jar)).statusCode, 404);
    }
  });
});
