import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transaction } from '../../src/db/database.js';
import { DEMO_OPINIONS } from '../../src/modules/demo/opinions.js';
import { type DemoResult, seedDemo } from '../../src/modules/demo/seed.js';
import { todayInChina } from '../../src/modules/opinions/clocks.js';
import { loadRouter } from '../../src/modules/opinions/router-store.js';
import { suggestRoute } from '../../src/modules/opinions/routing.js';
import { sweepSla } from '../../src/modules/opinions/sla.js';
import { opinionTimeline } from '../../src/modules/opinions/timeline.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { type TestApp, createTestApp } from '../helpers/app.js';

// The demo county's opinions: spread over two years, bodies and statuses, consistent with
// the clocks (a sweep right after seeding has nothing left to do), on an intact audit chain,
// and a trained routing suggester.

describe('demo opinions and the trained router', { timeout: 180_000 }, () => {
  let t: TestApp;
  let r: DemoResult;
  const db = () => t.ctx.database.db;
  before(async () => {
    t = await createTestApp({}, { setupDone: false });
    r = await seedDemo(t.ctx);
  });
  after(() => t.close());

  it('spreads opinions over two years, bodies and statuses', async () => {
    const rows = await db().selectFrom('opinions').select(['status', 'created_at', 'handler_body_id', 'public_visible', 'target_type', 'accept_due', 'reply_due', 'rating_handling']).execute();
    assert.equal(rows.length, DEMO_OPINIONS);
    const by = (f: (x: (typeof rows)[number]) => string) => rows.reduce<Record<string, number>>((a, x) => ({ ...a, [f(x)]: (a[f(x)] ?? 0) + 1 }), {});
    const status = by((x) => x.status);
    assert.ok(status.closed! > DEMO_OPINIONS * 0.7, JSON.stringify(status));
    for (const s of ['received', 'accepted', 'replied', 'declined', 'merged', 'withdrawn']) assert.ok((status[s] ?? 0) > 0, `some ${s}: ${JSON.stringify(status)}`);
    const today = todayInChina();
    const overdue = rows.filter((x) => (x.status === 'received' && x.accept_due < today) || (x.status === 'accepted' && x.reply_due < today)).length;
    assert.ok(overdue > 0, 'some are overdue');
    const months = new Set(rows.map((x) => x.created_at.slice(0, 7)));
    assert.ok(months.size >= 24, `${months.size} months`);
    assert.ok(new Set(rows.map((x) => x.handler_body_id)).size >= 15);
    const pub = rows.filter((x) => x.public_visible === 1).length;
    assert.ok(pub > DEMO_OPINIONS * 0.3 && pub < DEMO_OPINIONS * 0.8, `${pub} public`);
    assert.ok(rows.filter((x) => x.target_type === 'route').length > DEMO_OPINIONS * 0.3);
    const closedUnrated = rows.filter((x) => x.status === 'closed' && x.rating_handling === null).length;
    assert.ok(closedUnrated > 0, 'some closed unrated after the rating window');
    const docs = Number((await db().selectFrom('search_docs').select((eb) => eb.fn.countAll<number>().as('n')).where('doc_type', '=', 'opinion').executeTakeFirstOrThrow()).n);
    assert.equal(docs, pub, 'every public opinion is in the search index');
  });

  it('is consistent with the clocks and the timeline', async () => {
    const report = await transaction(t.ctx.database, (trx) => sweepSla(trx, new Date()));
    assert.deepEqual({ ...report, publicChanged: false }, { reminded: 0, escalated: 0, closed: 0, actionsReminded: 0, actionsEscalated: 0, publicChanged: false },
      'the seeded history already holds what the sweeps would have done');
    assert.equal((await verifyAudit(db())).ok, true);
    // Each status matches the last step of its timeline.
    const sample = await db().selectFrom('opinions').selectAll().where('id', '>', 0).orderBy('id').limit(300).execute();
    const last: Record<string, string[]> = {
      closed: ['closed', 'action_done'], declined: ['declined'], merged: ['merged'], withdrawn: ['withdrawn'],
      replied: ['replied', 'action_answered', 'action_done', 'action_progress', 'reminded', 'escalated', 'absorbed', 'hidden'],
    };
    for (const op of sample) {
      const tl = await opinionTimeline(db(), op, 'handler');
      assert.equal(tl[0]?.action, 'submitted');
      const want = last[op.status];
      if (want) assert.ok(want.includes(tl.at(-1)!.action), `${op.status} ends with ${tl.at(-1)!.action} (${tl.map((x) => x.action).join(',')})`);
      if (op.status === 'replied' || op.status === 'closed') assert.ok(op.reply_text || tl.some((x) => x.action === 'closed'));
      for (let k = 1; k < tl.length; k++) assert.ok(tl[k]!.at >= tl[k - 1]!.at, 'timeline in time order');
    }
  });

  it('trains the routing suggester from the routed opinions', async () => {
    const router = await loadRouter(db());
    assert.ok(router);
    assert.ok(router.size.examples > 500, `${router.size.examples} examples`);
    const bodies = new Set((await db().selectFrom('bodies').select('id').where('kind', 'in', ['special_committee', 'liaison_group']).execute()).map((b) => String(b.id)));
    for (const l of router.labels) assert.ok(bodies.has(l), `label ${l} is a committee or liaison group`);
    const social = await db().selectFrom('bodies').select('id').where('name', '=', '社会和法制委员会').executeTakeFirstOrThrow();
    const s = await suggestRoute(db(), { title: '社区养老食堂太少', body: '小区老年人多，吃饭不方便，希望开办老年食堂，给高龄独居老人送餐。', category: 'elderly' }, null);
    assert.equal(s?.bodyId, social.id);
    assert.match(s?.reason ?? '', /^因为提到：/);
    const waiting = await db().selectFrom('opinions').select(['suggested_body_id', 'suggestion_reason']).where('routing_confirmed', '=', 0).execute();
    assert.ok(waiting.some((w) => w.suggested_body_id !== null && (w.suggestion_reason ?? '').startsWith('因为提到')), 'unrouted opinions carry the model’s suggestion');
    assert.ok(r.structure.committeeId > 0);
  });
});
