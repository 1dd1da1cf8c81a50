import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../../src/modules/admin/tokens/service.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get, postForm } from '../helpers/http.js';
import { type ConsultationWorld, dayOffset, makeConsultationWorld, postAndId, textOf } from './world.js';

// The plan's calendar feed, the JSON API with bearer tokens, and a community council's
// consultation on its own track.

const unfold = (s: string) => s.replace(/\r\n[ \t]/g, '');

describe('consultations: calendar feed, API, community councils', () => {
  let t: TestApp;
  let w: ConsultationWorld;
  let staff: Jar;
  let planId: number;
  let itemA: number;
  let consultationId: number;
  const year = Number(dayOffset(40).slice(0, 4));
  before(async () => {
    t = await createTestApp();
    w = await makeConsultationWorld(t.ctx);
    staff = await signedInJar(t.app, t.ctx, w.staff);
    planId = await postAndId(t.app, '/admin/consultations/plans', { bodyId: String(w.committee), year: String(year), title: `${year}年度协商计划`, intro: '', published: 'on' }, staff, /plans\/(\d+)/);
    const item = (itemTitle: string, quarter: string) => postForm(t.app, `/admin/consultations/plans/${planId}/items`, { itemTitle, itemDescription: '', form: 'counterpart', leadBodyId: String(w.committee), quarter }, staff);
    assert.equal((await item('城区交通微循环改造', '1')).statusCode, 303);
    assert.equal((await item('乡村振兴, 产业; 人才', '4')).statusCode, 303);
    itemA = (await t.ctx.database.db.selectFrom('plan_items').select('id').where('title', '=', '城区交通微循环改造').executeTakeFirstOrThrow()).id;
    consultationId = await postAndId(t.app, '/admin/consultations', {
      title: '城区交通微循环改造对口协商会，第一次', form: 'counterpart', mode: 'in_person', leadBodyId: String(w.committee), planItemId: String(itemA),
      startsAt: `${dayOffset(40)}T14:00`, place: '县政协会议室；二楼', isPublic: 'on', year: String(year),
    }, staff, /consultations\/(\d+)/);
  });
  after(() => t.close());

  it('the plan page shows its items by quarter with the scheduled consultation', async () => {
    const page = textOf(await get(t.app, `/consultations/plans/${year}`));
    assert.match(page, /第一季度 城区交通微循环改造/);
    assert.match(page, /第四季度 乡村振兴, 产业; 人才/);
    assert.match(page, /城区交通微循环改造对口协商会，第一次/);
    const bad = await postForm(t.app, `/admin/consultations/plans/${planId}/items`, { itemTitle: '季度错误', form: 'counterpart', leadBodyId: String(w.committee), quarter: '5' }, staff);
    assert.equal(bad.statusCode, 400);
    assert.equal((await postForm(t.app, `/admin/consultations/plan-items/${itemA}/delete`, {}, staff)).statusCode, 409, 'an item with a consultation stays');
  });

  it('serves an RFC 5545 calendar: the meeting as a timed event, the unscheduled item over its quarter', async () => {
    const res = await get(t.app, `/consultations/plans/${year}.ics`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar; charset=utf-8/);
    const raw = res.body;
    assert.ok(raw.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75), 'folded at 75 octets');
    assert.ok(!/[^\r]\n/.test(raw), 'CRLF line ends');
    const lines = unfold(raw).split('\r\n');
    assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 2, 'the scheduled item is the meeting, not a second entry');
    assert.ok(lines.includes('SUMMARY:对口协商会：城区交通微循环改造对口协商会，第一次'), 'full-width punctuation needs no escaping');
    assert.ok(lines.includes('LOCATION:县政协会议室；二楼'));
    assert.ok(lines.some((l) => l === 'SUMMARY:第四季度 对口协商会：乡村振兴\\, 产业\\; 人才'), lines.join('\n'));
    assert.ok(lines.includes(`DTSTART;VALUE=DATE:${year}1001`) && lines.includes(`DTEND;VALUE=DATE:${year + 1}0101`));
    assert.ok(lines.some((l) => /^DTSTART:\d{8}T060000Z$/.test(l)), '14:00 in China is 06:00 UTC');
    assert.ok(lines.some((l) => l.startsWith(`UID:consultation-${consultationId}-`)));
    assert.equal(lines.filter((l) => l.startsWith('DTSTAMP:')).length, 2);
    assert.ok(lines.some((l) => l.startsWith('URL:http://localhost')), lines.filter((l) => l.startsWith('URL')).join());
    const again = await get(t.app, `/consultations/plans/${year}.ics`);
    assert.equal(again.body, raw, 'the feed is stable between requests');
    assert.equal((await get(t.app, '/consultations/plans/20x6.ics')).statusCode, 404);
    const empty = await get(t.app, `/consultations/plans/${year + 5}.ics`);
    assert.equal(empty.statusCode, 200);
    assert.doesNotMatch(empty.body, /BEGIN:VEVENT/);
  });

  it('answers API clients with bearer tokens: reads for anyone, registration for the person, organiser actions for organisers', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/consultations?form=counterpart' });
    assert.equal(list.statusCode, 200);
    assert.equal(JSON.parse(list.body).items[0].id, consultationId);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/consultations?form=zzz' });
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).error.code, 'validation_failed');
    const plans = JSON.parse((await t.app.inject({ method: 'GET', url: `/api/v1/consultation-plans/${year}` })).body);
    assert.equal(plans.plans[0].items.length, 2);
    const { token } = await createApiToken(t.ctx.database.db, { userId: w.citizens[0] as number, name: 'app', createdBy: null });
    const auth = { authorization: `Bearer ${token}` };
    const notOffered = await t.app.inject({ method: 'POST', url: `/api/v1/consultations/${consultationId}/registration`, headers: auth, payload: {} });
    assert.equal(notOffered.statusCode, 404, 'no registration offered on this one');
    const stage = await t.app.inject({ method: 'POST', url: `/api/v1/consultations/${consultationId}/stage`, headers: auth, payload: { stage: 'meeting' } });
    assert.equal(stage.statusCode, 403);
    const { token: staffToken } = await createApiToken(t.ctx.database.db, { userId: w.staff, name: 'desk', createdBy: null });
    const moved = await t.app.inject({ method: 'POST', url: `/api/v1/consultations/${consultationId}/stage`, headers: { authorization: `Bearer ${staffToken}` }, payload: { stage: 'meeting' } });
    assert.equal(moved.statusCode, 200);
    assert.equal(JSON.parse(moved.body).stage, 'meeting');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/consultations/999999' });
    assert.equal(missing.statusCode, 404);
    assert.equal(JSON.parse(missing.body).error.code, 'not_found');
    const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body);
    assert.ok(doc.paths['/api/v1/consultations/{id}/registration'], 'documented in OpenAPI');
  });

  it('a community council runs a 社区协商 on the community steps; its facilitator manages it, the committee staff too', async () => {
    const facilitator = await signedInJar(t.app, t.ctx, w.facilitator);
    const cid = await postAndId(t.app, '/admin/consultations', {
      title: '东门社区加装电梯议事协商', form: 'community', mode: 'in_person', leadBodyId: String(w.council), isPublic: 'on', place: '社区活动室',
    }, facilitator, /consultations\/(\d+)/);
    const c = await t.ctx.database.db.selectFrom('consultations').select(['track', 'stage']).where('id', '=', cid).executeTakeFirstOrThrow();
    assert.deepEqual(c, { track: 'community', stage: 'topic' });
    assert.equal((await postForm(t.app, `/admin/consultations/${cid}/stage`, { stage: 'meeting' }, facilitator)).statusCode, 400, 'committee stages do not apply');
    assert.equal((await postForm(t.app, `/admin/consultations/${cid}/stage`, { stage: 'proposal' }, facilitator)).statusCode, 303);
    assert.equal((await postForm(t.app, `/admin/consultations/${cid}/stage`, { stage: 'deliberation' }, staff)).statusCode, 303, 'the committee above may manage it');
    const toOther = await postForm(t.app, `/admin/consultations/${cid}`, { title: '东门社区加装电梯议事协商', form: 'thematic', mode: 'in_person', leadBodyId: String(w.council), isPublic: 'on' }, facilitator);
    assert.equal(toOther.statusCode, 400, 'the track is fixed once under way');
    assert.equal((await postForm(t.app, `/admin/consultations/${consultationId}/stage`, { stage: 'deliberation' }, facilitator)).statusCode, 403, 'a facilitator manages only their council');
    const page = textOf(await get(t.app, `/consultations/${cid}`));
    assert.match(page, /确定议题 已完成/);
    assert.match(page, /议事会提议 已完成/);
    assert.match(page, /当前环节：协商议政。 下一步：形成决定。/);
    assert.match(page, /结果公示 待开展/);
    assert.doesNotMatch(page, /议题征集/, 'the committee’s steps are not shown');
  });
});
