import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptOpinion, replyToOpinion, setPublicVisible } from '../../src/modules/opinions/handling.js';
import { submitOpinion } from '../../src/modules/opinions/submit.js';
import type { CurrentUser } from '../../src/platform/auth/current-user.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { get } from '../helpers/http.js';
import { type OpinionWorld, makeOpinionWorld, sampleOpinion, userOf } from '../helpers/opinions.js';

// The public list and an opinion's public page: only what senders allowed and handlers
// accepted is shown, filters and Chinese search narrow it, paging stays consistent, and
// nothing identifies a sender.

const titlesIn = (html: string): string[] => [...html.matchAll(/<h2 class="xs-list__title xs-opinion__title"><a href="\/opinions\/(\d+)">([^<]*)<\/a>/g)].map((m) => m[2] as string);
const idsIn = (html: string): number[] => [...html.matchAll(/<h2 class="xs-list__title xs-opinion__title"><a href="\/opinions\/(\d+)">/g)].map((m) => Number(m[1]));
const hrefOf = (html: string, rel: 'next' | 'prev'): string | null => {
  const m = new RegExp(`<a rel="${rel}" href="([^"]+)"`).exec(html);
  return m ? (m[1] as string).replace(/&amp;/g, '&') : null;
};

describe('opinions: the public list and page', () => {
  let t: TestApp;
  let w: OpinionWorld;
  let staff: CurrentUser;
  let citizen: CurrentUser;
  const ids: Record<string, number> = {};

  const send = async (key: string, o: Record<string, unknown>, accept = true) => {
    const r = await submitOpinion(t.ctx, { kind: 'user', user: citizen }, sampleOpinion(w, o));
    if (accept) await acceptOpinion(t.ctx, staff, r.id);
    ids[key] = r.id;
    return r.id;
  };

  before(async () => {
    t = await createTestApp({ opinions: { perSenderPerHour: 1000, perIpPerHour: 1000, powMaxNumber: 1000, attachmentMaxBytes: 1_000_000, maxAttachments: 3 } });
    w = await makeOpinionWorld(t.ctx);
    staff = await userOf(t.ctx, w.staff);
    citizen = await userOf(t.ctx, w.citizen);
    await send('parking', { title: '小区停车难问题', category: 'traffic', regionId: String(w.village) });
    await replyToOpinion(t.ctx, staff, ids.parking as number, { reply: '已协调街道在东门社区新建停车位 40 个，预计年底完工。' });
    await send('elderly', {
      title: '希望增加社区养老服务点', body: '城关镇老人很多，日间照料中心太少，希望在镇上再建一个养老服务点。', category: 'elderly',
      regionId: String(w.township), target: 'body', targetBodyId: String(w.specialCommittee), targetMemberId: undefined,
    });
    await send('school', { title: '学校门口交通安全隐患', body: '县城小学门口上下学时段车辆拥堵，缺少交通协管员，存在安全隐患。', category: 'education', regionId: String(w.county) });
    await send('private', { title: '不公开的意见标题', body: '这是一件发件人不同意公开的意见，内容不能出现在公开列表里。', public: '0' });
    await send('received', { title: '尚未受理的意见标题', body: '这件意见还没有受理，所以不能出现在公开列表里。' }, false);
    await send('hidden', { title: '被隐藏的意见标题', body: '办理人员把这件意见从公开列表里隐藏了，它不能出现。' });
    await setPublicVisible(t.ctx, staff, ids.hidden as number, false);
  });
  after(() => t.close());

  it('lists only public, accepted opinions, newest first, without identifying anyone', async () => {
    const res = await get(t.app, '/opinions');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titlesIn(res.body), ['学校门口交通安全隐患', '希望增加社区养老服务点', '小区停车难问题']);
    for (const hidden of ['不公开的意见标题', '尚未受理的意见标题', '被隐藏的意见标题']) assert.ok(!res.body.includes(hidden), hidden);
    assert.ok(!res.body.includes(w.citizenPhone) && !res.body.includes('138****'), 'no phone number or masked name');
    assert.match(res.body, /href="\/opinions\/new"/, 'a prominent link to send one');
    assert.match(res.body, /已协调街道在东门社区新建停车位/, 'the reply excerpt');
    assert.match(res.body, /按期答复/, 'replied on time');
    assert.ok(!/method="post"/i.test(res.body), 'no POST form on a cached public page');
  });

  it('filters by category, handling body, place (with the places below it) and status', async () => {
    assert.deepEqual(titlesIn((await get(t.app, '/opinions?category=traffic')).body), ['小区停车难问题']);
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?body=${w.specialCommittee}`)).body), ['希望增加社区养老服务点']);
    // The township includes its village; the village alone does not include the township.
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?region=${w.township}`)).body), ['希望增加社区养老服务点', '小区停车难问题']);
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?region=${w.village}`)).body), ['小区停车难问题']);
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?region=${w.county}`)).body).length, 3);
    assert.deepEqual(titlesIn((await get(t.app, '/opinions?status=replied')).body), ['小区停车难问题']);
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?status=accepted&region=${w.township}`)).body), ['希望增加社区养老服务点']);
    assert.deepEqual(titlesIn((await get(t.app, '/opinions?region=99999999')).body), [], 'an unknown place lists nothing');
  });

  it('searches public opinions in Chinese (two-character words), combined with filters', async () => {
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?q=${encodeURIComponent('停车')}`)).body), ['小区停车难问题']);
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?q=${encodeURIComponent('养老')}`)).body), ['希望增加社区养老服务点']);
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?q=${encodeURIComponent('停车')}&category=education`)).body), []);
    // Private and hidden opinions are not in the search index either.
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?q=${encodeURIComponent('公开')}`)).body), []);
    assert.deepEqual(titlesIn((await get(t.app, `/opinions?q=${encodeURIComponent('隐藏')}`)).body), []);
  });

  it('refuses bad filter values with a localised 400', async () => {
    for (const q of ['status=declined', 'body=abc', 'region=-1', 'before=yesterday', `q=${'x'.repeat(101)}`]) {
      const res = await get(t.app, `/opinions?${q}`);
      assert.equal(res.statusCode, 400, q);
    }
  });

  it('pages with older/newer links that neither skip nor repeat', async () => {
    const sent: number[] = [];
    for (let i = 0; i < 23; i++) sent.push(await send(`bulk${i}`, { title: `路灯不亮问题第${i}件`, body: `东门社区第${i}号路灯晚上不亮，行人出行不便，希望尽快维修。`, category: 'urban' }));
    const seen: number[] = [];
    let url: string | null = '/opinions?category=urban';
    const pages: number[][] = [];
    while (url) {
      const res = await get(t.app, url);
      assert.equal(res.statusCode, 200);
      pages.push(idsIn(res.body));
      seen.push(...idsIn(res.body));
      url = hrefOf(res.body, 'next');
    }
    assert.deepEqual(pages.map((p) => p.length), [20, 3]);
    assert.deepEqual(seen, [...sent].reverse(), 'every one once, newest first');
    assert.match((await get(t.app, '/opinions?category=urban')).body, /共 23 件/);
    // The same through a search (the newest matches are paged in memory).
    const viaSearch: number[] = [];
    let surl: string | null = `/opinions?q=${encodeURIComponent('路灯')}`;
    let lastPage = '';
    while (surl) {
      lastPage = (await get(t.app, surl)).body;
      viaSearch.push(...idsIn(lastPage));
      surl = hrefOf(lastPage, 'next');
    }
    assert.deepEqual(viaSearch, [...sent].reverse());
    const searchBack = hrefOf(lastPage, 'prev');
    assert.ok(searchBack);
    assert.deepEqual(idsIn((await get(t.app, searchBack)).body), pages[0]);
    // Back from the second page to the first.
    const next = hrefOf((await get(t.app, '/opinions?category=urban')).body, 'next');
    assert.ok(next);
    const back = hrefOf((await get(t.app, next)).body, 'prev');
    assert.ok(back);
    assert.deepEqual(idsIn((await get(t.app, back)).body), pages[0]);
  });

  it('shows a public opinion with its place, handler, deadlines, reply and public timeline; 404 otherwise', async () => {
    const res = await get(t.app, `/opinions/${ids.parking}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>小区停车难问题<\/h1>/);
    assert.match(res.body, /东门社区/);
    assert.match(res.body, /已协调街道在东门社区新建停车位 40 个/);
    assert.match(res.body, /已受理/, 'the timeline');
    assert.match(res.body, /按期/, 'deadlines met');
    assert.match(res.body, /发件人尚未评价/);
    assert.ok(!res.body.includes(w.citizenPhone) && !res.body.includes('138****'));
    for (const key of ['private', 'received', 'hidden']) assert.equal((await get(t.app, `/opinions/${ids[key]}`)).statusCode, 404, key);
    assert.equal((await get(t.app, '/opinions/99999999')).statusCode, 404);
    assert.equal((await get(t.app, '/opinions/abc')).statusCode, 404);
  });

  it('a handler action on a public opinion refreshes the cached pages', async () => {
    const before = await get(t.app, `/opinions/${ids.elderly}`);
    assert.match(before.body, /尚未答复/);
    await replyToOpinion(t.ctx, staff, ids.elderly as number, { reply: '已列入明年民生实事项目，新建一个日间照料中心。' });
    assert.match((await get(t.app, `/opinions/${ids.elderly}`)).body, /已列入明年民生实事项目/);
  });

  it('links to the public list from the navigation and to sending from the home page', async () => {
    const home = await get(t.app, '/');
    assert.match(home.body, /<a href="\/opinions"[^>]*>群众意见<\/a>/);
    assert.match(home.body, /href="\/opinions\/new"/);
  });
});
