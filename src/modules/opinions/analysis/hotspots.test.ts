import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { shuffle, clusteringScores } from './evaluate.js';
import { demoOpinions, type DemoOpinion } from './demo-corpus.js';
import { clusterTokens, opinionTokens } from './features.js';
import { withLongWords } from './hotspot-describe.js';
import { findHotspots, type HotspotOpinion } from './hotspots.js';
import { summariseRegions } from './region-summary.js';

const N = 6000;
let demo: DemoOpinion[];
let input: HotspotOpinion[];

before(() => {
  demo = demoOpinions(N, 5);
  // One opinion every four minutes; region ids are the demo region names.
  input = demo.map((o, i) => ({
    id: i + 1, title: o.title, text: o.text, regionId: o.regionName ?? null,
    createdAt: new Date(Date.UTC(2025, 2, 1) + i * 240_000).toISOString(), tokens: clusterTokens(o.title, o.text),
  }));
});

describe('hotspots', () => {
  it('groups opinions of one topic family together and keeps families apart', () => {
    const r = findHotspots(input);
    const scores = clusteringScores(Array.from(r.assignment), demo.map((o) => o.topicKey));
    assert.ok(scores.purity > 0.93, `purity ${scores.purity}`);
    assert.ok(scores.ari > 0.75, `ARI ${scores.ari}`);
    assert.ok(scores.completeness > 0.75, `completeness ${scores.completeness}`);
    // Every sizeable family mostly lands in one group …
    const families = new Map<string, number[]>();
    demo.forEach((o, i) => { if (!families.has(o.topicKey)) families.set(o.topicKey, []); families.get(o.topicKey)!.push(i); });
    for (const [key, members] of families) {
      if (members.length < 60) continue;
      const counts = new Map<number, number>();
      for (const i of members) counts.set(r.assignment[i]!, (counts.get(r.assignment[i]!) ?? 0) + 1);
      const top = Math.max(...[...counts.entries()].filter(([g]) => g >= 0).map(([, c]) => c));
      assert.ok(top / members.length > 0.5, `${key}: ${top}/${members.length} in its largest group`);
    }
    // … and no large group is two families merged.
    for (const g of r.groups.filter((x) => x.size >= N / 100)) {
      const topics = new Map<string, number>();
      for (const id of g.memberIds) topics.set(demo[Number(id) - 1]!.topicKey, (topics.get(demo[Number(id) - 1]!.topicKey) ?? 0) + 1);
      const sorted = [...topics.values()].sort((a, b) => b - a);
      assert.ok((sorted[1] ?? 0) < 0.1 * g.size, `group ${g.labelTerms.join('/')} mixes families: ${sorted.slice(0, 3)}`);
    }
  });

  it('describes each group consistently', () => {
    const r = findHotspots(input, { minSize: 5 });
    const seen = new Set<number | string>();
    const byId = new Map(input.map((o) => [o.id, o]));
    for (const [i, g] of r.groups.entries()) {
      assert.ok(g.size >= 5 && g.size === g.memberIds.length);
      if (i > 0) assert.ok(r.groups[i - 1]!.size >= g.size, 'sorted by size');
      assert.equal(g.regions.reduce((a, x) => a + x.count, 0), g.size);
      const times = g.memberIds.map((id) => byId.get(id)!.createdAt).sort();
      assert.equal(g.firstAt, times[0]);
      assert.equal(g.lastAt, times.at(-1));
      assert.ok(g.representativeIds.length >= 1 && g.representativeIds.every((id) => g.memberIds.includes(id)));
      assert.ok(g.labelTerms.length >= 1);
      for (const id of g.memberIds) { assert.ok(!seen.has(id), 'a member of two groups'); seen.add(id); }
    }
    assert.equal(r.unclustered, N - seen.size);
    assert.equal(new Set(r.groups.map((g) => g.key)).size, r.groups.length, 'keys are unique');
    const parking = r.groups.find((g) => g.labelTerms.some((t) => t.includes('停车') || t.includes('车位')));
    assert.ok(parking, 'a parking hotspot labelled with 停车/车位');
  });

  it('does not depend on input order and is the same with or without precomputed tokens', () => {
    const a = findHotspots(input.slice(0, 1500));
    const shuffled = shuffle(1500, 3).map((i) => input[i]!);
    const b = findHotspots(shuffled);
    const c = findHotspots(input.slice(0, 1500).map(({ tokens: _t, ...o }) => o));
    const norm = (r: ReturnType<typeof findHotspots>) => r.groups.map((g) => ({ ...g, memberIds: [...g.memberIds].sort() }));
    assert.deepEqual(norm(b), norm(a));
    assert.deepEqual(norm(c), norm(a));
  });

  it('groups as well from the search tokens (with ICU words) as from the clustering tokens', () => {
    const ops = input.slice(0, 3000);
    const truth = demo.slice(0, 3000).map((o) => o.topicKey);
    const cheap = clusteringScores(Array.from(findHotspots(ops).assignment), truth);
    const icu = clusteringScores(Array.from(findHotspots(ops.map((o) => ({ ...o, tokens: opinionTokens(o.title, o.text) }))).assignment), truth);
    assert.ok(Math.abs(cheap.purity - icu.purity) < 0.02, `purity ${cheap.purity} vs ${icu.purity}`);
    assert.ok(Math.abs(cheap.ari - icu.ari) < 0.05, `ARI ${cheap.ari} vs ${icu.ari}`);
  });

  it('labels a group with readable words of three characters its bigrams stand for', () => {
    const readable = new Set(['水龙头', '自来水', '饮水', '停车位', '停车']);
    // 水龙头 scores as min(水龙, 龙头) = 5, 停车位 as 车位 = 4 (longer words first on a tie);
    // 自来水 is left out: 来水 is not among the ranked terms.
    assert.deepEqual(
      withLongWords(['饮水', '停车', '水龙', '龙头', '车位', '自来'], [9, 8, 7, 5, 4, 3], readable),
      ['饮水', '停车', '水龙', '水龙头', '龙头', '停车位', '车位', '自来'],
    );
    assert.deepEqual(withLongWords(['饮水'], [1], new Set(['饮水'])), ['饮水']);
    const water = findHotspots(input).groups.find((g) => g.labelTerms.includes('饮水'));
    assert.ok(water?.labelTerms.some((t) => t.length >= 3), `three-character words in ${water?.labelTerms.join('/')}`);
  });

  it('keeps the keys of lasting hotspots when the window moves', () => {
    const early = findHotspots(input.slice(0, 4000));
    const keptOf = (later: ReturnType<typeof findHotspots>) => {
      const keys = new Set(later.groups.map((g) => g.key));
      return early.groups.slice(0, 20).filter((g) => keys.has(g.key)).length;
    };
    // From the leading words alone, most keys survive; given the previous groups, all do.
    assert.ok(keptOf(findHotspots(input.slice(1000, 5000))) >= 12);
    const continued = findHotspots(input.slice(1000, 5000), {}, early.groups);
    assert.equal(keptOf(continued), 20);
    assert.equal(new Set(continued.groups.map((g) => g.key)).size, continued.groups.length, 'keys stay unique');
    // A group inherits the key of the earlier group its members came from.
    for (const g of continued.groups.slice(0, 20)) {
      const from = early.groups.find((e) => e.key === g.key);
      if (!from) continue;
      const shared = g.memberIds.filter((id) => from.memberIds.includes(id)).length;
      assert.ok(shared >= 2, `${g.key} inherited with ${shared} shared members`);
    }
  });

  it('handles empty input, empty texts and identical opinions', () => {
    assert.deepEqual(findHotspots([]).groups, []);
    const same = Array.from({ length: 5 }, (_, i) => ({
      id: `o${i}`, title: '夜市噪音扰民', text: '烧烤摊每天营业到凌晨，吵得睡不着。', regionId: i % 2, createdAt: `2025-01-0${i + 1}T00:00:00Z`,
    }));
    const blank = { id: 'blank', title: '', text: '', regionId: null, createdAt: '2025-01-01T00:00:00Z' };
    const r = findHotspots([...same, blank]);
    assert.equal(r.groups.length, 1);
    assert.deepEqual([...r.groups[0]!.memberIds].sort(), ['o0', 'o1', 'o2', 'o3', 'o4']);
    assert.deepEqual(r.groups[0]!.regions, [{ regionId: 0, count: 3 }, { regionId: 1, count: 2 }]);
    assert.equal(r.unclustered, 1);
    assert.equal(findHotspots(same, { minSize: 6 }).groups.length, 0);
  });
});

describe('region summary', () => {
  it('counts opinions per region and per hotspot, and rolls regions up', () => {
    const ops = input.slice(0, 2000);
    const { groups } = findHotspots(ops);
    const rows = summariseRegions(ops, groups);
    assert.equal(rows.reduce((a, r) => a + r.total, 0), ops.length);
    for (const r of rows) assert.equal(r.groups.reduce((a, g) => a + g.count, 0) + r.ungrouped, r.total);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.total >= rows[i]!.total);
    const grouped = rows.reduce((a, r) => a + r.total - r.ungrouped, 0);
    assert.equal(grouped, groups.reduce((a, g) => a + g.size, 0));
    // Roll villages up to their township (the name up to 街道/镇/乡).
    const township = (id: string | number) => String(id).replace(/^(.+?(?:街道|镇|乡)).*$/u, '$1');
    const up = summariseRegions(ops, groups, { rollUp: township });
    assert.ok(up.length <= 9, `${up.length} townships (+ none)`);
    assert.equal(up.reduce((a, r) => a + r.total, 0), ops.length);
    assert.equal(up.find((r) => r.regionId === null)?.total, ops.filter((o) => o.regionId === null).length);
  });
});
