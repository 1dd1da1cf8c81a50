import { scanClusterTokens, type OpinionTokens } from './features.js';

// Sparse TF-IDF vectors of many opinions in flat typed arrays (one allocation per array, not
// per opinion): document d's terms are term[start[d] .. start[d+1]), with weights (L2 = 1).

export interface Vectors {
  count: number;
  /** Document d's terms are term[start[d] .. start[d+1]), in increasing id order. */
  start: Int32Array;
  term: Int32Array;
  weight: Float64Array;
  /** Term id → token text. */
  terms: string[];
  /** Term id → hash of its text (so hashing does not depend on ids). */
  termHash: Int32Array;
  /** Term id → number of documents holding it. */
  df: Int32Array;
}

/**
 * Documents as token ids (repeats kept), ids numbered in order of first appearance (each
 * document's title, then its text): document d's title tokens are ids[start[d] .. titleEnd[d]),
 * its text tokens ids[titleEnd[d] .. start[d+1]).
 */
export interface EncodedDocs {
  count: number;
  ids: Int32Array;
  start: Int32Array;
  titleEnd: Int32Array;
  /** Id → token text. */
  terms: string[];
}

/**
 * Token text → id. Bigrams of two BMP characters (nearly all tokens of Chinese text) are
 * looked up by their two code units in an open-addressing table of integers, so no string
 * is made for them but the first time each is seen; other tokens go through a Map.
 */
class Vocabulary {
  readonly terms: string[] = [];
  private keys = new Int32Array(1 << 14);
  private values = new Int32Array(1 << 14);
  /** 32 − log2(table size): a slot is the top bits of the key times the golden ratio. */
  private shift = 32 - 14;
  private pairs = 0;
  private readonly strings = new Map<string, number>();

  pair(a: number, b: number): number {
    const key = (a << 16) | b; // never 0: a is a CJK character
    const mask = this.keys.length - 1;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (let k = this.keys[i]!; k !== 0; k = this.keys[i]!) {
      if (k === key) return this.values[i]!;
      i = (i + 1) & mask;
    }
    const id = this.terms.length;
    this.terms.push(String.fromCharCode(a, b));
    this.keys[i] = key; this.values[i] = id;
    if (++this.pairs * 2 > this.keys.length) this.grow();
    return id;
  }

  string(token: string): number {
    let id = this.strings.get(token);
    if (id === undefined) { id = this.terms.length; this.terms.push(token); this.strings.set(token, id); }
    return id;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    this.shift--;
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      if (keys[j] === 0) continue;
      let i = Math.imul(keys[j]!, 0x9e3779b1) >>> this.shift;
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = keys[j]!; this.values[i] = values[j]!;
    }
  }
}

/** Tokenizes (features.ts `clusterTokens`) and encodes in one pass, making no string per token. */
export function encodeTexts(docs: readonly { title: string; text: string }[]): EncodedDocs {
  let chars = 0; // every token takes at least one character of its own: an upper bound
  for (const d of docs) chars += d.title.length + d.text.length;
  const vocab = new Vocabulary();
  let ids = new Int32Array(chars + 16);
  let used = 0;
  const put = (id: number): void => {
    if (used === ids.length) { const grown = new Int32Array(ids.length * 2); grown.set(ids); ids = grown; } // NFKC can lengthen
    ids[used++] = id;
  };
  const sink = {
    pair: (a: number, b: number): void => put(vocab.pair(a, b)),
    piece: (s: string, from: number, to: number): void => put(vocab.string(s.slice(from, to))),
  };
  const start = new Int32Array(docs.length + 1);
  const titleEnd = new Int32Array(docs.length);
  for (let d = 0; d < docs.length; d++) {
    scanClusterTokens(docs[d]!.title, sink);
    titleEnd[d] = used;
    scanClusterTokens(docs[d]!.text, sink);
    start[d + 1] = used;
  }
  return { count: docs.length, ids: ids.subarray(0, used), start, titleEnd, terms: vocab.terms };
}

