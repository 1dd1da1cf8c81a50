import { tokenize } from '../../../platform/search/tokenize.js';

// What the router and the hotspot finder read of an opinion: the platform's search tokens
// (CJK bigrams, ICU words of three or more characters, other-script words) of the title and
// of the text, kept apart so title words can count more. Tokenizing is the slow part
// (ICU segmentation, ~0.7 µs a character), so callers that analyse the same opinions
// repeatedly can compute these once, at intake, and pass them in.

export interface OpinionTokens {
  title: readonly string[];
  text: readonly string[];
}

export function opinionTokens(title: string, text: string): OpinionTokens {
  return { title: tokenize(title), text: tokenize(text) };
}

/**
 * Tokens worth a feature. The tokenizer's one-character tokens (the last character of
 * each CJK run) exist for prefix search and say nothing about a topic; short numbers
 * (amounts, house numbers, "3 years") are noise too.
 */
export function isFeature(token: string): boolean {
  if (token.length < 2) return false;
  if (token.length === 2 && token.codePointAt(0)! > 0xffff) return false;
  return !/^\d{1,3}$/u.test(token);
}

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
/** Function words the segmenter calls words but that explain nothing to a reader. */
const NOT_SHOWN = new Set(('的是 一个 我们 他们 你们 这个 那个 没有 还是 已经 可以 就是 这些 那些 现在 大家 今年 一下 这样 '
  + '什么 怎么 因为 所以 但是 而且 不是 还有 另外 的话 以后 时候 这里 那里 自己 一些 都是 也是 只是 如果 希望 建议 问题').split(' '));

/**
 * The dictionary words (two or more characters) of a text: a bigram such as 停车 reads as a
 * word to a person, 区停 (from 小区停车) does not. Used only to choose terms to show.
 */
export function readableWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const s of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (s.isWordLike && s.segment.length >= 2 && !NOT_SHOWN.has(s.segment)) out.add(s.segment);
  }
  return out;
}

/**
 * Up to `n` terms from `ranked` (best first) that a person can read as words (those in
 * `readable`), skipping one that overlaps a term already chosen (停车位 and 停车). When none
 * qualifies, the first raw terms.
 */
export function pickDisplayTerms(ranked: readonly string[], readable: ReadonlySet<string>, n: number): string[] {
  const out: string[] = [];
  for (const t of ranked) {
    if (out.length >= n) break;
    if (!readable.has(t)) continue;
    if (out.some((o) => o.includes(t) || t.includes(o))) continue;
    out.push(t);
  }
  return out.length ? out : ranked.slice(0, n);
}

/**
 * The tokens of an opinion from its search index entry (`documentTokens(title, text)`, the
 * `search_docs.tokens` column: the title's tokens repeated on the first line, all tokens on
 * the second), so analysis can skip tokenizing. `text` then also holds the title's tokens,
 * which counts a title-only word once more in the router; hotspots are unaffected.
 */
export function tokensFromIndex(column: string): OpinionTokens {
  const nl = column.indexOf('\n');
  const first = nl < 0 ? '' : column.slice(0, nl);
  const rest = nl < 0 ? column : column.slice(nl + 1);
  const split = (s: string): string[] => (s ? [...new Set(s.split(' '))] : []);
  return { title: split(first), text: split(rest) };
}
