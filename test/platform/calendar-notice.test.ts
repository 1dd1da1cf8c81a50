import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptOpinion, forwardOpinion } from '../../src/modules/opinions/handling.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { type Jar, get } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// Staff see when a deadline falls in a year whose holiday arrangements are not published
// (the calendar computes the statutory holidays by rule there and knows no make-up days).

describe('calendar: deadlines in a year without a holiday notice', () => {
  let t: TestApp;
  let w: OpinionWorld;
  let dept: Jar;
  let member: Jar;
  let itemId = 0;
  let opinionId = 0;
  let before2027 = 0;
  const db = () => t.ctx.database.db;
  const notices = (html: string) => html.split('节假日安排尚未公布').length - 1;
  const zh = '2027年的节假日安排尚未公布';
  const en = 'The holiday arrangements for 2027 have not been published yet';

  before(async () => {
    t = await createTestApp();
    w = await makeOpinionWorld(t.ctx);
    dept = await signedInJar(t.app, t.ctx, w.deptHandler);
    member = await signedInJar(t.app, t.ctx, w.member);
    const c = await userOf(t.ctx, w.citizen);
    const sent = await submitOpinion(t.ctx, { kind: 'user', user: c }, sampleOpinion(w, { title: '路灯不亮', body: '东门社区路灯连续一周不亮，夜间出行不便，请尽快维修。' }));
    const m = await userOf(t.ctx, w.member);
    await acceptOpinion(t.ctx, m, sent.id);
    opinionId = sent.id;
    itemId = await forwardOpinion(t.ctx, m, sent.id, { departmentId: String(w.department), instructions: '请现场核实并答复群众' });
  });
  after(() => t.close());

  it('says nothing while the deadlines are in a year with a notice', async () => {
    await db().updateTable('action_items').set({ due_on: '2026-12-30' }).where('id', '=', itemId).execute();
    await db().updateTable('opinions').set({ accept_due: '2026-12-10', reply_due: '2026-12-30' }).where('id', '=', opinionId).execute();
    const item = await get(t.app, `/handle/actions/${itemId}`, dept);
    assert.equal(item.statusCode, 200);
    assert.ok(!item.body.includes('尚未公布'));
    const detail = await get(t.app, `/handle/opinions/${opinionId}`, member);
    assert.equal(detail.statusCode, 200);
    before2027 = notices(detail.body);
  });

  it('tells staff in Chinese and English on the action item and the opinion', async () => {
    await db().updateTable('action_items').set({ due_on: '2027-01-05' }).where('id', '=', itemId).execute();
    await db().updateTable('opinions').set({ accept_due: '2026-12-10', reply_due: '2027-01-05' }).where('id', '=', opinionId).execute();
    const item = await get(t.app, `/handle/actions/${itemId}`, dept);
    assert.equal(item.statusCode, 200);
    assert.ok(item.body.includes(zh), item.body);
    assert.ok(item.body.includes('调休上班日无法预知'));
    const itemEn = await get(t.app, `/handle/actions/${itemId}`, dept, { 'accept-language': 'en' });
    assert.ok(itemEn.body.includes(en));
    assert.ok(itemEn.body.includes('Make-up working days cannot be known in advance'));
    const detail = await get(t.app, `/handle/opinions/${opinionId}`, member);
    assert.ok(detail.body.includes(zh));
    // One more than before: the forward form has its own when 60 working days from today reach
    // a year without a notice, which depends on the day the test runs.
    assert.equal(notices(detail.body), before2027 + 1);
    const detailEn = await get(t.app, `/handle/opinions/${opinionId}`, member, { 'accept-language': 'en' });
    assert.ok(detailEn.body.includes(en));
  });
});
