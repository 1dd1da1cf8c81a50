import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../../test/helpers/factories.js';
import { type Jar, csrfToken, get, postForm } from '../../../../test/helpers/http.js';

describe('admin structure', () => {
  let t: TestApp;
  let jar: Jar;
  const idFrom = (loc: string | undefined) => Number(/(\d+)/.exec(loc ?? '')?.[1]);
  const regionId = async (name: string) => (await t.ctx.database.db.selectFrom('regions').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

  before(async () => {
    t = await createTestApp();
    const root = await makeBody(t.ctx, { name: '县政协', kind: 'committee' });
    jar = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: root, role: 'admin' }] }));
  });
  after(async () => { await t.close(); });

  it('builds a region tree, moves within a level, deletes only unused regions', async () => {
    assert.equal((await postForm(t.app, '/admin/regions/new', { name: '青山县', code: '3301' }, jar)).statusCode, 303);
    const county = await regionId('青山县');
    assert.equal((await postForm(t.app, '/admin/regions/new', { name: '绿水县' }, jar)).statusCode, 303);
    const county2 = await regionId('绿水县');
    assert.equal((await postForm(t.app, '/admin/regions/new', { name: '城关镇', parentId: String(county) }, jar)).statusCode, 303);
    const town = await regionId('城关镇');
    assert.equal((await postForm(t.app, '/admin/regions/new', { name: '东街社区', parentId: String(town) }, jar)).statusCode, 303);
    const village = await regionId('东街社区');
    const db = t.ctx.database.db;
    assert.equal((await db.selectFrom('regions').select('level').where('id', '=', village).executeTakeFirstOrThrow()).level, 'village');

    const deeper = await postForm(t.app, '/admin/regions/new', { name: '更下级', parentId: String(village) }, jar);
    assert.equal(deeper.statusCode, 400);
    assert.match(deeper.body, /村（社区）下不能再建下级区划/);
    assert.match(deeper.body, /value="更下级"/, 'values kept');
    assert.match(deeper.body, /<title>错误：/);
    const dupCode = await postForm(t.app, '/admin/regions/new', { name: '重复', code: '3301' }, jar);
    assert.match(dupCode.body, /已被其他区划使用/);
    // A village may not move directly under a county; a township may move to another county.
    const wrongMove = await postForm(t.app, `/admin/regions/${village}`, { name: '东街社区', parentId: String(county) }, jar);
    assert.equal(wrongMove.statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/regions/${town}`, { name: '城关街道', parentId: String(county2) }, jar)).statusCode, 303);
    assert.equal((await db.selectFrom('regions').select('parent_id').where('id', '=', town).executeTakeFirstOrThrow()).parent_id, county2);

    const inUse = await postForm(t.app, `/admin/regions/${town}/delete`, {}, jar);
    assert.equal(inUse.statusCode, 409);
    assert.match(inUse.body, /不能删除/);
    assert.equal((await postForm(t.app, `/admin/regions/${village}/delete`, {}, jar)).statusCode, 303);
    assert.equal(await db.selectFrom('regions').select('id').where('id', '=', village).executeTakeFirst(), undefined);
    const events = await db.selectFrom('audit_events').select('action').where('stream_type', '=', 'region').where('stream_id', '=', String(town)).orderBy('id').execute();
    assert.deepEqual(events.map((e) => e.action), ['created', 'moved']);
    const list = await get(t.app, '/admin/regions', jar);
    assert.match(list.body, /城关街道/);
  });

  it('creates and edits bodies, refusing loops and unknown references', async () => {
    const res = await postForm(t.app, '/admin/bodies/new', { kind: 'special_committee', name: '提案委员会', description: '负责提案工作' }, jar);
    assert.equal(res.statusCode, 303, res.body);
    const db = t.ctx.database.db;
    const body = await db.selectFrom('bodies').select('id').where('name', '=', '提案委员会').executeTakeFirstOrThrow();
    const child = await postForm(t.app, '/admin/bodies/new', { kind: 'member_studio', name: '委员工作室', parentId: String(body.id) }, jar);
    assert.equal(child.statusCode, 303);
    const childId = (await db.selectFrom('bodies').select('id').where('name', '=', '委员工作室').executeTakeFirstOrThrow()).id;
    const loop = await postForm(t.app, `/admin/bodies/${body.id}`, { kind: 'special_committee', name: '提案委员会', parentId: String(childId) }, jar);
    assert.equal(loop.statusCode, 400);
    assert.match(loop.body, /不能是它自己或它的下级/);
    const bad = await postForm(t.app, '/admin/bodies/new', { kind: 'club', name: 'x'.repeat(101), regionId: '999999' }, jar);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /请从列表中选择机构类型/);
    assert.match(bad.body, /不能超过 100 个字/);
    const ghostRegion = await postForm(t.app, '/admin/bodies/new', { kind: 'department', name: '住建局', regionId: '999999' }, jar);
    assert.match(ghostRegion.body, /所选区划不存在/);
  });

  it('validates sectors and terms, and clears the public page cache on change', async () => {
    t.ctx.pageCache.set('k', 'cached');
    assert.equal((await postForm(t.app, '/admin/sectors/new', { name: '教育界', nameEn: 'Education' }, jar)).statusCode, 303);
    assert.equal(t.ctx.pageCache.size, 0);
    const dup = await postForm(t.app, '/admin/sectors/new', { name: '教育界' }, jar);
    assert.equal(dup.statusCode, 400);
    assert.match(dup.body, /名称已存在/);
    const badDates = await postForm(t.app, '/admin/terms/new', { number: '15', name: '第十五届', startsOn: '2026-02-30', endsOn: 'soon' }, jar);
    assert.equal(badDates.statusCode, 400);
    assert.match(badDates.body, /开始日期必须是有效日期/);
    assert.match(badDates.body, /结束日期必须是有效日期/);
    const backwards = await postForm(t.app, '/admin/terms/new', { number: '15', name: '第十五届', startsOn: '2026-03-01', endsOn: '2025-03-01' }, jar);
    assert.match(backwards.body, /结束日期不能早于开始日期/);
    assert.equal((await postForm(t.app, '/admin/terms/new', { number: '15', name: '第十五届', startsOn: '2022-01-01' }, jar)).statusCode, 303);
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/admin/terms', headers: { cookie: `${jar.header()}; xs_lang=en`, 'x-csrf-token': csrfToken(t.app, jar) }, payload: { number: 15, name: 'x', startsOn: '2027-01-01' } });
    assert.equal(en.statusCode, 400, en.body);
    assert.equal(en.json().error.fields[0].message, 'This term already exists');
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/admin/terms', headers: { cookie: jar.header() } });
    assert.equal(listed.json().items[0].name, '第十五届');
  });

  it('answers unknown and malformed ids with 404 and odd input without a 500', async () => {
    for (const p of ['regions', 'bodies', 'sectors', 'terms']) {
      for (const id of ['999999', 'abc', '0', '1.5', '99999999999999999999']) {
        assert.equal((await get(t.app, `/admin/${p}/${id}`, jar)).statusCode, 404, `${p}/${id}`);
        assert.equal((await postForm(t.app, `/admin/${p}/${id}`, { name: 'x' }, jar)).statusCode, 404, `POST ${p}/${id}`);
      }
    }
    const weird = await postForm(t.app, '/admin/sectors/new', { name: ['a', 'b'], sort: '1e3' }, jar);
    assert.equal(weird.statusCode, 400);
    const control = await postForm(t.app, '/admin/regions/new', { name: 'bad\u0001name' }, jar);
    assert.equal(control.statusCode, 400);
  });
});
