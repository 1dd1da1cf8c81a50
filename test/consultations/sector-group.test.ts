import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, makeConsultationWorld, postAndId } from './world.js';

// A sector group (界别) is a body of the committee: staff create it in the structure pages,
// members are assigned to it, and it can lead or jointly hold a consultation.

describe('sector groups (界别)', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let admin: Jar;
  let staff: Jar;
  const db = () => t.ctx.database.db;
  const bodyId = async (name: string) => (await db().selectFrom('bodies').select(['id', 'kind', 'parent_id']).where('name', '=', name).executeTakeFirstOrThrow());

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    admin = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { isAdmin: true }));
    staff = await signedInJar(t.app, t.ctx, w.staff);
  });
  after(() => t.close());

  it('is created under the committee in the structure pages, labelled in both languages', async () => {
    const form = await get(t.app, '/admin/bodies/new', admin);
    assert.match(form.body, /<option value="sector_group"[^>]*>界别<\/option>/);
    for (const [name, nameEn] of [['经济界', 'Economic sector'], ['教育界', 'Education sector']] as const) {
      const res = await postForm(t.app, '/admin/bodies/new', { kind: 'sector_group', name, nameEn, parentId: String(w.committee) }, admin);
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    }
    const b = await bodyId('经济界');
    assert.equal(b.kind, 'sector_group');
    assert.equal(b.parent_id, w.committee);
    const list = await get(t.app, '/admin/bodies', admin);
    assert.match(list.body, /经济界[\s\S]*?<td>界别<\/td>/);
    const en = await get(t.app, '/admin/bodies', admin, { 'accept-language': 'en' });
    assert.match(en.body, /<td>Sector group<\/td>/);
    assert.match((await get(t.app, '/bodies', undefined, { 'accept-language': 'en' })).body, />Sector groups<\/h2>/);
    const pub = await get(t.app, '/bodies');
    assert.match(pub.body, /<h2 id="k-sector_group">界别<\/h2>/);
    assert.doesNotMatch(pub.body, />sector_group</, 'no raw kind shown');
  });

  it('takes members, and leads or jointly holds a 界别协商会', async () => {
    const econ = (await bodyId('经济界')).id;
    const edu = (await bodyId('教育界')).id;
    const res = await postForm(t.app, `/admin/users/${w.member}/memberships`, { userId: String(w.member), bodyId: String(econ), role: 'member' }, admin);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const m = await db().selectFrom('memberships').select('role').where('user_id', '=', w.member).where('body_id', '=', econ).executeTakeFirstOrThrow();
    assert.equal(m.role, 'member');

    const editor = await get(t.app, '/admin/consultations/new', staff);
    assert.match(editor.body, new RegExp(`<option value="${econ}"[^>]*>[^<]*经济界`), 'the committee staff may choose the sector group as lead');
    const day = dayOffset(40);
    const id = await postAndId(t.app, '/admin/consultations', {
      title: '民营经济发展界别协商会', form: 'sector', mode: 'in_person', leadBodyId: String(econ), jointBodyIds: [String(edu)],
      year: day.slice(0, 4), startsAt: `${day}T09:00`, place: '县政协二楼会议室',
    }, staff, /consultations\/(\d+)/);
    const holders = await db().selectFrom('consultation_bodies').select(['body_id', 'role']).where('consultation_id', '=', id).orderBy('body_id').execute();
    assert.deepEqual(holders.map((h) => [h.body_id, h.role]), [[econ, 'lead'], [edu, 'joint']]);
    // Inviting a sector group as a joint body of another consultation works the same way.
    const other = await postAndId(t.app, '/admin/consultations', {
      title: '职业教育专题协商会', form: 'thematic', mode: 'online', leadBodyId: String(w.committee), jointBodyIds: [String(edu)], year: day.slice(0, 4),
    }, staff, /consultations\/(\d+)/);
    assert.equal((await db().selectFrom('consultation_bodies').select('role').where('consultation_id', '=', other).where('body_id', '=', edu).executeTakeFirstOrThrow()).role, 'joint');
  });
});
