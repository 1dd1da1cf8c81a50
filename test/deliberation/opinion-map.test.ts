/** The opinion map SVG and its text alternative. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeOpinionGroups, createPrng, describeOpinionMap, opinionMapText, renderOpinionMapSvg, type DeliberationResult } from '../../src/modules/deliberation/engine/index.js';

/** n participants in four latent camps voting on m statements. */
function synthetic(n: number, m: number, seed: number): DeliberationResult {
  const rand = createPrng(seed);
  const load = Array.from({ length: m }, () => [rand() * 2 - 1, rand() * 2 - 1] as const);
  const P: number[] = [];
  const S: number[] = [];
  const V: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = (Math.PI / 2) * (i % 4);
    for (let s = 0; s < m; s++) {
      if (rand() > 0.3) continue;
      const pa = 1 / (1 + Math.exp(-3 * (load[s]![0] * Math.cos(a) + load[s]![1] * Math.sin(a))));
      P.push(i);
      S.push(s);
      V.push(rand() < 0.1 ? 0 : rand() < pa ? 1 : -1);
    }
  }
  return computeOpinionGroups({ votes: { participantIds: Int32Array.from(P), statementIds: Int32Array.from(S), values: Int8Array.from(V) } });
}

describe('opinion map', () => {
  const result = synthetic(6000, 60, 11);

  it('is an accessible, script-free SVG with a title, a description and one label per group', () => {
    const svg = renderOpinionMapSvg(result, { locale: 'en' });
    assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-label="Opinion map"[^>]*aria-labelledby="xs-om-t xs-om-d"/);
    assert.match(svg, /<title id="xs-om-t">Opinion map<\/title>/);
    assert.match(svg, /<desc id="xs-om-d">6000 participants voted; \d+ voted enough to be placed in 4 opinion groups: Group A/);
    assert.doesNotMatch(svg, /<script|on\w+=/i);
    for (const letter of ['A', 'B', 'C', 'D']) assert.match(svg, new RegExp(`>Group ${letter} · \\d+<`));
    // Each group has its own hatch pattern and mark shape path.
    assert.equal((svg.match(/<pattern /g) ?? []).length, 4);
    assert.ok(svg.endsWith('</svg>'));
    const zh = renderOpinionMapSvg(result, { idPrefix: 'm2' });
    assert.match(zh, /<title id="m2-t">观点分布图<\/title>/);
    assert.match(zh, /A 群/);
  });

  it('stays small however many participants there are (bucketed marks)', () => {
    const big = synthetic(33000, 40, 3);
    const svg = renderOpinionMapSvg(big, { includeUnplaced: true });
    assert.ok(Buffer.byteLength(svg) < 30_000, `${Buffer.byteLength(svg)} bytes`);
    const marks = (svg.match(/[Mm]-?[\d.]+ -?[\d.]+[ahlv]/g) ?? []).length;
    assert.ok(marks <= 600 + 20, `${marks} marks`);
  });

  it('escapes statement texts and caller phrases', () => {
    const text = (id: number) => `<b>"${id}" & co</b>`;
    const summary = describeOpinionMap(result, { locale: 'en', statementText: text });
    assert.equal(summary.groups.length, 4);
    assert.ok(summary.groups.every((g) => g.statements.length > 0));
    assert.equal(summary.groups.reduce((a, g) => a + g.size, 0), summary.placed);
    const plain = opinionMapText(summary, { locale: 'en' });
    assert.match(plain, /Group A: \d+ \(\d+%\)/);
    assert.match(plain, /<b>"\d+" & co<\/b> — \d+% of the group (agreed|disagreed)/);
    const svg = renderOpinionMapSvg(result, { locale: 'en', text: { title: 'A <map> & "more"' } });
    assert.match(svg, /<title id="xs-om-t">A &lt;map&gt; &amp; &quot;more&quot;<\/title>/);
    assert.doesNotMatch(svg, /<map>/);
  });

  it('renders a result without groups', () => {
    const empty = computeOpinionGroups({ votes: [] });
    const svg = renderOpinionMapSvg(empty, { locale: 'en' });
    assert.match(svg, /Not enough participants/);
    assert.match(opinionMapText(describeOpinionMap(empty, { locale: 'en' }), { locale: 'en' }), /0 participants voted/);
  });
});
