// Index tokens for Chinese (and mixed) text. A document is indexed with:
// - every overlapping bigram of each run of CJK characters, so a two-character query such
//   as 养老 or 停车 always matches, however a segmenter would have split the sentence;
// - the last character of each CJK run, so that every character of the text begins some
//   token and a one-character query can be answered with a prefix match;
// - words of three or more CJK characters found by ICU's dictionary segmenter
//   (Intl.Segmenter), used to rank whole-word matches above accidental bigram matches;
// - lower-cased words and numbers of other scripts.
// Tokens hold only letters, marks and digits, so neither FTS5 nor PostgreSQL's parser can
// read them as syntax, and the same token text means the same thing on both engines.

const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\u30fc';
/** A CJK letter or number (not the Han radicals and symbols, which are punctuation here). */
const CJK_CHAR = `(?=[\\p{L}\\p{N}])[${CJK}]`;
const RUNS = new RegExp(`((?:${CJK_CHAR})+)|((?:(?![${CJK}])[\\p{L}\\p{M}\\p{N}])+)`, 'gu');
const CJK_ONLY = new RegExp(`^(?:${CJK_CHAR})+$`, 'u');
/** Longer Latin "words" are noise (hashes, base64) and PostgreSQL refuses lexemes over 2 KB. */
const MAX_WORD = 40;
const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });

/** Well-formed, NFKC-normalised (full-width Ａ１ → a1), lower-cased text. */
export function normalise(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD').normalize('NFKC').toLowerCase();
}

function chars(run: string): string[] {
  return Array.from(run);
}

function bigrams(run: string): string[] {
  const cs = chars(run);
  const out: string[] = [];
  for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i]! + cs[i + 1]!);
  return out;
}

/** Distinct index tokens of `text`, in order of first appearance. */
export function tokenize(text: string): string[] {
  const norm = normalise(text);
  const out = new Set<string>();
  for (const m of norm.matchAll(RUNS)) {
    if (m[1]) {
      for (const b of bigrams(m[1])) out.add(b);
      out.add(chars(m[1]).at(-1)!);
    } else if (m[2] && m[2].length <= MAX_WORD) {
      out.add(m[2]);
    }
  }
  for (const w of segmentWords(norm)) out.add(w);
  return [...out];
}

/** Dictionary words of three or more CJK characters (shorter ones are bigrams already). */
function segmentWords(norm: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(norm)) {
    if (s.isWordLike && CJK_ONLY.test(s.segment) && chars(s.segment).length >= 3) out.push(s.segment);
  }
  return out;
}

export interface QueryTerm {
  text: string;
  /** Match every token that starts with `text` (one-character CJK queries). */
  prefix: boolean;
}

/**
 * What a query means: every `required` term must be in the document; each `boosts` word
 * only raises the rank of documents that hold it as a whole dictionary word.
 */
export interface SearchQuery {
  required: QueryTerm[];
  boosts: string[];
}

const MAX_TERMS = 48;

/**
 * Query terms are context-free: the CJK part of a query becomes its bigrams (a document
 * that contains the query's text contains all of them), never the segmenter's words,
 * which depend on the surrounding sentence and would miss documents split differently.
 */
export function parseQuery(q: string): SearchQuery {
  const norm = normalise(q);
  const required = new Map<string, QueryTerm>();
  for (const m of norm.matchAll(RUNS)) {
    if (m[1]) {
      const cs = chars(m[1]);
      if (cs.length === 1) required.set(`${cs[0]}*`, { text: cs[0]!, prefix: true });
      for (const b of bigrams(m[1])) required.set(b, { text: b, prefix: false });
    } else if (m[2] && m[2].length <= MAX_WORD) {
      required.set(m[2], { text: m[2], prefix: false });
    }
  }
  const terms = [...required.values()].slice(0, MAX_TERMS);
  const boosts = terms.length ? segmentWords(norm).slice(0, 8) : [];
  return { required: terms, boosts: [...new Set(boosts)] };
}

function ftsString(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** An FTS5 MATCH expression, or '' when nothing can match. */
export function toFtsQuery(q: SearchQuery): string {
  if (!q.required.length) return '';
  const req = q.required.map((t) => (t.prefix ? `${ftsString(t.text)} *` : ftsString(t.text)));
  // (word OR first-required) is always true for a matching row, so it changes only the rank.
  const anchor = req[0]!;
  const boosts = q.boosts.map((w) => `(${ftsString(w)} OR ${anchor})`);
  return [...req, ...boosts].join(' AND ');
}

function tsLexeme(s: string): string {
  return `'${s.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
}

/**
 * A to_tsquery('simple', …) expression, or '' when nothing can match. Matching uses 'and';
 * ranking uses 'or', because ts_rank scores an AND query by how close its terms stand,
 * which would let two body words side by side outrank a title match.
 */
export function toTsQuery(q: SearchQuery, mode: 'and' | 'or' = 'and'): string {
  if (!q.required.length) return '';
  const req = q.required.map((t) => (t.prefix ? `${tsLexeme(t.text)}:*` : tsLexeme(t.text)));
  if (mode === 'or') return [...req, ...q.boosts.map(tsLexeme)].join(' | ');
  const anchor = req[0]!;
  const boosts = q.boosts.map((w) => `(${tsLexeme(w)} | ${anchor})`);
  return [...req, ...boosts].join(' & ');
}
