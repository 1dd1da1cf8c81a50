import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consultationFixtures } from '../../bench/consultations-scenarios.js';
import { type ConsultationSeedResult, seedConsultations } from '../../bench/consultations-seed.js';
import { seedDemo } from '../../src/modules/demo/seed.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { type TestApp, createTestApp } from '../helpers/app.js';

// The benchmark's consultation seed (bench/consultations-seed.ts) writes rows below the
// services: the pages it measures must answer from them, and the audit chain must stay whole.

describe('bench consultation seed', { timeout: 180_000 }, () => {
  let t: TestApp;
  let r: ConsultationSeedResult;
  before(async () => {
    t = await createTestApp();
    await seedDemo(t.ctx, { force: true });
    r = await seedConsultations(t.ctx, { consultations: 80, years: 3, questions: 30, statements: 40, voters: 60, votesEach: 12, now: new Date('2026-06-15T04:00:00Z') });
  });
  after(async () => { await t.close(); });

  it('extends the audit chain so that verify-audit passes', async () => {
    const report = await verifyAudit(t.ctx.database.db);
    assert.deepEqual(report.problems, []);
    assert.ok(report.ok);
    assert.ok(r.auditEvents > r.consultations + r.questions, 'a creation per consultation, an event per question and answer');
  });

  it('gives the scenarios their ids, and every measured page answers', async () => {
    const f = await consultationFixtures(t.ctx, t.ctx.config.cookieSecret);
    assert.ok(f);
    assert.equal(f.liveId, r.liveId);
    assert.equal(f.deliberationId, r.deliberationId);
    assert.equal(f.questions, 30);
    assert.equal(f.statements, 40);
    assert.ok(r.votes > 60 * 3);
    const db = t.ctx.database.db;
    const live = await db.selectFrom('consultations').select(['stage', 'is_public']).where('id', '=', r.liveId).executeTakeFirstOrThrow();
    assert.deepEqual(live, { stage: 'meeting', is_public: 1 });
    assert.ok(await db.selectFrom('deliberation_results').select('id').where('deliberation_id', '=', r.deliberationId).executeTakeFirst(), 'a stored result');
    const paths = ['/consultations', `/consultations?form=community&year=${f.years[1]}`, `/consultations/${r.liveId}`, `/consultations/${r.liveId}/live`,
      `/deliberations/${r.deliberationId}/results`, `/consultations/plans/${r.year}`];
    for (const url of paths) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
    }
    const page = await t.app.inject({ method: 'GET', url: `/consultations/${r.liveId}/live` });
    assert.equal((page.body.match(/data-question-id=/g) ?? []).length, 30);
    const signedIn = await t.app.inject({ method: 'GET', url: '/consultations', headers: { cookie: f.cookie } });
    assert.match(signedIn.body, /\/account/);
  });
});
