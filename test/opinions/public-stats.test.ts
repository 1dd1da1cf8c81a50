import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { opinionStats, periodMonths } from '../../src/modules/opinions/stats.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { barChartSvg, lineChartSvg } from '../../src/web/charts/charts.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { get } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// The public statistics on a small fixture whose numbers are worked out by hand. Deadlines
// are China dates: done by 15:59:59.999Z on the due date is on time, at 16:00Z it is late.

interface Fix {
  body: 'A' | 'B'; created: string; status: string; acceptDue: string; acceptedAt?: string;
  replyDue: string; repliedAt?: string; rating?: [number, number];
}
const FIXTURE: Fix[] = [
  // 1: accepted at the last moment of the due day (on time), replied a moment after its due day ended (late).
  { body: 'A', created: '2025-03-10T02:00:00.000Z', status: 'closed', acceptDue: '2025-03-12', acceptedAt: '2025-03-12T15:59:59.999Z', replyDue: '2025-03-31', repliedAt: '2025-03-31T16:00:00.000Z', rating: [3, 1] },
  // 2: accepted late, replied on time.
  { body: 'A', created: '2025-03-20T10:00:00.000Z', status: 'closed', acceptDue: '2025-03-24', acceptedAt: '2025-03-25T01:00:00.000Z', replyDue: '2025-04-10', repliedAt: '2025-04-01T00:00:00.000Z', rating: [2, 2] },
  // 3: never accepted, past its deadline: overdue now.
  { body: 'A', created: '2025-04-05T00:00:00.000Z', status: 'received', acceptDue: '2025-04-08', replyDue: '2025-04-25' },
  // 4: 17:00Z on 31 March is 1 April in China (an April opinion); accepted on time, reply overdue now.
  { body: 'A', created: '2025-03-31T17:00:00.000Z', status: 'accepted', acceptDue: '2025-04-02', acceptedAt: '2025-04-01T02:00:00.000Z', replyDue: '2025-04-22' },
  // 5: on time twice, rated not satisfied on both.
  { body: 'B', created: '2025-05-01T00:00:00.000Z', status: 'closed', acceptDue: '2025-05-06', acceptedAt: '2025-05-02T00:00:00.000Z', replyDue: '2025-05-20', repliedAt: '2025-05-10T00:00:00.000Z', rating: [1, 1] },
  // 6: the last moment of 2024 in China: not in 2025.
  { body: 'B', created: '2024-12-31T15:59:59.999Z', status: 'closed', acceptDue: '2025-01-03', acceptedAt: '2025-01-02T00:00:00.000Z', replyDue: '2025-01-21', repliedAt: '2025-01-05T00:00:00.000Z', rating: [3, 3] },
  // 7: the first moment of 2025 in China; withdrawn before acceptance: received, never overdue.
  { body: 'B', created: '2024-12-31T16:00:00.000Z', status: 'withdrawn', acceptDue: '2025-01-03', replyDue: '2025-01-22' },
];

