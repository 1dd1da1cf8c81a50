import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Rng } from '../../demo/prng.js';
import { clusterTokens } from './features.js';
import { buildVectors, encodeTexts, encodeTokenLists } from './vectors.js';

describe('token encoding', () => {
  it('gives the same ids from the texts as from their clustering tokens, through table growth', () => {
    // 400 characters in random order: tens of thousands of distinct bigrams, so the pair table grows.
    const rng = new Rng(9);
    const char = () => String.fromCharCode(0x4e00 + Math.floor(rng.next() * 400));
    const docs = Array.from({ length: 3000 }, (_, i) => ({
      title: Array.from({ length: 8 }, char).join(''),
      text: `${Array.from({ length: 30 }, char).join('')}，wifi ${i} 号𠀀${char()}。`,
    }));
    const a = encodeTexts(docs);
    const b = encodeTokenLists(docs.map((d) => clusterTokens(d.title, d.text)));
    assert.ok(a.terms.length > 40_000, `${a.terms.length} terms`);
    assert.deepEqual(a.terms, b.terms);
    assert.deepEqual(a.ids, b.ids);
    assert.deepEqual(a.start, b.start);
    assert.deepEqual(a.titleEnd, b.titleEnd);
  });

  it('agrees with the token lists on any text', () => {
    const alphabet = fc.constantFrom(...'停车位小区 ,，。ab1２Ａé\u0301ー𠀀ｶ⺀Ⅻ㍿'.split(''), '𠀁');
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.array(alphabet, { maxLength: 30 }).map((x) => x.join('')));
    fc.assert(fc.property(fc.array(fc.record({ title: text, text }), { maxLength: 6 }), (docs) => {
      const a = encodeTexts(docs);
      const b = encodeTokenLists(docs.map((d) => clusterTokens(d.title, d.text)));
      assert.deepEqual([a.terms, [...a.ids], [...a.start], [...a.titleEnd]], [b.terms, [...b.ids], [...b.start], [...b.titleEnd]]);
    }), { numRuns: 300 });
  });

  it('weighs title tokens more and drops tokens found once', () => {
    const docs = [{ title: '停车', text: '小区停车' }, { title: '', text: '小区停车难' }, { title: '', text: '学校门口' }];
    const vec = buildVectors(encodeTexts(docs), 2, () => true);
    const w = (d: number, tok: string) => {
      const t = vec.terms.indexOf(tok);
      for (let k = vec.start[d]!; k < vec.start[d + 1]!; k++) if (vec.term[k] === t) return vec.weight[k]!;
      return 0;
    };
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);
    // Same IDF for 停车, 小区 and 区停 (two documents of three); 停车 counts twice in the title.
    close(w(0, '停车'), 2 / Math.sqrt(6));
    close(w(0, '小区'), 1 / Math.sqrt(6));
    close(w(1, '停车'), 1 / Math.sqrt(3));
    assert.equal(w(1, '车难'), 0, 'found once: no weight');
    assert.equal(vec.start[3]! - vec.start[2]!, 0, 'nothing shared: an empty vector');
  });
});
