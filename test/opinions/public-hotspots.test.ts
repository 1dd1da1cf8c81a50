import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOTSPOT_JOB, latestSnapshot, runHotspots } from '../../src/modules/opinions/hotspot-job.js';
import { acceptOpinion } from '../../src/modules/opinions/handling.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import { kickPeriodicJobs } from '../../src/platform/jobs/registry.js';
import { JobWorker } from '../../src/platform/jobs/worker.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { signedInJar } from '../helpers/factories.js';
import { get } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// Hotspots: similar recent opinions end up in one group; the public page shows the groups
// built from public opinions only and links to them; staff see every accepted opinion.

const PARKING = [
  ['小区停车难问题', '东门社区老旧小区车位严重不足，晚上车辆占用消防通道，希望规划建设停车位。'],
  ['停车位太少了', '我们小区停车位严重不足，车辆占用消防通道，希望规划建设停车位。'],
  ['老旧小区停车难', '老旧小区停车难，车位严重不足，消防通道被车辆占用，请规划建设停车位。'],
  ['小区车位不足', '小区车位严重不足，停车难，晚上车辆占用消防通道，希望规划建设停车位。'],
  ['停车难怎么办', '小区停车难，车位严重不足，车辆占用消防通道，希望尽快规划建设停车位。'],
  ['请解决停车问题', '老旧小区车位严重不足，晚上停车难，消防通道被占用，希望规划建设停车位。'],
  ['车位严重不足', '东门社区小区车位严重不足，车辆晚上占用消防通道，希望规划建设停车位。'],
];
/** The last parking opinion's sender did not allow it to be public. */
const PRIVATE = PARKING.length - 1;
const ELDERLY = [
  ['社区养老服务点太少', '城关镇老人很多，社区养老服务点和日间照料中心太少，希望增加养老服务点。'],
  ['希望建日间照料中心', '我们社区老年人多，缺少日间照料中心和养老服务，希望建设养老服务点。'],
  ['养老服务不够', '社区养老服务点少，老人日间照料没有地方，希望多建几个养老服务点。'],
];

