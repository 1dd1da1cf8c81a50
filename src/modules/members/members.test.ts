import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { makeUser, signedInJar } from '../../../test/helpers/factories.js';
import { get } from '../../../test/helpers/http.js';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { putSettings } from '../../platform/site-settings.js';
import { indexMember } from './search-index.js';

const now = new Date().toISOString();
const ins = async (db: Executor, table: 'regions' | 'sectors' | 'bodies' | 'terms', row: Record<string, unknown>) =>
  (await db.insertInto(table).values(row as never).returning('id').executeTakeFirstOrThrow()).id as number;

interface Fixture { edu: number; farm: number; town: number; village: number; other: number; econ: number; group: number; t10: number; t11: number; ids: Record<string, number> }

async function fixture(ctx: AppContext): Promise<Fixture> {
  const db = ctx.database.db;
  const county = await ins(db, 'regions', { parent_id: null, level: 'county', name: '测试县', name_en: 'Test County', code: 'c', sort: 0 });
  const town = await ins(db, 'regions', { parent_id: county, level: 'township', name: '东镇', name_en: 'Dong Town', code: 't1', sort: 1 });
  const village = await ins(db, 'regions', { parent_id: town, level: 'village', name: '东村', name_en: null, code: 'v1', sort: 1 });
  const other = await ins(db, 'regions', { parent_id: county, level: 'township', name: '西镇', name_en: null, code: 't2', sort: 2 });
  const edu = await ins(db, 'sectors', { name: '教育界', name_en: 'Education', sort: 1 });
  const farm = await ins(db, 'sectors', { name: '农业界', name_en: 'Agriculture', sort: 2 });
  const committee = await ins(db, 'bodies', { parent_id: null, kind: 'committee', name: '测试县政协', name_en: null, region_id: county, created_at: now });
  const econ = await ins(db, 'bodies', { parent_id: committee, kind: 'special_committee', name: '经济委员会', name_en: 'Economic Committee', region_id: null, created_at: now });
  const group = await ins(db, 'bodies', { parent_id: committee, kind: 'liaison_group', name: '东镇联络组', name_en: null, region_id: town, created_at: now });
  const t10 = await ins(db, 'terms', { number: 10, name: '第十届', starts_on: '2017-01-01', ends_on: '2021-12-31' });
  const t11 = await ins(db, 'terms', { number: 11, name: '第十一届', starts_on: '2022-01-01', ends_on: null });
  const ids: Record<string, number> = {};
  const people: [string, string, number, number, boolean, number[], number[], { public?: 0; status?: 'disabled' }?][] = [
    ['张伟', 'zhang wei', edu, town, true, [t11], [econ, group]],
    ['李娜', 'li na', farm, village, false, [t10, t11], [group]],
    ['王芳', 'wang fang', edu, other, false, [t10], []],
    ['赵强', 'zhao qiang', farm, other, false, [t11], [econ], { public: 0 }],
    ['陈静', 'chen jing', edu, town, false, [t11], [], { status: 'disabled' }],
  ];
  for (const [name, sort, sector, region, standing, terms, bodies, extra] of people) {
    const id = await makeUser(ctx, { name, phone: `1380000${String(Object.keys(ids).length).padStart(4, '0')}` });
    ids[name] = id;
    if (extra?.status) await db.updateTable('users').set({ status: extra.status }).where('id', '=', id).execute();
    await db.insertInto('member_profiles').values({ user_id: id, sector_id: sector, region_id: region, gender: '女', ethnicity: null, party: '无党派人士',
      occupation: `${name}的单位`, bio: `${name}的简介`, is_standing: standing ? 1 : 0, is_public: extra?.public ?? 1, sort_name: sort }).execute();
    for (const term of terms) await db.insertInto('memberships').values({ user_id: id, body_id: committee, role: 'member', term_id: term, title: null, starts_on: null, ends_on: null, created_at: now }).execute();
    for (const b of bodies) await db.insertInto('memberships').values({ user_id: id, body_id: b, role: 'member', term_id: t11, title: null, starts_on: null, ends_on: null, created_at: now }).execute();
  }
  await putSettings(db, { org_name: '测试县政协', setup_done: '1' });
  return { edu, farm, town, village, other, econ, group, t10, t11, ids };
}