/** Encodes documents given as token lists (e.g. precomputed `clusterTokens`). */
export function encodeTokenLists(docs: readonly OpinionTokens[]): EncodedDocs {
  let total = 0;
  for (const d of docs) total += d.title.length + d.text.length;
  const vocab = new Vocabulary();
  const ids = new Int32Array(total);
  const start = new Int32Array(docs.length + 1);
  const titleEnd = new Int32Array(docs.length);
  let used = 0;
  for (let d = 0; d < docs.length; d++) {
    for (const t of docs[d]!.title) ids[used++] = vocab.string(t);
    titleEnd[d] = used;
    for (const t of docs[d]!.text) ids[used++] = vocab.string(t);
    start[d + 1] = used;
  }
  return { count: docs.length, ids, start, titleEnd, terms: vocab.terms };
}

/**
 * Weights are IDF (log N/df; every token counts once), times `titleWeight` in the title.
 * Tokens occurring once carry no similarity and only dilute a vector, so they are dropped;
 * frequent tokens are kept, since a hot topic's own words are frequent in its window.
 */
export function buildVectors(docs: EncodedDocs, titleWeight: number, keep: (token: string) => boolean): Vectors {
  const { terms } = docs;
  const kept = Uint8Array.from(terms, (t) => (keep(t) ? 1 : 0));
  const df = new Int32Array(terms.length);
  // Per document: its distinct kept term ids, and whether each is in the title.
  const total = docs.ids.length;
  const flatTerms = new Int32Array(total);
  const flatTitle = new Uint8Array(total);
  const docStart = new Int32Array(docs.count + 1);
  let used = 0;
  const lastDoc = new Int32Array(terms.length).fill(-1);
  const slotOf = new Int32Array(terms.length);
  for (let d = 0; d < docs.count; d++) {
    const titleEnd = docs.titleEnd[d]!;
    for (let k = docs.start[d]!; k < docs.start[d + 1]!; k++) {
      const id = docs.ids[k]!;
      if (!kept[id]) continue;
      const isTitle = k < titleEnd ? 1 : 0;
      if (lastDoc[id] !== d) {
        lastDoc[id] = d; slotOf[id] = used; df[id]!++;
        flatTerms[used] = id; flatTitle[used] = isTitle; used++;
      } else if (isTitle) flatTitle[slotOf[id]!] = 1;
    }
    docStart[d + 1] = used;
  }
  const n = docs.count;
  const idf = Float64Array.from(df, (f) => (f >= 2 ? Math.log(n / f) : 0));
  const start = new Int32Array(n + 1);
  for (let d = 0; d < n; d++) {
    let count = 0;
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) if (idf[flatTerms[k]!]! > 0) count++;
    start[d + 1] = start[d]! + count;
  }
  const term = new Int32Array(start[n]!);
  const weight = new Float64Array(start[n]!);
  // Each document's terms sorted by id (so two documents' dot product is a merge-join); the
  // title flag rides along in the low bit while sorting.
  let scratch = new Int32Array(64);
  for (let d = 0; d < n; d++) {
    const len = start[d + 1]! - start[d]!;
    if (scratch.length < len) scratch = new Int32Array(len * 2);
    let m = 0;
    for (let k = docStart[d]!; k < docStart[d + 1]!; k++) {
      const t = flatTerms[k]!;
      if (idf[t]! > 0) scratch[m++] = t * 2 + flatTitle[k]!;
    }
    const sorted = scratch.subarray(0, m).sort();
    let norm = 0;
    for (let i = 0; i < m; i++) {
      const t = sorted[i]! >> 1;
      const v = sorted[i]! & 1 ? idf[t]! * titleWeight : idf[t]!;
      term[start[d]! + i] = t; weight[start[d]! + i] = v; norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = start[d]!; k < start[d + 1]!; k++) weight[k]! *= inv;
  }
  const termHash = Int32Array.from(terms, fnv1a);
  return { count: n, start, term, weight, terms, termHash, df };
}

/** Dot product of documents a and b (a merge-join of their sorted terms). */
export function dotDocs(vec: Vectors, a: number, b: number): number {
  const { start, term, weight } = vec;
  let i = start[a]!; const ie = start[a + 1]!;
  let j = start[b]!; const je = start[b + 1]!;
  let s = 0;
  while (i < ie && j < je) {
    const ti = term[i]!; const tj = term[j]!;
    if (ti === tj) { s += weight[i]! * weight[j]!; i++; j++; } else if (ti < tj) i++; else j++;
  }
  return s;
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}
