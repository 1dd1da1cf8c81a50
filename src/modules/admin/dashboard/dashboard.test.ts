import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../../test/helpers/factories.js';
import { get } from '../../../../test/helpers/http.js';

// The administration dashboard leads those who hold consultations to their organisers' pages.

describe('admin dashboard: consultation links', () => {
  let t: TestApp;
  let committee = 0;
  let department = 0;

  before(async () => {
    t = await createTestApp();
    committee = await makeBody(t.ctx, { name: '县政协', kind: 'committee' });
    department = await makeBody(t.ctx, { name: '县交通运输局', kind: 'department' });
  });
  after(async () => { await t.close(); });

  const links = (html: string) => [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);

  it('committee staff see 协商管理 and 网络议政, and both pages open for them', async () => {
    const jar = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: committee, role: 'staff' }] }));
    const res = await get(t.app, '/admin', jar);
    assert.equal(res.statusCode, 200);
    const hrefs = links(res.body);
    assert.ok(hrefs.includes('/admin/consultations'), 'links the consultations’ organisers’ home');
    assert.ok(hrefs.includes('/deliberations/manage'), 'links the deliberations’ organisers’ list');
    assert.match(res.body, />协商管理</);
    assert.match(res.body, />网络议政</);
    for (const href of ['/admin/consultations', '/deliberations/manage']) assert.equal((await get(t.app, href, jar)).statusCode, 200, href);
  });

  it('in English too', async () => {
    const jar = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: committee, role: 'staff' }] }));
    const res = await get(t.app, '/admin', jar, { 'accept-language': 'en' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, />Consultation management</);
    assert.match(res.body, />Online deliberation</);
  });

  it('staff of a department, who hold no consultations, do not get the links', async () => {
    const jar = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: department, role: 'staff' }] }));
    const res = await get(t.app, '/admin', jar);
    assert.equal(res.statusCode, 200);
    assert.ok(!links(res.body).includes('/admin/consultations'));
    assert.ok(!links(res.body).includes('/deliberations/manage'));
  });
});

describe('account page: the way to the dashboard', () => {
  let t: TestApp;
  before(async () => { t = await createTestApp(); });
  after(async () => { await t.close(); });

  it('is shown to staff who may administer something, not to a citizen', async () => {
    const committee = await makeBody(t.ctx, { name: '县政协', kind: 'committee' });
    const staff = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: committee, role: 'staff' }] }));
    const citizen = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, {}));
    const staffPage = await get(t.app, '/account', staff);
    assert.equal(staffPage.statusCode, 200);
    assert.match(staffPage.body, /<a href="\/admin">/);
    const citizenPage = await get(t.app, '/account', citizen);
    assert.equal(citizenPage.statusCode, 200);
    assert.doesNotMatch(citizenPage.body, /<a href="\/admin">/);
  });
});