const names = (body: string) => [...body.matchAll(/<a class="xs-list__title" href="\/members\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('member directory', () => {
  let t: TestApp;
  let f: Fixture;
  before(async () => {
    t = await createTestApp();
    f = await fixture(t.ctx);
  });
  after(async () => { await t.close(); });

  it('lists public, active members sorted by sort key, standing members marked', async () => {
    const res = await get(t.app, '/members');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(names(res.body), ['李娜', '王芳', '张伟']);
    assert.match(res.body, /张伟<\/a> <span class="xs-tag">常委/);
    assert.match(res.body, /<label class="xs-label" for="f-sector">界别<\/label>/);
    assert.doesNotMatch(res.body, /13800000/);
  });

  it('filters by sector, committee, township (with its villages), term and name', async () => {
    const q = async (qs: string) => names((await get(t.app, `/members?${qs}`)).body);
    assert.deepEqual(await q(`sector=${f.edu}`), ['王芳', '张伟']);
    assert.deepEqual(await q(`committee=${f.econ}`), ['张伟']);
    assert.deepEqual(await q(`township=${f.town}`), ['李娜', '张伟']);
    assert.deepEqual(await q(`township=${f.other}`), ['王芳']);
    assert.deepEqual(await q(`term=${f.t10}`), ['李娜', '王芳']);
    assert.deepEqual(await q(`term=${f.t11}&sector=${f.farm}`), ['李娜']);
    assert.deepEqual(await q(`q=${encodeURIComponent('张')}`), ['张伟']);
    assert.deepEqual(await q('q=wang'), ['王芳']);
    assert.deepEqual(await q('q=%25'), []);
  });

  it('refuses invalid filters with a localised 400, never a 500', async () => {
    for (const qs of ['sector=abc', `sector=${f.edu + 999}`, `committee=${f.group}`, 'township=-1', `township=${f.village}`, 'term=1.5', 'page=0', 'page=x', 'q=' + 'a'.repeat(30), 'sector=1&sector=2', 'q=a%00b']) {
      const res = await get(t.app, `/members?${qs}`);
      assert.equal(res.statusCode, 400, qs);
    }
    // Broken UTF-8 is decoded to U+FFFD by the query parser: a harmless search that finds no one.
    assert.equal((await get(t.app, '/members?q=%ED%A0%80')).statusCode, 200);
    const zh = await get(t.app, '/members?sector=999999');
    assert.match(zh.body, /界别无效，请从列表中选择/);
    const en = await get(t.app, '/api/v1/members?sector=999999', undefined, { 'accept-language': 'en' });
    assert.equal(en.json().error.code, 'validation_failed');
    assert.match(JSON.stringify(en.json()), /Sector is not valid/);
  });

  it('shows a profile with bodies and terms but no personal data', async () => {
    const res = await get(t.app, `/members/${f.ids['李娜']}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>李娜/);
    assert.match(res.body, /东镇联络组/);
    assert.match(res.body, /第十届、第十一届/);
    assert.match(res.body, /<dd>东镇<\/dd>/);
    assert.doesNotMatch(res.body, /1380000/);
    for (const bad of ['abc', '0', '99999999', '1e3', String(f.ids['赵强']), String(f.ids['陈静'])]) {
      assert.equal((await get(t.app, `/members/${bad}`)).statusCode, 404, bad);
    }
  });

  it('serves anonymous and signed-in visitors each their own cached copy', async () => {
    const first = await get(t.app, '/members?page=1');
    assert.ok(first.headers.etag);
    const again = await get(t.app, '/members?page=1', undefined, { 'if-none-match': String(first.headers.etag) });
    assert.equal(again.statusCode, 304);
    const jar = await signedInJar(t.app, t.ctx, f.ids['张伟']!);
    const signed = await get(t.app, '/members?page=1', jar);
    assert.equal(signed.statusCode, 200);
    assert.ok(signed.headers.etag && signed.headers.etag !== first.headers.etag, 'a separate copy for signed-in visitors');
    assert.equal(signed.headers['cache-control'], 'private, no-cache');
    assert.match(signed.body, /href="\/account"/);
    assert.doesNotMatch(first.body, /href="\/account"/);
  });

  it('shows directory changes once the page cache is invalidated', async () => {
    const db = t.ctx.database.db;
    const jar = await signedInJar(t.app, t.ctx, f.ids['李娜']!);
    assert.deepEqual(names((await get(t.app, `/members?sector=${f.farm}`, jar)).body), ['李娜']);
    await db.updateTable('member_profiles').set({ is_public: 1 }).where('user_id', '=', f.ids['赵强']!).execute();
    t.ctx.pageCache.invalidate();
    assert.deepEqual(names((await get(t.app, `/members?sector=${f.farm}`, jar)).body), ['李娜', '赵强']);
    assert.deepEqual(names((await get(t.app, `/members?sector=${f.farm}`)).body), ['李娜', '赵强']);
    await db.updateTable('member_profiles').set({ is_public: 0 }).where('user_id', '=', f.ids['赵强']!).execute();
    t.ctx.pageCache.invalidate();
  });

  it('answers the JSON API with the same filters', async () => {
    const res = await get(t.app, `/api/v1/members?township=${f.town}`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 2);
    assert.deepEqual(body.items.map((i: { name: string }) => i.name), ['李娜', '张伟']);
    assert.equal(body.items[1].special_committees[0].name_en, 'Economic Committee');
    const one = await get(t.app, `/api/v1/members/${f.ids['张伟']}`);
    assert.equal(one.json().is_standing, true);
    assert.equal(one.json().phone, undefined);
    assert.equal((await get(t.app, '/api/v1/members/nope')).statusCode, 404);
    const spec = (await get(t.app, '/api/openapi.json')).json();
    assert.equal(spec.paths['/api/v1/members'].get.tags[0], 'members');
  });

  it('indexes members into search and removes hidden ones', async () => {
    const db = t.ctx.database.db;
    await indexMember(db, f.ids['张伟']!);
    await indexMember(db, f.ids['赵强']!);
    const docs = await db.selectFrom('search_docs').select(['doc_id', 'title', 'url']).where('doc_type', '=', 'member').execute();
    assert.deepEqual(docs.map((d) => d.title), ['张伟']);
    assert.equal(docs[0]!.url, `/members/${f.ids['张伟']}`);
  });
});
