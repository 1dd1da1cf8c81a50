import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { demoOpinions, type DemoOpinion } from './demo-corpus.js';
import { evaluateRouter, trainAndTest, type LabelledExample } from './evaluate.js';
import { OpinionRouter } from './router.js';

const asExample = (o: DemoOpinion): LabelledExample => ({
  title: o.title, text: o.text, category: o.category, region: o.regionName ?? null, label: o.label, ambiguous: o.ambiguous,
});

function trained(n: number, seed = 21): OpinionRouter {
  const r = new OpinionRouter();
  for (const o of demoOpinions(n, seed)) r.learn(asExample(o), o.label);
  return r;
}

describe('opinion router', () => {
  it('routes held-out demo opinions well above chance', () => {
    const ev = evaluateRouter(demoOpinions(5000, 42).map(asExample), { testFraction: 0.2, seed: 1 });
    assert.equal(ev.test, 1000);
    assert.ok(ev.accuracy > 0.85, `accuracy ${ev.accuracy}`);
    assert.ok(ev.clearAccuracy !== null && ev.clearAccuracy > 0.95, `clear accuracy ${ev.clearAccuracy}`);
    const total = ev.confusion.matrix.flat().reduce((a, b) => a + b, 0);
    assert.equal(total, ev.test);
    for (const p of ev.perLabel) assert.ok(p.support === 0 || p.recall > 0.5, `${p.label} recall ${p.recall}`);
  });

  it('generalises to wording it never saw (held-out sentence templates)', () => {
    const train = demoOpinions(4000, 43, 'seen').map(asExample);
    const test = demoOpinions(1000, 44, 'unseen').map(asExample);
    const ev = trainAndTest(train, test);
    assert.ok(ev.accuracy > 0.75, `unseen-template accuracy ${ev.accuracy}`);
  });

  it('explains a suggestion with the words that decided it', () => {
    const r = trained(3000);
    const s = r.suggest({ title: '小区停车太难了', text: '每天晚上回家找不到车位，车辆乱停乱放把消防通道都堵了，建议建一个立体停车场。' })!;
    assert.equal(s.label, 'urban');
    assert.ok(s.reasonTerms.some((t) => /停车|车位/u.test(t)), s.reason);
    assert.match(s.reason, /^因为提到：/u);
    assert.ok(s.confidence > 0.5 && s.confidence <= 1);
    assert.equal(s.ranking[0]!.label, s.label);
    assert.ok(Math.abs(s.ranking.reduce((a, x) => a + x.confidence, 0) - 1) < 1e-9);
  });

  it('learns from a staff correction: later similar opinions follow it', () => {
    const r = trained(3000);
    const later = { title: '共享单车乱放', text: '路边的共享单车越来越多，东倒西歪，建议规范共享单车停放。' };
    const before = r.suggest(later)!;
    const target = before.label === 'township' ? 'social' : 'township';
    r.correct({ title: '共享单车堵住单元门', text: '小区里共享单车乱停乱放，堵住了单元门口，希望管一管共享单车。' }, target);
    const after = r.suggest(later)!;
    assert.notEqual(before.label, target);
    assert.equal(after.label, target);
    assert.ok(after.reasonTerms.some((t) => /共享|单车/u.test(t)), after.reason);
  });

  it('round-trips through JSON with identical suggestions, and keeps learning', () => {
    const r = trained(800);
    const json = JSON.stringify(r.toJSON());
    const copy = OpinionRouter.fromJSON(json);
    assert.equal(JSON.stringify(copy.toJSON()), json);
    for (const o of demoOpinions(50, 99)) assert.deepEqual(copy.suggest(o), r.suggest(o));
    const extra = demoOpinions(20, 100);
    for (const o of extra) { r.learn(o, o.label); copy.learn(o, o.label); }
    assert.equal(JSON.stringify(copy.toJSON()), JSON.stringify(r.toJSON()));
  });

  it('is deterministic: the same examples give the same model', () => {
    assert.equal(JSON.stringify(trained(500).toJSON()), JSON.stringify(trained(500).toJSON()));
  });

  it('answers null before learning and refuses bad weights and bad models', () => {
    const r = new OpinionRouter();
    assert.equal(r.suggest({ title: '停车', text: '停车难' }), null);
    assert.throws(() => r.learn({ title: 'a', text: 'b' }, 'x', 0), RangeError);
    assert.throws(() => r.learn({ title: 'a', text: 'b' }, 'x', Number.NaN), RangeError);
    assert.throws(() => OpinionRouter.fromJSON('{}'), /format/u);
    const good = trained(50).toJSON();
    assert.throws(() => OpinionRouter.fromJSON({ ...good, docs: good.docs.slice(1) }), /malformed/u);
    assert.throws(() => OpinionRouter.fromJSON({ ...good, terms: [['停车', 1, 99, 1]] }), /label index/u);
    assert.throws(() => OpinionRouter.fromJSON({ ...good, examples: -1 }), /number/u);
  });

  it('gives a valid distribution for any text and any labels (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(fc.property(
      fc.array(fc.record({ title: text, text, label: fc.constantFrom('a', 'b', 'c', '12') }), { minLength: 1, maxLength: 15 }),
      text,
      (examples, query) => {
        const r = new OpinionRouter();
        for (const e of examples) r.learn(e, e.label);
        const s = r.suggest({ title: query, text: query })!;
        assert.ok(r.labels.includes(s.label));
        assert.ok(s.confidence > 0 && s.confidence <= 1);
        assert.equal(s.ranking.length, r.labels.length);
        assert.deepEqual(OpinionRouter.fromJSON(JSON.stringify(r.toJSON())).suggest({ title: query, text: query }), s);
      },
    ), { numRuns: 60 });
  });
});
