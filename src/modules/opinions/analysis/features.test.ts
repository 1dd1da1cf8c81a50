import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { documentTokens } from '../../../platform/search/index.js';
import { clusteringScores } from './evaluate.js';
import { tokenize } from '../../../platform/search/tokenize.js';
import { clusterTokens, isFeature, opinionTokens, pickDisplayTerms, readableWords, tokensFromIndex } from './features.js';

describe('opinion features', () => {
  it('drops one-character tokens and short numbers, keeps words', () => {
    assert.deepEqual(['停车', '位', '12', '123', '12345', 'wifi', '停车位', '𠀀', '𠀀𠀁'].filter(isFeature), ['停车', '12345', 'wifi', '停车位', '𠀀𠀁']);
  });

  it('reads the search index column back as the same token sets', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 60 }), (title, text) => {
      const fromIndex = tokensFromIndex(documentTokens(title, text));
      const direct = opinionTokens(title, text);
      assert.deepEqual(new Set(fromIndex.title), new Set(direct.title));
      assert.deepEqual(new Set(fromIndex.text), new Set([...direct.title, ...direct.text]));
    }), { numRuns: 100 });
  });

  it('clustering tokens are the search tokens\' features without the ICU words', () => {
    const cjkWord = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc]+$/u;
    const expected = (s: string) => new Set(tokenize(s).filter(isFeature).filter((t) => !(cjkWord.test(t) && Array.from(t).length >= 3)));
    const same = (s: string) => {
      const got = clusterTokens(s, '').title;
      assert.deepEqual(new Set(got.filter(isFeature)), expected(s), s);
      assert.ok(got.every((t) => t.length >= 2), 'no one-character tokens');
    };
    for (const s of ['小区停车难，停车位太少', 'ＷｉＦｉ信号差 5G 基站 12345', '𠀀𠀁𠀂 ﾃｽﾄ カタカナー é́x Ⅻ ⺀中文', `a${'b'.repeat(45)} c${'d'.repeat(38)}`, '']) same(s);
    const alphabet = fc.constantFrom(...'停车位小区 ,，。!ab1２Ａé\u0301ー𠀀ｶ⺀ⅫΣσ'.split(''), '𠀁');
    fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')), (s, t) => { same(s); same(t); }), { numRuns: 300 });
    const both = clusterTokens('停车难', '车位少');
    assert.deepEqual(both, { title: ['停车', '车难'], text: ['车位', '位少'] });
  });

  it('shows readable words, not bigrams across words, and no overlapping pair', () => {
    const readable = readableWords('小区停车难，停车位太少');
    assert.ok(readable.has('停车') && !readable.has('区停'));
    assert.deepEqual(pickDisplayTerms(['区停', '停车', '停车位', '小区'], readable, 3), ['停车', '小区']);
    assert.deepEqual(pickDisplayTerms(['区停', '车难'], new Set(), 2), ['区停', '车难'], 'falls back to raw terms');
  });
});

describe('clustering scores', () => {
  const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
  it('is perfect for the true partition, whatever the cluster numbers', () => {
    const s = clusteringScores([7, 7, 7, 2, 2, 5], truth);
    assert.equal(s.purity, 1);
    assert.equal(s.ari, 1);
    assert.equal(s.completeness, 1);
    assert.equal(s.mixedClusters, 0);
  });
  it('is about zero for one cluster of everything, and counts the merge', () => {
    const s = clusteringScores([0, 0, 0, 0, 0, 0], truth);
    assert.equal(s.ari, 0);
    assert.equal(s.purity, 0.5);
    assert.equal(s.mixedClusters, 1);
  });
  it('counts unclustered items as singletons', () => {
    const s = clusteringScores([1, 1, -1, 2, 2, -1], truth);
    assert.equal(s.coverage, 4 / 6);
    assert.equal(s.purity, 1);
    assert.ok(s.ari > 0 && s.ari < 1);
  });
});
