import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../../../test/helpers/app.js';
import { get } from '../../../test/helpers/http.js';
import { searchDocuments } from '../../platform/search/index.js';
import { getSiteSettings } from '../../platform/site-settings.js';
import { SPECIAL_COMMITTEES } from './data/bodies.js';
import { generateMembers } from './people.js';
import { Rng } from './prng.js';
import { DEMO_MEMBERS, DEMO_SEED, DemoRefusedError, type DemoResult, seedDemo } from './seed.js';

const names = (body: string) => [...body.matchAll(/<a class="xs-list__title" href="\/members\/(\d+)">/g)].map((m) => Number(m[1]));

describe('demo county', () => {
  let t: TestApp;
  let r: DemoResult;
  const lines: string[] = [];
  before(async () => {
    t = await createTestApp({}, { setupDone: false });
    r = await seedDemo(t.ctx, { log: (l) => lines.push(l) });
  });
  after(async () => { await t.close(); });

  it('is deterministic', () => {
    const a = generateMembers(new Rng(DEMO_SEED), DEMO_MEMBERS, SPECIAL_COMMITTEES.length);
    const b = generateMembers(new Rng(DEMO_SEED), DEMO_MEMBERS, SPECIAL_COMMITTEES.length);
    assert.deepEqual(a, b);
    assert.equal(new Set(a.map((m) => m.phone)).size, a.length);
    const standing = a.filter((m) => m.standing).length / a.length;
    assert.ok(standing > 0.07 && standing < 0.25, `standing share ${standing}`);
    assert.ok(a.some((m) => m.inTerm10 && m.inTerm11) && a.some((m) => !m.inTerm10) && a.some((m) => !m.inTerm11));
  });

  // Tests never assert timings (a loaded CI machine is not slow code); `npm run demo` prints its own time.
  it('seeds the whole county and finishes set-up', async () => {
    const db = t.ctx.database.db;
    const count = async (table: 'regions' | 'bodies' | 'sectors' | 'terms' | 'member_profiles' | 'news' | 'pages' | 'user_pii') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(await count('regions'), 1 + 8 + 40);
    assert.equal(await count('terms'), 2);
    assert.ok(await count('sectors') >= 19);
    assert.equal(await count('member_profiles'), 200);
    assert.ok(await count('user_pii') >= 200);
    assert.equal(await count('news'), 42);
    assert.equal(await count('pages'), 6);
    const kinds = await db.selectFrom('bodies').select(['kind']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('kind').execute();
    assert.deepEqual(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)])),
      { committee: 1, special_committee: 6, liaison_group: 8, member_studio: 3, community_council: 4, department: 6 });
    const settings = await getSiteSettings(db);
    assert.equal(settings.orgName, '青山县政协');
    assert.equal(settings.orgNameEn, 'Qingshan County CPPCC Committee');
    assert.equal(settings.setupDone, true);
    assert.equal(settings.committeeBodyId, r.structure.committeeId);
    const admin = await db.selectFrom('users').select(['is_admin', 'password_hash']).where('username', '=', 'admin').executeTakeFirstOrThrow();
    assert.equal(admin.is_admin, 1);
    assert.match(admin.password_hash ?? '', /^\$argon2id\$/);
    assert.ok(lines.some((l) => /admin \/ \S{12,}/.test(l)), lines.join('\n'));
    const body = await db.selectFrom('news').select('body_html').executeTakeFirstOrThrow();
    assert.match(body.body_html, /^<p>/);
  });

  it('refuses to seed a database that is set up, unless forced (and never twice)', async () => {
    await assert.rejects(seedDemo(t.ctx), DemoRefusedError);
    await assert.rejects(seedDemo(t.ctx, { force: true }), /already in this database/);
  });

  it('makes news, pages and members findable with two-character queries', async () => {
    const db = t.ctx.database.db;
    for (const [q, type] of [['养老', 'news'], ['停车', 'news'], ['提案', 'page'], ['饮水', 'news']] as const) {
      const res = await searchDocuments(db, t.ctx.database.dialect, { q, types: [type], page: 1, pageSize: 10 });
      assert.ok(res.items.length > 0 && res.items.every((h) => h.docType === type), `${q} finds no ${type}`);
    }
    const member = await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', r.memberIds[0]!).executeTakeFirstOrThrow();
    const res = await searchDocuments(db, t.ctx.database.dialect, { q: member.display_name, page: 1, pageSize: 50 });
    assert.ok(res.items.some((h) => h.docType === 'member' && h.docId === member.id));
  });

  it('answers directory filters with exactly the matching members', async () => {
    const db = t.ctx.database.db;
    const s = r.structure;
    const expect = async (where: (ids: number[]) => Promise<number[]>, qs: string) => {
      const want = new Set(await where(r.memberIds));
      const res = await get(t.app, `/api/v1/members?${qs}`);
      assert.equal(res.statusCode, 200, qs);
      const json = res.json();
      assert.equal(json.total, want.size, qs);
      assert.ok(json.total > 0, `${qs} matches nobody`);
      for (const item of json.items) assert.ok(want.has(item.id), `${qs}: ${item.name}`);
    };
    const edu = s.sectorIds[13]!;
    await expect(async () => (await db.selectFrom('member_profiles').select('user_id').where('sector_id', '=', edu).execute()).map((x) => x.user_id), `sector=${edu}`);
    const econ = s.specialCommitteeIds[1]!;
    await expect(async () => (await db.selectFrom('memberships').select('user_id').where('body_id', '=', econ).execute()).map((x) => x.user_id), `committee=${econ}`);
    const town = s.townshipIds[2]!;
    const regions = [town, ...s.villageIds[2]!];
    await expect(async () => (await db.selectFrom('member_profiles').select('user_id').where('region_id', 'in', regions).execute()).map((x) => x.user_id), `township=${town}`);
    await expect(async () => (await db.selectFrom('memberships').select('user_id').where('term_id', '=', s.termIds.t10).where('body_id', '=', s.committeeId).execute()).map((x) => x.user_id), `term=${s.termIds.t10}`);
    const page = await get(t.app, `/members?township=${town}&term=${s.termIds.t11}`);
    assert.equal(page.statusCode, 200);
    assert.ok(names(page.body).length > 0 && names(page.body).length <= 30);
    const all = await get(t.app, '/members');
    assert.match(all.body, /第 1 \/ 7 页/);
    assert.match(all.body, /xs-tag">常委/);
  });
});
