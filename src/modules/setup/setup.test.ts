import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { Jar, get, postForm } from '../../../test/helpers/http.js';
import { forgetSiteSettings, getSiteSettings } from '../../platform/site-settings.js';
import { readStream } from '../../platform/timeline/audit.js';

const good = {
  orgName: '青山县政协', orgNameEn: 'Qingshan County CPPCC', regionName: '青山县', regionCode: '330100',
  username: 'Admin', displayName: '办公室 张明', password: 'correct horse battery', passwordConfirm: 'correct horse battery',
};

describe('first-run setup', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    // Whatever the test helper seeds, this suite starts from a fresh, unconfigured site.
    await t.ctx.database.db.deleteFrom('settings').where('key', '=', 'setup_done').execute();
    forgetSiteSettings(t.ctx.database.db);
  });
  after(async () => { await t.close(); });

  it('sends every page to /setup until setup is done, but not assets, health or the API', async () => {
    for (const url of ['/', '/members', '/sign-in', '/no/such/page']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/setup');
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/assets/app.css' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/nothing' })).statusCode, 404);
    const page = await t.app.inject({ method: 'GET', url: '/setup' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>首次设置<\/h1>/);
  });

  it('re-renders bad input with the values kept and an error summary, changing nothing', async () => {
    const res = await postForm(t.app, '/setup', { ...good, regionCode: '12ab', passwordConfirm: 'something else' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>错误：/);
    assert.match(res.body, /行政区划代码格式不正确/);
    assert.match(res.body, /value="青山县政协"/);
    assert.doesNotMatch(res.body, /correct horse/);
    const short = await postForm(t.app, '/setup', { ...good, password: 'short', passwordConfirm: 'short' });
    assert.equal(short.statusCode, 400);
    assert.match(short.body, /密码至少需要 10 个字/);
    const mismatch = await postForm(t.app, '/setup', { ...good, passwordConfirm: 'correct horse battery!' });
    assert.match(mismatch.body, /两次输入的密码不一致/);
    const junk = await postForm(t.app, '/setup', { orgName: ['a', 'b'], password: '\u0000' } as never);
    assert.equal(junk.statusCode, 400);
    const db = t.ctx.database.db;
    assert.equal((await db.selectFrom('users').select('id').execute()).length, 0);
    assert.equal((await db.selectFrom('regions').select('id').execute()).length, 0);
    assert.equal((await getSiteSettings(db)).setupDone, false);
  });

  it('creates the organisation and administrator in one go and signs them in', async () => {
    const jar = new Jar();
    const res = await postForm(t.app, '/setup', good, jar);
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/admin');
    const cookie = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find((c) => c.name === 'xs_sid');
    assert.ok(cookie?.httpOnly);
    assert.equal(cookie?.sameSite, 'Lax');
    const db = t.ctx.database.db;
    const s = await getSiteSettings(db);
    assert.deepEqual([s.orgName, s.orgNameEn, s.setupDone], ['青山县政协', 'Qingshan County CPPCC', true]);
    const region = await db.selectFrom('regions').selectAll().where('id', '=', s.rootRegionId ?? -1).executeTakeFirstOrThrow();
    assert.deepEqual([region.name, region.code, region.level], ['青山县', '330100', 'county']);
    const body = await db.selectFrom('bodies').selectAll().where('id', '=', s.committeeBodyId ?? -1).executeTakeFirstOrThrow();
    assert.deepEqual([body.kind, body.name, body.region_id], ['committee', '青山县政协', region.id]);
    const user = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([user.username, user.display_name, user.is_admin], ['admin', '办公室 张明', 1]);
    assert.match(user.password_hash ?? '', /^\$argon2id\$/);
    const m = await db.selectFrom('memberships').selectAll().where('user_id', '=', user.id).execute();
    assert.deepEqual(m.map((r) => [r.body_id, r.role]), [[body.id, 'admin']]);
    const events = await readStream(db, 'site', 'setup');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.actorId, user.id);
    // Signed in: the home page is no longer redirected and shows the account link.
    const home = await get(t.app, '/account', jar);
    assert.equal(home.statusCode, 200, home.body);
    assert.match(home.body, /办公室 张明/);
  });

  it('refuses to run again: /setup is gone and a replayed form changes nothing', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/setup' })).statusCode, 404);
    const replay = await postForm(t.app, '/setup', { ...good, username: 'second', regionCode: '330200' });
    assert.equal(replay.statusCode, 404);
    const db = t.ctx.database.db;
    assert.equal((await db.selectFrom('users').select('id').execute()).length, 1);
    assert.equal((await db.selectFrom('regions').select('id').execute()).length, 1);
    const home = await t.app.inject({ method: 'GET', url: '/no/such/page' });
    assert.equal(home.statusCode, 404);
  });
});

describe('first-run setup race', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.ctx.database.db.deleteFrom('settings').where('key', '=', 'setup_done').execute();
    forgetSiteSettings(t.ctx.database.db);
  });
  after(async () => { await t.close(); });

  it('lets exactly one of two simultaneous submissions win', async () => {
    const [a, b] = await Promise.all([
      postForm(t.app, '/setup', good),
      postForm(t.app, '/setup', { ...good, username: 'other', regionCode: '330200' }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [303, 404]);
    const db = t.ctx.database.db;
    assert.equal((await db.selectFrom('users').select('id').execute()).length, 1);
    assert.equal((await db.selectFrom('bodies').select('id').execute()).length, 1);
  });
});