describe('opinions: public statistics', () => {
  let t: TestApp;
  let w: OpinionWorld;
  before(async () => {
    t = await createTestApp({ opinions: { perSenderPerHour: 1000, perIpPerHour: 1000, powMaxNumber: 1000, attachmentMaxBytes: 1_000_000, maxAttachments: 3 } });
    w = await makeOpinionWorld(t.ctx);
    const citizen = await userOf(t.ctx, w.citizen);
    for (const [i, f] of FIXTURE.entries()) {
      const bodyId = f.body === 'A' ? w.specialCommittee : w.liaisonGroup;
      const r = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w, {
        title: `统计用意见${i + 1}`, body: `这是用于统计测试的第${i + 1}件意见，内容不重要。`, target: 'body', targetBodyId: String(bodyId),
      }));
      await t.ctx.database.db.updateTable('opinions').set({
        created_at: f.created, status: f.status as never, accept_due: f.acceptDue, accepted_at: f.acceptedAt ?? null, reply_due: f.replyDue,
        first_replied_at: f.repliedAt ?? null, replied_at: f.repliedAt ?? null, rating_handling: f.rating?.[0] ?? null, rating_result: f.rating?.[1] ?? null,
      }).where('id', '=', r.id).execute();
    }
  });
  after(() => t.close());

  it('counts per body: received, on time, satisfaction, overdue now — as worked out by hand', async () => {
    const s = await opinionStats(t.ctx.database.db, 2025, new Date('2026-06-01T00:00:00Z'));
    const counts = (bodyId: number) => {
      const b = s.bodies.find((x) => x.bodyId === bodyId);
      assert.ok(b, `body ${bodyId}`);
      const { bodyId: _i, name: _n, nameEn: _e, ...c } = b;
      return c;
    };
    assert.deepEqual(counts(w.specialCommittee), { received: 4, accepted: 3, acceptedOnTime: 2, replied: 2, repliedOnTime: 1, rated: 2, satHandling: 2, satResult: 1, overdue: 2 });
    assert.deepEqual(counts(w.liaisonGroup), { received: 2, accepted: 1, acceptedOnTime: 1, replied: 1, repliedOnTime: 1, rated: 1, satHandling: 0, satResult: 0, overdue: 0 });
    assert.deepEqual(s.total, { received: 6, accepted: 4, acceptedOnTime: 3, replied: 3, repliedOnTime: 2, rated: 3, satHandling: 2, satResult: 1, overdue: 2 });
    assert.deepEqual(s.bodies.map((b) => b.bodyId), [w.specialCommittee, w.liaisonGroup], 'most received first');
    assert.deepEqual(s.trend.map((m) => [m.month, m.received, m.accepted, m.replied]), [
      ['2025-01', 1, 0, 0], ['2025-02', 0, 0, 0], ['2025-03', 2, 2, 2], ['2025-04', 2, 1, 0], ['2025-05', 1, 1, 1], ['2025-06', 0, 0, 0],
      ['2025-07', 0, 0, 0], ['2025-08', 0, 0, 0], ['2025-09', 0, 0, 0], ['2025-10', 0, 0, 0], ['2025-11', 0, 0, 0], ['2025-12', 0, 0, 0],
    ]);
    assert.equal(s.from, '2025-01-01');
    assert.equal(s.to, '2025-12-31');
    assert.deepEqual(s.years.slice(-2), [2025, 2024]);
    // 2024 holds only opinion 6.
    assert.equal((await opinionStats(t.ctx.database.db, 2024, new Date('2026-06-01T00:00:00Z'))).total.received, 1);
  });

  it('the last 12 months end with the current China month', () => {
    const months = periodMonths(null, new Date('2026-02-28T16:30:00Z'));
    assert.equal(months.length, 12);
    assert.deepEqual(months[0], { y: 2025, m: 4 });
    assert.deepEqual(months[11], { y: 2026, m: 3 }, '16:30Z on 28 February is 1 March in China');
    assert.equal(periodMonths(2026, new Date('2026-05-10T00:00:00Z')).length, 5, 'the current year up to this month');
  });

  it('the page shows the numbers in a table and charts as named SVG images, each with a data table', async () => {
    const res = await get(t.app, '/opinions/stats?year=2025');
    assert.equal(res.statusCode, 200);
    const table = res.body.slice(res.body.indexOf('id="stats-bodies"'));
    const row = (name: string) => {
      const m = new RegExp(`<tr><th scope="row">${name}</th>((?:<td>[^<]*</td>)+)</tr>`).exec(table.slice(0, table.indexOf('</table>')));
      assert.ok(m, name);
      return [...(m[1] as string).matchAll(/<td>([^<]*)<\/td>/g)].map((x) => x[1]);
    };
    assert.deepEqual(row(`社会和法制委员会\\d+`), ['4', '2/3（66.7%）', '1/2（50%）', '2/2（100%）', '1/2（50%）', '2']);
    assert.deepEqual(row('城关镇联络组\\d+'), ['2', '1/1（100%）', '1/1（100%）', '0/1（0%）', '0/1（0%）', '0']);
    assert.deepEqual(row('全部'), ['6', '3/4（75%）', '2/3（66.7%）', '2/3（66.7%）', '1/3（33.3%）', '2']);
    const svgs = [...res.body.matchAll(/<svg [^>]*>/g)].map((m) => m[0]);
    assert.equal(svgs.length, 4, 'three body charts and the monthly trend');
    for (const s of svgs) {
      assert.match(s, /role="img"/);
      assert.match(s, /aria-label="[^"]+（数据见下表）"/);
    }
    assert.equal([...res.body.matchAll(/<figure class="xs-chart">[\s\S]*?<\/figure>/g)].filter((f) => /<table/.test(f[0])).length, 4, 'a table with each chart');
    // Nothing the Content-Security-Policy would block, nothing scripted.
    assert.ok(!/<style|style="|<script(?! src="\/assets\/app\.js")/.test(res.body));
    assert.ok(res.body.length < 100 * 1024, `${res.body.length} bytes`);
    // English too.
    const en = await get(t.app, '/opinions/stats?year=2025', undefined, { cookie: 'xs_lang=en' });
    assert.match(en.body, /Accepted on time/);
  });

  it('an empty period says so; a bad year is a 400', async () => {
    const res = await get(t.app, '/opinions/stats?year=2023');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /这段时间没有收到意见/);
    assert.equal((await get(t.app, '/opinions/stats?year=abc')).statusCode, 400);
    assert.equal((await get(t.app, '/opinions/stats?year=1999')).statusCode, 400);
  });

  it('chart helpers escape text and name the image', () => {
    const svg = barChartSvg({ label: 'A "chart" <b>', categories: ['<script>&'], series: [{ name: 'n', values: [3] }], horizontal: true });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="[^"]+" role="img" aria-label="A &quot;chart&quot; &lt;b&gt;" focusable="false">/);
    assert.ok(!svg.includes('<script>'));
    assert.match(svg, /&lt;script&gt;&amp;/);
    const line = lineChartSvg({ label: 'trend', categories: ['2025-01', '2025-02'], series: [{ name: 'a', values: [1, null] }, { name: 'b', values: [2, 3] }] });
    assert.match(line, /<path d="M/);
    assert.ok(!/ style=|<style|ecmeta_|zr\d+-cls/.test(line + svg));
  });
});
