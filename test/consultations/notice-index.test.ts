import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { currentNotices, currentNoticesQuery } from '../../src/modules/consultations/community-notice-service.js';
import { chinaDate } from '../../src/platform/calendar/index.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeGrassrootsWorld } from './grassroots-world.js';
import { dayOffset } from './world.js';

// The current notices (公示) list reads notices by the end of their period through
// consultation_notices_until (migration 0016): the planner's plan names the index, on SQLite
// as it stands (no statistics gathered) and on PostgreSQL (sequential scans discouraged: on a
// small table it would rightly scan). Filtered by a council or a region, SQLite starts from
// those consultations and reads their notices by consultation; never a scan of the notices.

const isPg = Boolean(process.env.DATABASE_URL);

describe('consultations: the current notices list uses its index', () => {
  let t: TestApp;
  let council = 0;
  let region = 0;
  const db = () => t.ctx.database.db;

  before(async () => {
    t = await createTestApp();
    const w = await makeGrassrootsWorld(t.ctx);
    council = w.council;
    region = w.township;
    const author = await makeUser(t.ctx, { name: '议事会工作人员' });
    const now = new Date().toISOString();
    const consultations = await db().insertInto('consultations').values(Array.from({ length: 40 }, (_, i) => ({
      title: `社区协商${i}`, summary: '', form: 'community' as const, mode: 'in_person' as const, track: 'community' as const, lead_body_id: w.council,
      plan_item_id: null, topic_id: null, year: 2026, starts_at: null, ends_at: null, place: null, online_url: null, agenda: '', is_public: i % 4 === 0 ? 0 : 1,
      registration_open: 0, capacity: null, seats_taken: 0, stage: 'result_notice' as const, stage_changed_at: now, sort_at: now, created_by: author, created_at: now, updated_at: now,
    }))).returning('id').execute();
    await db().insertInto('consultation_bodies').values(consultations.map((c) => ({ consultation_id: c.id, body_id: w.council, role: 'lead' as const }))).execute();
    // Most notices' periods are long over; a few run on.
    await db().insertInto('consultation_notices').values(consultations.flatMap((c, i) => Array.from({ length: 10 }, (_, k) => ({
      consultation_id: c.id, kind: k % 2 ? 'result' as const : 'decision' as const, body_md: '公示内容', body_html: '<p>公示内容</p>',
      notice_until: k === 9 && i % 5 === 0 ? dayOffset(3) : dayOffset(-400 + i + k), published_at: now, published_by: author,
    })))).execute();
    // PostgreSQL's autovacuum would gather statistics in time; a test cannot wait for it.
    if (isPg) await sql`ANALYZE consultation_notices, consultations, consultation_bodies, bodies`.execute(db());
  });
  after(() => t.close());

  it('lists only public notices still in their period', async () => {
    const r = await currentNotices(db(), { body: null, region: null, page: null });
    assert.equal(r.total, 6, 'consultations 5, 10, 25, 30, 35 and 15 minus the private ones (0, 20)');
    assert.ok(r.items.every((n) => (n.noticeUntil ?? '') >= chinaDate(new Date())));
  });

  for (const [name, filters] of [['all', {}], ['a council', { body: 'council' }], ['a region', { region: 'region' }]] as const) {
    it(`reads the notices through an index (${name})`, async (tc) => {
      const v = { body: 'body' in filters ? council : null, region: 'region' in filters ? region : null };
      const q = currentNoticesQuery(db(), v, chinaDate(new Date()));
      const rows = q.select(['consultation_notices.id', 'consultations.title']).orderBy('consultation_notices.published_at', 'desc').orderBy('consultation_notices.id', 'desc').limit(20);
      const counted = q.select((eb) => eb.fn.countAll<number>().as('n'));
      for (const query of [rows, counted]) {
        const c = query.compile();
        let plan: string;
        if (isPg) {
          plan = await db().transaction().execute(async (trx) => {
            await sql`SET LOCAL enable_seqscan = off`.execute(trx);
            const out = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...c, sql: `EXPLAIN ${c.sql}` });
            return out.rows.map((r) => r['QUERY PLAN']).join('\n');
          });
        } else {
          const out = await db().executeQuery<{ detail: string }>({ ...c, sql: `EXPLAIN QUERY PLAN ${c.sql}` });
          plan = out.rows.map((r) => r.detail).join('\n');
        }
        tc.diagnostic(plan);
        // Unfiltered, the notices in their period come first, from the index; filtered, the
        // council's (or region's) consultations come first and their notices by consultation.
        if (name === 'all') assert.match(plan, /consultation_notices_until/, plan);
        else assert.match(plan, /consultation_notices USING (COVERING )?INDEX consultation_notices_(c|until) \((consultation_id|notice_until)|Index Cond: \((consultation_id|notice_until)/, plan);
        assert.doesNotMatch(plan, /SCAN consultation_notices|Seq Scan on consultation_notices/, plan);
      }
    });
  }
});
