import type { OpinionTokens } from './features.js';

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
 * Weights are IDF (log N/df; every token counts once), times `titleWeight` in the title.
 * Tokens occurring once carry no similarity and only dilute a vector, so they are dropped;
 * frequent tokens are kept, since a hot topic's own words are frequent in its window.
 */
export function buildVectors(
  docs: readonly OpinionTokens[], titleWeight: number, keep: (token: string) => boolean,
): Vectors {
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const df: number[] = [];
  const kept: boolean[] = [];
  // Per document: its distinct term ids, and whether each is in the title. Typed arrays sized
  // up front: growing a plain array of millions of numbers costs several times the work.
  let total = 0;
  for (const doc of docs) total += doc.title.length + doc.text.length;
  const flatTerms = new Int32Array(total);
  const flatTitle = new Uint8Array(total);
  const docStart = new Int32Array(docs.length + 1);
  let used = 0;
  let lastDoc = new Int32Array(1024).fill(-1);
  let slotOf = new Int32Array(1024);
  const visit = (tok: string, d: number, isTitle: number): void => {
    let id = ids.get(tok);
    if (id === undefined) {
      id = terms.length; ids.set(tok, id); terms.push(tok); df.push(0); kept.push(keep(tok));
      if (id >= lastDoc.length) {
        const grownLast = new Int32Array(lastDoc.length * 2).fill(-1); grownLast.set(lastDoc); lastDoc = grownLast;
        const grownSlot = new Int32Array(slotOf.length * 2); grownSlot.set(slotOf); slotOf = grownSlot;
      }
    }
    if (!kept[id]) return;
    if (lastDoc[id] !== d) {
      lastDoc[id] = d; slotOf[id] = used; df[id]!++;
      flatTerms[used] = id; flatTitle[used] = isTitle; used++;
    } else if (isTitle) flatTitle[slotOf[id]!] = 1;
  };
  for (let d = 0; d < docs.length; d++) {
    for (const tok of docs[d]!.title) visit(tok, d, 1);
    for (const tok of docs[d]!.text) visit(tok, d, 0);
    docStart[d + 1] = used;
  }
  const n = docs.length;
  const idf = df.map((f) => (f >= 2 ? Math.log(n / f) : 0));
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
  return { count: n, start, term, weight, terms, termHash, df: Int32Array.from(df) };
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
