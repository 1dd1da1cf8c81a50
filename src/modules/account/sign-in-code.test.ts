import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { makeUser } from '../../../test/helpers/factories.js';
import { Jar, csrfToken, get, postForm } from '../../../test/helpers/http.js';
import { putSettings } from '../../platform/site-settings.js';

describe('citizen sign-in with a texted code', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await putSettings(t.ctx.database.db, { org_name: '青山县政协', setup_done: '1' });
  });
  after(async () => { await t.close(); });

  const db = () => t.ctx.database.db;
  const lastCode = async (phone: string) => {
    const row = await db().selectFrom('sms_messages').select('text').where('phone', '=', phone).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return /(\d{6})/.exec(row.text)?.[1] ?? '';
  };
  const sendCode = async (phone: string, jar = new Jar()) => ({ jar, res: await postForm(t.app, '/sign-in/code', { phone }, jar) });
  /** Lets the next code be requested at once, as if the last one was sent long ago. */
  const age = (phone: string, minutes: number) => db().updateTable('login_codes')
    .set({ created_at: new Date(Date.now() - minutes * 60_000).toISOString() }).where('phone', '=', phone).execute();

  it('texts a code, signs the citizen in with it and creates their account', async () => {
    const page = await get(t.app, '/sign-in?next=/account/data');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="phone"/);
    assert.match(page.body, /name="username"/);
    const { jar, res } = await sendCode('138 0013 8000');
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/sign-in/code');
    const sms = await db().selectFrom('sms_messages').selectAll().where('phone', '=', '13800138000').execute();
    assert.equal(sms.length, 1);
    assert.match(sms[0]?.text ?? '', /【青山县政协】您的登录验证码是 \d{6}/);
    const code = await lastCode('13800138000');
    const stored = await db().selectFrom('login_codes').selectAll().where('phone', '=', '13800138000').executeTakeFirstOrThrow();
    assert.notEqual(stored.code_hash, code);
    assert.ok(!stored.code_hash.includes(code));
    assert.equal(Date.parse(stored.expires_at) - Date.parse(stored.created_at), 5 * 60_000);

    const form = await get(t.app, '/sign-in/code', jar);
    assert.match(form.body, /138\*\*\*\*8000/);
    const ok = await postForm(t.app, '/sign-in/code/verify', { code, next: '/account/data' }, jar);
    assert.equal(ok.statusCode, 303, ok.body);
    assert.equal(ok.headers.location, '/account/data');
    const pii = await db().selectFrom('user_pii').innerJoin('users', 'users.id', 'user_pii.user_id').selectAll().where('phone', '=', '13800138000').executeTakeFirstOrThrow();
    assert.equal(pii.display_name, '138****8000');
    assert.equal(pii.password_hash, null);
    const home = await get(t.app, '/account', jar);
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /138\*\*\*\*8000/);
    assert.doesNotMatch(home.body, /13800138000/);

    // Signing out and in again finds the same account.
    await postForm(t.app, '/sign-out', {}, jar);
    assert.equal((await get(t.app, '/account', jar)).statusCode, 303);
    await age('13800138000', 2);
    const again = await sendCode('13800138000', jar);
    assert.equal(again.res.statusCode, 303);
    const second = await postForm(t.app, '/sign-in/code/verify', { code: await lastCode('13800138000') }, jar);
    assert.equal(second.statusCode, 303);
    assert.equal((await db().selectFrom('user_pii').select('user_id').where('phone', '=', '13800138000').execute()).length, 1);
  });

  it('counts wrong guesses and gives up after five', async () => {
    const { jar } = await sendCode('13900139001');
    const code = await lastCode('13900139001');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      const res = await postForm(t.app, '/sign-in/code/verify', { code: wrong }, jar);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, new RegExp(`还可以再试 ${left} 次`));
    }
    const fifth = await postForm(t.app, '/sign-in/code/verify', { code: wrong }, jar);
    assert.match(fifth.body, /错误次数过多/);
    const right = await postForm(t.app, '/sign-in/code/verify', { code }, jar);
    assert.equal(right.statusCode, 400);
    assert.match(right.body, /错误次数过多/);
    assert.equal((await db().selectFrom('user_pii').select('user_id').where('phone', '=', '13900139001').execute()).length, 0);
  });

  it('refuses an expired code and a code used once already', async () => {
    const { jar } = await sendCode('13700137002');
    const code = await lastCode('13700137002');
    await db().updateTable('login_codes').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('phone', '=', '13700137002').execute();
    const expired = await postForm(t.app, '/sign-in/code/verify', { code }, jar);
    assert.equal(expired.statusCode, 400);
    assert.match(expired.body, /验证码已过期或已使用/);

    await age('13700137002', 2);
    const fresh = await sendCode('13700137002');
    const code2 = await lastCode('13700137002');
    const copy = new Jar();
    for (const [k, v] of fresh.jar.cookies) copy.cookies.set(k, v);
    assert.equal((await postForm(t.app, '/sign-in/code/verify', { code: code2 }, fresh.jar)).statusCode, 303);
    const reused = await postForm(t.app, '/sign-in/code/verify', { code: code2 }, copy);
    assert.equal(reused.statusCode, 400);
    assert.match(reused.body, /验证码已过期或已使用/);
  });

  it('limits codes per phone: one a minute, five an hour', async () => {
    const first = await sendCode('13600136003');
    assert.equal(first.res.statusCode, 303);
    const soon = await sendCode('13600136003');
    assert.equal(soon.res.statusCode, 429);
    assert.match(soon.res.body, /获取验证码太频繁/);
    assert.match(soon.res.body, /value="13600136003"/);
    for (let i = 0; i < 4; i++) {
      await age('13600136003', 2);
      assert.equal((await sendCode('13600136003')).res.statusCode, 303);
    }
    await age('13600136003', 2);
    const hourly = await sendCode('13600136003');
    assert.equal(hourly.res.statusCode, 429);
    assert.match(hourly.res.body, /一小时内获取验证码的次数已达上限/);
    assert.equal((await db().selectFrom('sms_messages').select('id').where('phone', '=', '13600136003').execute()).length, 5);
  });

  it('limits code requests per address, with the message on the form', async () => {
    const jar = new Jar();
    const post = (phone: string) => {
      const body = new URLSearchParams({ _csrf: csrfToken(t.app, jar), phone }).toString();
      return t.app.inject({ method: 'POST', url: '/sign-in/code', payload: body, remoteAddress: '10.9.8.7',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), 'accept-language': 'en' } });
    };
    for (let i = 0; i < 20; i++) assert.equal((await post(`1350000${String(i).padStart(4, '0')}`)).statusCode, 303);
    const over = await post('13500009999');
    assert.equal(over.statusCode, 429);
    assert.match(over.body, /Too many attempts/);
    assert.match(over.body, /name="phone"/);
  });

  it('rejects bad input with a message and no code', async () => {
    for (const phone of ['12345', '', '+1 555 0100', '１３８']) {
      const res = await postForm(t.app, '/sign-in/code', { phone });
      assert.equal(res.statusCode, 400, phone);
      assert.match(res.body, /错误：/);
    }
    const noPhone = await postForm(t.app, '/sign-in/code/verify', { code: '123456' });
    assert.equal(noPhone.statusCode, 400);
    assert.match(noPhone.body, /请先输入手机号码/);
    const { jar } = await sendCode('13300133004');
    const junk = await postForm(t.app, '/sign-in/code/verify', { code: ['1', '2'] }, jar);
    assert.equal(junk.statusCode, 400);
    assert.match(junk.body, /验证码必须是 6 位数字/);
  });

  it('does not let a code sign in to a password account', async () => {
    const uid = await makeUser(t.ctx, { phone: '13200132005' });
    await db().updateTable('users').set({ username: 'member5', password_hash: 'x' }).where('id', '=', uid).execute();
    const { jar } = await sendCode('13200132005');
    const res = await postForm(t.app, '/sign-in/code/verify', { code: await lastCode('13200132005') }, jar);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /请用用户名和密码登录/);
    assert.equal((await db().selectFrom('sessions').select('id').where('user_id', '=', uid).execute()).length, 0);
  });
});
