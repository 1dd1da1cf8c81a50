import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, makeConsultationWorld, postAndId } from './world.js';

// A plan item belongs to its plan's year: the consultation carrying it out is dated in that
// year (China time), so the plan page, the year's list and the year's calendar agree.

const unfold = (s: string) => s.replace(/\r\n[ \t]/g, '');

describe('consultations: a plan item stays in its plan year', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let planId: number;
  let itemId: number;
  const Y = Number(dayOffset(0).slice(0, 4)) + 1;
  const db = () => t.ctx.database.db;
  const count = async () => Number((await db().selectFrom('consultations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const fields = (o: Record<string, string> = {}) => ({
    title: '城区停车设施对口协商会', form: 'counterpart', mode: 'in_person', leadBodyId: String(w.committee), planItemId: String(itemId),
    place: '县政协会议室', isPublic: 'on', ...o,
  });
  const ics = async (year: number) => unfold((await get(t.app, `/consultations/plans/${year}.ics`)).body);

  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    planId = await postAndId(t.app, '/admin/consultations/plans', { bodyId: String(w.committee), year: String(Y), title: `${Y}年度协商计划`, published: 'on' }, staff, /plans\/(\d+)/);
    const res = await postForm(t.app, `/admin/consultations/plans/${planId}/items`, { itemTitle: '城区停车设施规划建设', form: 'counterpart', leadBodyId: String(w.committee), quarter: '1' }, staff);
    assert.equal(res.statusCode, 303);
    itemId = (await db().selectFrom('plan_items').select('id').where('plan_id', '=', planId).executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  it('refuses a meeting date or year outside the plan year, in Chinese and English', async () => {
    const before = await count();
    const late = await postForm(t.app, '/admin/consultations', fields({ startsAt: `${Y - 1}-12-31T23:30` }), staff);
    assert.equal(late.statusCode, 400);
    assert.match(late.body, new RegExp(`所选计划项目属于 ${Y} 年度协商计划，会议时间应在 ${Y} 年内`));
    assert.match(late.body, /value="城区停车设施对口协商会"/, 'the form is kept');
    const en = await t.app.inject({ method: 'POST', url: '/admin/consultations', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: staff.header(), 'accept-language': 'en' },
      payload: new URLSearchParams({ ...fields({ startsAt: `${Y + 1}-02-01T09:00` }), _csrf: (await import('../helpers/http.js')).csrfToken(t.app, staff) }).toString() });
    assert.equal(en.statusCode, 400);
    assert.match(en.body, new RegExp(`belongs to the ${Y} annual plan: the meeting must take place in ${Y}`));
    const wrongYear = await postForm(t.app, '/admin/consultations', fields({ year: String(Y - 1) }), staff);
    assert.equal(wrongYear.statusCode, 400);
    assert.match(wrongYear.body, new RegExp(`年度应为 ${Y}`));
    assert.equal(await count(), before, 'nothing saved');
  });

  it('keeps the item and its meeting in the plan year’s calendar; an edit cannot move it out', async () => {
    // 00:30 on 1 January in China is still the previous year in UTC: the rule uses China time.
    const id = await postAndId(t.app, '/admin/consultations', fields({ startsAt: `${Y}-01-01T00:30` }), staff, /consultations\/(\d+)/);
    const c = await db().selectFrom('consultations').select(['year', 'starts_at']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(c.year, Y);
    assert.match(await ics(Y), /SUMMARY:对口协商会：城区停车设施对口协商会/);
    assert.doesNotMatch(await ics(Y - 1), /城区停车设施/);

    const moved = await postForm(t.app, `/admin/consultations/${id}`, fields({ startsAt: `${Y - 1}-12-20T09:00` }), staff);
    assert.equal(moved.statusCode, 400);
    assert.match(moved.body, /会议时间应在/);
    assert.equal((await db().selectFrom('consultations').select('starts_at').where('id', '=', id).executeTakeFirstOrThrow()).starts_at, c.starts_at, 'unchanged');
    assert.equal((await postForm(t.app, `/admin/consultations/${id}`, fields({ startsAt: `${Y}-03-10T09:00` }), staff)).statusCode, 303, 'within the year it may move');

    // A meeting saved in another year before this rule existed: the item stays in its plan's calendar.
    await db().updateTable('consultations').set({ starts_at: `${Y - 1}-12-20T01:00:00.000Z`, year: Y - 1 }).where('id', '=', id).execute();
    t.ctx.pageCache.invalidate();
    const feed = await ics(Y);
    assert.match(feed, /SUMMARY:第一季度 对口协商会：城区停车设施规划建设/);
    assert.match(feed, new RegExp(`DTSTART;VALUE=DATE:${Y}0101`));
    await db().updateTable('consultations').set({ starts_at: `${Y}-03-10T01:00:00.000Z`, year: Y }).where('id', '=', id).execute();
    t.ctx.pageCache.invalidate();
    assert.doesNotMatch(await ics(Y), /第一季度 对口协商会：城区停车设施规划建设/, 'scheduled in its year: only the meeting is shown');
  });

  it('a plan whose items are held cannot change its year; one without may', async () => {
    const res = await postForm(t.app, `/admin/consultations/plans/${planId}`, { bodyId: String(w.committee), year: String(Y + 1), title: `${Y}年度协商计划`, published: 'on' }, staff);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, new RegExp(`计划中已有协商活动在 ${Y} 年举行，不能改变计划的年度`));
    assert.equal((await db().selectFrom('consultation_plans').select('year').where('id', '=', planId).executeTakeFirstOrThrow()).year, Y);
    const other = await postAndId(t.app, '/admin/consultations/plans', { bodyId: String(w.specialCommittee), year: String(Y), title: `${Y}年度经济委员会协商计划` }, staff, /plans\/(\d+)/);
    const ok = await postForm(t.app, `/admin/consultations/plans/${other}`, { bodyId: String(w.specialCommittee), year: String(Y + 1), title: `${Y + 1}年度经济委员会协商计划` }, staff);
    assert.equal(ok.statusCode, 303);
  });
});
