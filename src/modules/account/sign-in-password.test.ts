import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { makeUser } from '../../../test/helpers/factories.js';
import { Jar, get, postForm } from '../../../test/helpers/http.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { putSettings } from '../../platform/site-settings.js';

const codeFor = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

describe('password sign-in, TOTP and account security', () => {
  let t: TestApp;
  let plain: number;
  let withTotp: number;
  const secret = new Secret({ size: 20 }).base32;
  before(async () => {
    t = await createTestApp();
    const db = t.ctx.database.db;
    await putSettings(db, { org_name: '青山县政协', setup_done: '1' });
    const hash = await hashPassword('a long passphrase');
    plain = await makeUser(t.ctx, { name: '李委员' });
    withTotp = await makeUser(t.ctx, { name: '王主任' });
    await db.updateTable('users').set({ username: 'li', password_hash: hash }).where('id', '=', plain).execute();
    await db.updateTable('users').set({ username: 'wang', password_hash: hash, totp_secret: secret, totp_enabled: 1 }).where('id', '=', withTotp).execute();
  });
  after(async () => { await t.close(); });

  it('gives one generic message for a wrong password and an unknown user', async () => {
    const wrong = await postForm(t.app, '/sign-in/password', { username: 'li', password: 'not the password' });
    const unknown = await postForm(t.app, '/sign-in/password', { username: 'nobody', password: 'a long passphrase' });
    const odd = await postForm(t.app, '/sign-in/password', { username: '李 四', password: 'a long passphrase' });
    for (const res of [wrong, unknown, odd]) {
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /用户名或密码不正确/);
      assert.ok(!res.cookies.some((c) => c.name === 'xs_sid'));
    }
    assert.match(wrong.body, /value="li"/);
    const empty = await postForm(t.app, '/sign-in/password', { username: 'li' });
    assert.match(empty.body, /请填写密码/);
  });

  it('limits password attempts per address and username, with the message on the form', async () => {
    const limit = t.ctx.config.rateLimits.signInPerMinute;
    const attempt = (username: string) => {
      const jar = new Jar();
      return postForm(t.app, '/sign-in/password', { username, password: 'guessing wrongly' }, jar);
    };
    for (let i = 0; i < limit; i++) assert.equal((await attempt('target')).statusCode, 400);
    const over = await attempt('target');
    assert.equal(over.statusCode, 429);
    assert.match(over.body, /尝试次数太多/);
    assert.match(over.body, /value="target"/);
    assert.equal((await attempt('someone-else')).statusCode, 400, 'another username is counted apart');
  });

  it('signs in without TOTP and follows only a safe next', async () => {
    const jar = new Jar();
    const res = await postForm(t.app, '/sign-in/password', { username: 'LI', password: 'a long passphrase', next: '//evil.example/x' }, jar);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const home = await get(t.app, '/account', jar);
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /李委员/);
    const jar2 = new Jar();
    const res2 = await postForm(t.app, '/sign-in/password', { username: 'li', password: 'a long passphrase', next: '/members?x=1' }, jar2);
    assert.equal(res2.headers.location, '/members?x=1');
  });

  it('asks for the second factor before the session counts', async () => {
    const jar = new Jar();
    const res = await postForm(t.app, '/sign-in/password', { username: 'wang', password: 'a long passphrase', next: '/account/security' }, jar);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in/totp?next=%2Faccount%2Fsecurity');
    assert.equal((await get(t.app, '/account', jar)).statusCode, 303, 'pending session is not signed in');
    assert.equal((await get(t.app, '/sign-in/totp', jar)).statusCode, 200);
    const bad = await postForm(t.app, '/sign-in/totp', { code: codeFor(secret, 5), next: '/account/security' }, jar);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /验证码不正确/);
    const good = await postForm(t.app, '/sign-in/totp', { code: codeFor(secret, -1), next: '/account/security' }, jar);
    assert.equal(good.statusCode, 303);
    assert.equal(good.headers.location, '/account/security');
    assert.equal((await get(t.app, '/account', jar)).statusCode, 200);
    // Without a pending session the TOTP form just sends people to sign in.
    assert.equal((await postForm(t.app, '/sign-in/totp', { code: '123456' })).statusCode, 303);
    // A code works once: replaying it (or an older one) in a new sign-in is refused.
    const again = new Jar();
    await postForm(t.app, '/sign-in/password', { username: 'wang', password: 'a long passphrase' }, again);
    const replay = await postForm(t.app, '/sign-in/totp', { code: codeFor(secret, -1) }, again);
    assert.equal(replay.statusCode, 400);
    assert.equal((await get(t.app, '/account', again)).statusCode, 303, 'the replayed code did not sign in');
    const fresh = await postForm(t.app, '/sign-in/totp', { code: codeFor(secret, 1) }, again);
    assert.equal(fresh.statusCode, 303);
  });

  it('changes the password only with the current one, signing out other sessions', async () => {
    const a = new Jar();
    const b = new Jar();
    for (const jar of [a, b]) await postForm(t.app, '/sign-in/password', { username: 'li', password: 'a long passphrase' }, jar);
    const wrong = await postForm(t.app, '/account/security/password', { currentPassword: 'nope nope nope', newPassword: 'another long one', newPasswordConfirm: 'another long one' }, a);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /当前密码不正确/);
    const short = await postForm(t.app, '/account/security/password', { currentPassword: 'a long passphrase', newPassword: 'short', newPasswordConfirm: 'short' }, a);
    assert.match(short.body, /新密码至少需要 10 个字/);
    const ok = await postForm(t.app, '/account/security/password', { currentPassword: 'a long passphrase', newPassword: 'another long one', newPasswordConfirm: 'another long one' }, a);
    assert.equal(ok.statusCode, 303);
    assert.equal((await get(t.app, '/account', a)).statusCode, 200);
    assert.equal((await get(t.app, '/account', b)).statusCode, 303);
    assert.equal((await postForm(t.app, '/sign-in/password', { username: 'li', password: 'a long passphrase' })).statusCode, 400);
    assert.equal((await postForm(t.app, '/sign-in/password', { username: 'li', password: 'another long one' })).statusCode, 303);
  });

  it('turns TOTP on with a confirmed code and off again with a valid code', async () => {
    const jar = new Jar();
    await postForm(t.app, '/sign-in/password', { username: 'li', password: 'another long one' }, jar);
    const start = await postForm(t.app, '/account/security/totp/start', {}, jar);
    assert.equal(start.headers.location, '/account/security/totp');
    const page = await get(t.app, '/account/security/totp', jar);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<img src="data:image\/svg\+xml;base64,/);
    const row = await t.ctx.database.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', plain).executeTakeFirstOrThrow();
    assert.equal(row.totp_enabled, 0);
    const shown = row.totp_secret ?? '';
    assert.ok(page.body.includes(shown.slice(0, 4)));
    const bad = await postForm(t.app, '/account/security/totp/confirm', { code: codeFor(shown, 10) }, jar);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<img src="data:image/);
    assert.equal((await postForm(t.app, '/account/security/totp/confirm', { code: codeFor(shown) }, jar)).statusCode, 303);
    // Now signing in needs the code.
    const fresh = new Jar();
    const res = await postForm(t.app, '/sign-in/password', { username: 'li', password: 'another long one' }, fresh);
    assert.match(res.headers.location ?? '', /^\/sign-in\/totp/);
    const off = await postForm(t.app, '/account/security/totp/disable', { code: '000000' === codeFor(shown) ? '111111' : '000000' }, jar);
    assert.equal(off.statusCode, 400);
    assert.equal((await postForm(t.app, '/account/security/totp/disable', { code: codeFor(shown) }, jar)).statusCode, 303);
    const after = await t.ctx.database.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', plain).executeTakeFirstOrThrow();
    assert.deepEqual(after, { totp_secret: null, totp_enabled: 0 });
  });

  it('answers /api/v1/me for a bearer token and refuses anonymous callers', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().error.code, 'unauthenticated');
    const { hashToken } = await import('../../platform/auth/sessions.js');
    await t.ctx.database.db.insertInto('api_tokens').values({ name: 't', token_hash: hashToken('xs_testtoken'), user_id: withTotp, created_by: null, created_at: new Date().toISOString(), last_used_at: null, revoked_at: null }).execute();
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer xs_testtoken' } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().id, withTotp);
    assert.equal(me.json().displayName, '王主任');
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.ok(spec.json().paths['/api/v1/me']);
  });
});
