import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestContext } from '../../../test/helpers/app.js';
import type { AppContext } from '../../context.js';
import { indexDocument, searchDocuments } from './index.js';
import { parseQuery, toFtsQuery, toTsQuery, tokenize } from './tokenize.js';

const HAN = Array.from('养老停车社区服务政协委员协商民生教育医疗交通环境农村振兴产业发展建议提案调研报告会议居民群众意见问题的一是在不了有和人');
const han = fc.constantFrom(...HAN);
const hanWord = fc.tuple(han, han).map(([a, b]) => a + b);
// Text that mixes Chinese, Latin, digits, punctuation, emoji and hostile syntax.
const piece = fc.oneof(
  fc.string({ unit: han, maxLength: 12 }), fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '*', ') OR (', 'NEAR', 'AND', ':', '^', "'", '\\', '😀', '\uD800', '\uDC00', 'ＡＢＣ１２', '  ', '-', '&', '|', '!'),
);
const text = fc.array(piece, { maxLength: 8 }).map((a) => a.join(''));

describe('tokenize', () => {
  it('splits Chinese into bigrams, the run end, ICU words, and lower-cased Latin words', () => {
    const tokens = tokenize('社区养老服务中心，停车场。Parking 2025年 ＡＢＣ');
    for (const t of ['社区', '区养', '养老', '老服', '服务', '务中', '中心', '心', '停车', '车场', '场', 'parking', '2025', '年', 'abc']) assert.ok(tokens.includes(t), t);
    assert.equal(new Set(tokens).size, tokens.length);
  });

  it('never throws and yields only letter and digit tokens', () => {
    fc.assert(fc.property(text, (s) => {
      for (const t of tokenize(s)) assert.match(t, /^[\p{L}\p{M}\p{N}]+$/u);
    }));
  });

  it('builds an empty query or a safe expression from any input', () => {
    fc.assert(fc.property(text, (s) => {
      const q = parseQuery(s);
      const fts = toFtsQuery(q);
      const ts = toTsQuery(q);
      assert.equal(fts === '', q.required.length === 0);
      assert.equal(ts === '', q.required.length === 0);
      for (const term of [...q.required.map((r) => r.text), ...q.boosts]) assert.match(term, /^[\p{L}\p{M}\p{N}]+$/u);
    }));
  });

  describe('against the database', () => {
    let ctx: AppContext;
    let cleanup: () => Promise<void>;
    before(async () => { ({ ctx, cleanup } = await createTestContext()); });
    after(async () => { await cleanup(); });

    it('any query runs without a database error', async () => {
      await fc.assert(fc.asyncProperty(text, async (q) => {
        await searchDocuments(ctx.database.db, ctx.database.dialect, { q, page: 1, pageSize: 5 });
      }), { numRuns: 150 });
    });

    it('a document containing a two-character word is found by that word', async () => {
      let id = 0;
      await fc.assert(fc.asyncProperty(fc.string({ unit: han, maxLength: 30 }), hanWord, fc.string({ unit: han, maxLength: 30 }), fc.boolean(),
        async (before, word, after, inTitle) => {
          id++;
          const body = `${before}${word}${after}`;
          await indexDocument(ctx.database.db, { docType: 'page', docId: id, title: inTitle ? body : '标题', text: inTitle ? '' : body, url: `/p/${id}`, publishedAt: null });
          const hits = [];
          for (let page = 1; page <= 50; page++) {
            const r = await searchDocuments(ctx.database.db, ctx.database.dialect, { q: word, page, pageSize: 20 });
            hits.push(...r.items.map((i) => i.docId));
            if (hits.includes(id) || r.items.length < 20) break;
          }
          assert.ok(hits.includes(id), `${body} by ${word}`);
          const one = await searchDocuments(ctx.database.db, ctx.database.dialect, { q: Array.from(word)[1]!, types: ['page'], page: 1, pageSize: 1000 });
          assert.ok(one.total > 0);
        }), { numRuns: 60 });
    });
  });
});
