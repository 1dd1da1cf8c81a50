import { normalise, tokenize } from '../../../platform/search/tokenize.js';

// What the router and the hotspot finder read of an opinion: tokens of the title and of the
// text, kept apart so title words can count more.
// - The router reads the platform's search tokens (`opinionTokens`: CJK bigrams, ICU words
//   of three or more characters, other-script words). ICU segmentation is the slow part
//   (~0.7 µs a character), which one opinion at intake does not notice.
// - The hotspot finder reads the clustering tokens (`scanClusterTokens`, `clusterTokens`): the
//   same bigrams and other-script words without the ICU words, in one pass over the text.
//   vectors.ts `encodeTexts` turns them straight into token ids, with no string per bigram:
//   ~0.2 s of CPU for 40,000 opinions, against ~4 s for the search tokens. On the 40,000-opinion
//   demo window the groups are as good (purity 0.991 / ARI 0.948 against 0.990 / 0.949 with
//   the ICU words): a three-character word's bigrams already say what it says. The ICU words
//   that read well in a group's label (水龙头) come back in hotspot-describe.ts, read from the
//   few members shown.

export interface OpinionTokens {
  title: readonly string[];
  text: readonly string[];
}

export function opinionTokens(title: string, text: string): OpinionTokens {
  return { title: tokenize(title), text: tokenize(text) };
}

/** The clustering tokens (see above) as strings, title and text apart. */
export function clusterTokens(title: string, text: string): OpinionTokens {
  return { title: clusterTokenList(title), text: clusterTokenList(text) };
}

// Character classes as the search tokenizer's RUNS sees them: a CJK letter or number (Han,
// kana, ー), a letter, mark or digit of another script, or a separator.
const CJK_SCRIPTS = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\u30fc';
const IS_CJK = new RegExp(`^(?=[\\p{L}\\p{N}])[${CJK_SCRIPTS}]$`, 'u');
const IS_WORD = new RegExp(`^(?![${CJK_SCRIPTS}])[\\p{L}\\p{M}\\p{N}]$`, 'u');
const SEP = 0; const CJK = 1; const WORD = 2;
/** Class per code point outside the fast paths (punctuation, kana, rare scripts): few distinct ones. */
const classes = new Map<number, number>();
const MAX_CLASSES = 65_536;

function classOf(cp: number): number {
  // (Normalised text holds no A–Z; they are words all the same.)
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) ? WORD : SEP;
  if (cp >= 0x4e00 && cp <= 0x9fff) return CJK; // CJK Unified Ideographs: all Han letters
  let c = classes.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = IS_CJK.test(ch) ? CJK : IS_WORD.test(ch) ? WORD : SEP;
    if (classes.size < MAX_CLASSES) classes.set(cp, c);
  }
  return c;
}

/** Longer other-script "words" are noise (hashes, base64), as in the search tokenizer. */
const MAX_WORD = 40;

/** Receives the clustering tokens of a text, in order. */
export interface TokenSink {
  /** A bigram of two BMP characters (code units `a`, `b`): no string is made for it. */
  pair(a: number, b: number): void;
  /** Any other token: `s.slice(from, to)` (an other-script word, or a bigram with an astral character). */
  piece(s: string, from: number, to: number): void;
}

/**
 * The feature tokens of `tokenize(text)` that are not ICU words, in order, repeats kept:
 * each CJK run's overlapping bigrams (of code points) and other-script words of 2–40 code
 * units. One-character tokens are left out (no feature: `isFeature`).
 */
export function scanClusterTokens(raw: string, sink: TokenSink): void {
  const s = normalise(raw);
  const n = s.length;
  let prevCjk = -1; // where the previous character of the current CJK run starts
  let wordStart = -1; // where the current other-script word starts
  for (let i = 0; i < n;) {
    const cu = s.charCodeAt(i);
    const cp = cu >= 0xd800 && cu <= 0xdbff ? s.codePointAt(i)! : cu;
    const w = cp > 0xffff ? 2 : 1;
    const c = classOf(cp);
    if (c !== WORD && wordStart >= 0) {
      if (i - wordStart >= 2 && i - wordStart <= MAX_WORD) sink.piece(s, wordStart, i);
      wordStart = -1;
    }
    if (c === CJK) {
      if (prevCjk >= 0) {
        if (w === 1 && i === prevCjk + 1) sink.pair(s.charCodeAt(prevCjk), cu);
        else sink.piece(s, prevCjk, i + w);
      }
      prevCjk = i;
    } else {
      prevCjk = -1;
      if (c === WORD && wordStart < 0) wordStart = i;
    }
    i += w;
  }
  if (wordStart >= 0 && n - wordStart >= 2 && n - wordStart <= MAX_WORD) sink.piece(s, wordStart, n);
}

function clusterTokenList(raw: string): string[] {
  const out: string[] = [];
  scanClusterTokens(raw, {
    pair: (a, b) => { out.push(String.fromCharCode(a, b)); },
    piece: (s, from, to) => { out.push(s.slice(from, to)); },
  });
  return out;
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