describe('opinions: hotspots', () => {
  let t: TestApp;
  let w: OpinionWorld;
  const ids: Record<string, number> = {};
  before(async () => {
    t = await createTestApp({ opinions: { perSenderPerHour: 1000, perIpPerHour: 1000, powMaxNumber: 1000, attachmentMaxBytes: 1_000_000, maxAttachments: 3 } });
    w = await makeOpinionWorld(t.ctx);
    const citizen = await userOf(t.ctx, w.citizen);
    const staff = await userOf(t.ctx, w.staff);
    const send = async (key: string, title: string, body: string, o: Record<string, unknown> = {}, accept = true) => {
      const r = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w, { title, body, ...o }));
      if (accept) await acceptOpinion(t.ctx, staff, r.id);
      ids[key] = r.id;
    };
    for (const [i, [title, body]] of PARKING.entries()) await send(`p${i}`, title as string, body as string, i === PRIVATE ? { public: '0' } : {});
    for (const [i, [title, body]] of ELDERLY.entries()) await send(`e${i}`, title as string, body as string, { category: 'elderly', regionId: String(w.township) });
    await send('unaccepted', '停车难停车位不足', '小区停车位不足，消防通道被占用，希望建设停车位，停车难。', {}, false);
    await send('old', '小区停车难，车位不足', '老旧小区车位不足，消防通道被占用，希望规划停车位。');
    await t.ctx.database.db.updateTable('opinions').set({ created_at: new Date(Date.now() - 40 * 86_400_000).toISOString() }).where('id', '=', ids.old as number).execute();
  });
  after(() => t.close());

  it('groups similar accepted opinions of the last 30 days, public ones alone for the public', async () => {
    const r = await runHotspots(t.ctx);
    // Clustering is a heuristic: the tests ask for the group, not for every member of it.
    const parkingIds = PARKING.map((_, i) => ids[`p${i}`] as number);
    const publicParking = parkingIds.filter((_, i) => i !== PRIVATE);
    const largest = <G extends { memberIds: number[] }>(groups: G[]) => [...groups].sort((a, b) =>
      b.memberIds.filter((id) => parkingIds.includes(id)).length - a.memberIds.filter((id) => parkingIds.includes(id)).length)[0];
    const pub = largest(r.public.groups);
    const all = largest(r.all.groups);
    assert.ok(pub && all, 'a parking group in both');
    assert.ok(pub.memberIds.every((id) => publicParking.includes(id)) && pub.memberIds.length >= 4, `public: public parking opinions only (${pub.memberIds})`);
    assert.ok(all.memberIds.every((id) => parkingIds.includes(id)) && all.memberIds.length >= 4, `all: parking opinions only (${all.memberIds})`);
    assert.ok(r.all.groups.some((g) => g.memberIds.includes(ids[`p${PRIVATE}`] as number)), 'staff see the private one grouped');
    const everywhere = [...r.all.groups, ...r.public.groups].flatMap((g) => g.memberIds);
    assert.ok(!everywhere.includes(ids.unaccepted as number) && !everywhere.includes(ids.old as number), 'never the unaccepted or the old one');
    assert.ok(!r.public.groups.some((g) => g.memberIds.includes(ids[`p${PRIVATE}`] as number)), 'never the private one in public');
    assert.ok(pub.labelTerms.some((x) => x.includes('停车') || x.includes('车位')), pub.labelTerms.join(','));
    const elderly = r.public.groups.find((g) => g.memberIds.includes(ids.e0 as number));
    assert.ok(elderly && elderly.size === 3 && !elderly.memberIds.includes(ids.p0 as number));
    assert.deepEqual(elderly.regions, [{ regionId: w.township, count: 3 }]);
    assert.equal((await latestSnapshot(t.ctx.database.db, 'public'))?.fingerprint, r.public.fingerprint);
    // A second run over the same opinions: the same groups under the same keys, nothing to refresh.
    const again = await runHotspots(t.ctx);
    assert.deepEqual(again.public.groups.map((g) => g.key), r.public.groups.map((g) => g.key));
    assert.equal(again.changed, false);
  });

  it('the public page lists each group with its words, size, places and links to its public opinions', async () => {
    const snap = await latestSnapshot(t.ctx.database.db, 'public');
    const group = snap?.groups.find((g) => g.memberIds.includes(ids.e0 as number));
    assert.ok(group, 'the elderly-care group');
    const res = await get(t.app, '/opinions/hotspots');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(group.labelTerms.join('、')));
    assert.ok(res.body.includes(`${group.size} 件意见`));
    assert.match(res.body, /城关镇\d* 3 件/, 'the places of the elderly-care group');
    assert.ok(!res.body.includes(`href="/opinions/${ids[`p${PRIVATE}`]}"`), 'the private opinion is not linked');
    const link = `/opinions?hotspot=${group.key}`;
    assert.ok(res.body.includes(`href="${link}"`));
    const list = await get(t.app, link);
    assert.equal(list.statusCode, 200);
    const titles = [...list.body.matchAll(/xs-opinion__title"><a href="\/opinions\/\d+">([^<]*)</g)].map((m) => m[1]).sort();
    assert.deepEqual(titles, ELDERLY.map(([title]) => title).sort());
    const gone = await get(t.app, '/opinions?hotspot=hs-00000000');
    assert.equal(gone.statusCode, 200);
    assert.match(gone.body, /这个热点已经更新/);
  });

  it('staff see the groups over all opinions; others may not', async () => {
    const staffJar = await signedInJar(t.app, t.ctx, w.staff);
    const res = await get(t.app, '/handle/hotspots', staffJar);
    assert.equal(res.statusCode, 200);
    const all = await latestSnapshot(t.ctx.database.db, 'all');
    const withPrivate = all?.groups.find((g) => g.memberIds.includes(ids[`p${PRIVATE}`] as number));
    assert.ok(withPrivate && res.body.includes(`${withPrivate.size} 件意见`));
    assert.match(res.body, /href="\/handle\/opinions\/\d+"/);
    assert.equal((await get(t.app, '/handle/hotspots', await signedInJar(t.app, t.ctx, w.citizen))).statusCode, 403);
    const anon = await get(t.app, '/handle/hotspots');
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/sign-in/);
  });

  it('runs as a periodic job: the worker started with the app runs it, and it schedules the next run', async () => {
    await t.ctx.database.db.deleteFrom('hotspot_snapshots').execute();
    await t.ctx.database.db.deleteFrom('jobs').execute();
    await kickPeriodicJobs(t.ctx.database.db);
    const worker = new JobWorker(t.ctx);
    while ((await worker.runOnce()) > 0) { /* every due job, ours included */ }
    assert.ok(await latestSnapshot(t.ctx.database.db, 'public'));
    assert.ok(await latestSnapshot(t.ctx.database.db, 'all'));
    const next = await t.ctx.database.db.selectFrom('jobs').selectAll().where('kind', '=', HOTSPOT_JOB).where('status', '=', 'pending').execute();
    assert.equal(next.length, 1);
    assert.ok((next[0]?.run_at ?? '') > new Date().toISOString(), 'the next run is in the future');
  });
});
