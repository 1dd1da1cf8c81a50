import { isFeature, opinionTokens, pickDisplayTerms, readableWords, type OpinionTokens } from './features.js';
import { Centroids } from './centroids.js';
import { bucketIds, lshBuckets } from './minhash.js';
import { buildVectors, type Vectors } from './vectors.js';

// Hotspots (热点): groups of recent opinions that talk about the same thing.
//
// 1. Each opinion becomes a TF-IDF vector over its search tokens (title tokens weigh more).
// 2. MinHash signatures of the token sets, cut into bands (LSH), give each opinion a few
//    buckets; opinions that share a bucket are likely to share many words.
// 3. Leader clustering in time order: an opinion joins the most similar cluster (cosine
//    to the cluster's centroid) among the clusters already seen in its buckets, if that
//    similarity reaches `threshold`; otherwise it starts a cluster. Comparing with centroids,
//    not with single members, keeps one two-topic letter from chaining two topics together.
// 4. Clusters whose centroids are close are merged; then every opinion is reassigned once
//    to the nearest centroid among its candidates, which corrects early choices.
// Input order does not matter: opinions are processed by (createdAt, id).

export type OpinionId = number | string;
export type RegionId = number | string;

export interface HotspotOpinion {
  id: OpinionId;
  title: string;
  text: string;
  regionId: RegionId | null;
  /** ISO-8601 text (compared as text). */
  createdAt: string;
  /** Precomputed `opinionTokens(title, text)`, to skip tokenizing. */
  tokens?: OpinionTokens;
}

export interface Hotspot {
  /** Stable across runs while the group's leading words stay the same. */
  key: string;
  size: number;
  /**
   * How much the group's leading words belong to some one group (0–1): for each of its ten
   * leading words, the largest share of that word's opinions found in a single group, averaged
   * by weight. Low for boilerplate (领导, 重视, 尽快) spread over every topic's letters, high
   * for a topic's own words (停车 lives mostly in the parking group).
   */
  distinctiveness: number;
  /** Words that characterise the group, best first (e.g. 停车, 车位). */
  labelTerms: string[];
  /** The members closest to the group's centroid, best first. */
  representativeIds: OpinionId[];
  memberIds: OpinionId[];
  /** regionId (null: none given) → count, largest first. */
  regions: { regionId: RegionId | null; count: number }[];
  firstAt: string;
  lastAt: string;
}

export interface HotspotOptions {
  /** Smallest group reported. */
  minSize: number;
  /** Groups below this distinctiveness are boilerplate, not hotspots, and are not reported. */
  minDistinctiveness: number;
  /** Cosine similarity to a centroid needed to join a cluster. */
  threshold: number;
  /** Cosine similarity between two centroids needed to merge them. */
  mergeThreshold: number;
  titleWeight: number;
  bands: number;
  rows: number;
  /** Clusters remembered per LSH bucket. */
  bucketCap: number;
  /** Clusters compared per opinion (those sharing most buckets). */
  candidates: number;
  labelTerms: number;
  representatives: number;
}

export const DEFAULT_HOTSPOT_OPTIONS: HotspotOptions = {
  minSize: 3, minDistinctiveness: 0.45, threshold: 0.3, mergeThreshold: 0.4, titleWeight: 2, bands: 12, rows: 2,
  bucketCap: 4, candidates: 3, labelTerms: 5, representatives: 3,
};

export interface HotspotResult {
  groups: Hotspot[];
  /** Opinions in no reported group (in clusters below minSize, or boilerplate). */
  unclustered: number;
  /** Cluster index per input opinion (input order), -1 when unclustered; for evaluation. */
  assignment: Int32Array;
}

export function findHotspots(opinions: readonly HotspotOpinion[], options: Partial<HotspotOptions> = {}): HotspotResult {
  const o = { ...DEFAULT_HOTSPOT_OPTIONS, ...options };
  const order = opinions.map((_, i) => i).sort((a, b) => compareOpinions(opinions[a]!, opinions[b]!));
  const tokens = order.map((i) => opinions[i]!.tokens ?? opinionTokens(opinions[i]!.title, opinions[i]!.text));
  const vec = buildVectors(tokens, o.titleWeight, isFeature);
  const clusterOf = cluster(vec, o);

  // Gather members per cluster, in processing order.
  const members = new Map<number, number[]>();
  for (let d = 0; d < clusterOf.length; d++) {
    const c = clusterOf[d]!;
    let m = members.get(c);
    if (!m) members.set(c, (m = []));
    m.push(d);
  }
  const assignment = new Int32Array(opinions.length).fill(-1);
  const described = [];
  const acc = new Float64Array(vec.terms.length);
  const inGroup = new Int32Array(vec.terms.length);
  const maxShare = new Float64Array(vec.terms.length);
  for (const docs of members.values()) {
    if (docs.length < o.minSize) continue;
    described.push({ ...describe(docs, vec, acc, inGroup, maxShare, order, opinions, o), docs });
  }
  const built: (Hotspot & { docs: number[] })[] = described.map(({ lead, ...g }) => {
    let all = 0; let owned = 0;
    for (const [t, w] of lead) { all += w; owned += w * maxShare[t]!; }
    return { ...g, distinctiveness: all > 0 ? owned / all : 0 };
  }).filter((g) => g.distinctiveness >= o.minDistinctiveness);
  built.sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const seen = new Map<string, number>();
  const groups: Hotspot[] = built.map(({ docs, ...g }, gi) => {
    const n = seen.get(g.key) ?? 0;
    seen.set(g.key, n + 1);
    for (const d of docs) assignment[order[d]!] = gi;
    return n ? { ...g, key: `${g.key}-${n + 1}` } : g;
  });
  const clustered = groups.reduce((a, g) => a + g.size, 0);
  return { groups, unclustered: opinions.length - clustered, assignment };
}

function compareOpinions(a: HotspotOpinion, b: HotspotOpinion): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (typeof a.id === 'number' && typeof b.id === 'number') return a.id - b.id;
  const x = String(a.id); const y = String(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Cluster number per document (documents in processing order). */
function cluster(vec: Vectors, o: HotspotOptions): Int32Array {
  const n = vec.count;
  const { ids: bucketOf, count: nBuckets } = bucketIds(lshBuckets(vec, o.bands, o.rows), o.bands);
  const clusterOf = new Int32Array(n);
  const cs = new Centroids(vec, n);
  // Up to bucketCap cluster numbers per bucket, in a flat array (-1: free).
  const cap = o.bucketCap;
  const bucketClusters = new Int32Array(nBuckets * cap).fill(-1);
  const hits = new Int32Array(n);
  const touched: number[] = [];

  /** Candidate clusters of document d: those in most of its buckets (ties: lower number). */
  const candidatesOf = (d: number, root: (c: number) => number): number[] => {
    touched.length = 0;
    for (let b = 0; b < o.bands; b++) {
      const base = bucketOf[d * o.bands + b]! * cap;
      for (let i = base; i < base + cap && bucketClusters[i]! >= 0; i++) {
        const c = root(bucketClusters[i]!);
        if (hits[c]!++ === 0) touched.push(c);
      }
    }
    // The `candidates` clusters with most hits (ties: lower number), by selection: few are touched.
    const out: number[] = [];
    while (out.length < o.candidates) {
      let best = -1;
      for (const c of touched) if (hits[c]! > 0 && (best < 0 || hits[c]! > hits[best]! || (hits[c] === hits[best] && c < best))) best = c;
      if (best < 0) break;
      out.push(best);
      hits[best] = 0;
    }
    for (const c of touched) hits[c] = 0;
    return out;
  };
  const register = (d: number, c: number): void => {
    for (let b = 0; b < o.bands; b++) {
      const base = bucketOf[d * o.bands + b]! * cap;
      let i = base; let smallest = base;
      for (; i < base + cap && bucketClusters[i]! >= 0; i++) {
        if (bucketClusters[i] === c) break;
        if (cs.size[bucketClusters[i]!]! < cs.size[bucketClusters[smallest]!]!) smallest = i;
      }
      if (i < base + cap && bucketClusters[i] === c) continue;
      if (i < base + cap) bucketClusters[i] = c; // a free place
      else if (cs.size[bucketClusters[smallest]!]! < cs.size[c]!) bucketClusters[smallest] = c;
    }
  };

  // Pass 1: leader clustering in time order.
  const identity = (c: number): number => c;
  for (let d = 0; d < n; d++) {
    let best = -1; let bestSim = o.threshold;
    for (const c of candidatesOf(d, identity)) {
      const s = cs.cosine(d, c);
      if (s >= bestSim) { bestSim = s; best = c; }
    }
    if (best < 0) best = cs.create();
    cs.add(d, best, 1);
    clusterOf[d] = best;
    register(d, best);
  }

  // Pass 2: merge clusters whose centroids are close (pairs found through shared buckets).
  // Clusters smaller than a reported group are left to pass 3.
  const mergeMin = Math.max(2, o.minSize);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const root = (c: number): number => { while (parent[c] !== c) c = parent[c] = parent[parent[c]!]!; return c; };
  const tried = new Set<number>();
  for (let base = 0; base < bucketClusters.length; base += cap) {
    for (let i = base; i < base + cap && bucketClusters[i]! >= 0; i++) {
      for (let j = i + 1; j < base + cap && bucketClusters[j]! >= 0; j++) {
        const a = root(bucketClusters[i]!); const b = root(bucketClusters[j]!);
        if (a === b || cs.size[a]! < mergeMin || cs.size[b]! < mergeMin) continue;
        const pair = a < b ? a * n + b : b * n + a;
        if (tried.has(pair)) continue;
        tried.add(pair);
        if (cs.between(a, b) < o.mergeThreshold) continue;
        const [big, small] = cs.size[a]! >= cs.size[b]! ? [a, b] : [b, a];
        cs.merge(big, small);
        parent[small] = big;
      }
    }
  }
  for (let d = 0; d < n; d++) clusterOf[d] = root(clusterOf[d]!);

  // Pass 3: reassign each opinion to its nearest centroid among its own and its candidates'.
  for (let d = 0; d < n; d++) {
    const own = clusterOf[d]!;
    if (cs.size[own]! <= 1) continue;
    cs.add(d, own, -1);
    let best = own; let bestSim = cs.cosine(d, own);
    for (const c of candidatesOf(d, root)) {
      if (c === own) continue;
      const s = cs.cosine(d, c);
      if (s > bestSim) { bestSim = s; best = c; }
    }
    cs.add(d, best, 1);
    clusterOf[d] = best;
  }
  return clusterOf;
}

function describe(
  docs: number[], vec: Vectors, acc: Float64Array, inGroup: Int32Array, maxShare: Float64Array, order: readonly number[],
  opinions: readonly HotspotOpinion[], o: HotspotOptions,
): Omit<Hotspot, 'distinctiveness'> & { lead: (readonly [number, number])[] } {
  const { start, term, weight } = vec;
  const used: number[] = [];
  for (const d of docs) {
    for (let k = start[d]!; k < start[d + 1]!; k++) {
      const t = term[k]!;
      if (acc[t] === 0) used.push(t);
      acc[t]! += weight[k]!;
      inGroup[t]!++;
    }
  }
  const ranked = topBy(used, 60, (t) => acc[t]!);
  const lead = ranked.slice(0, 10).map((t) => [t, acc[t]!] as const);
  for (const t of used) maxShare[t] = Math.max(maxShare[t]!, inGroup[t]! / vec.df[t]!);
  const cos = docs.map((d) => {
    let s = 0;
    for (let k = start[d]!; k < start[d + 1]!; k++) s += weight[k]! * acc[term[k]!]!;
    return [d, s] as const;
  }).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const t of used) { acc[t] = 0; inGroup[t] = 0; }
  const reps = cos.slice(0, o.representatives).map(([d]) => d);
  // Show dictionary words read from the most central members, not bigrams across words.
  const readable = new Set<string>();
  const central = cos.slice(0, 12).map(([d]) => opinions[order[d]!]!);
  for (const w of readableWords(central.map((op, i) => (i < 3 ? `${op.title}\n${op.text}` : op.title)).join('\n'))) readable.add(w);
  const words = ranked.map((t) => vec.terms[t]!);
  const labelTerms = pickDisplayTerms(words, readable, o.labelTerms);
  const regions = new Map<RegionId | null, number>();
  let firstAt = opinions[order[docs[0]!]!]!.createdAt;
  let lastAt = firstAt;
  for (const d of docs) {
    const op = opinions[order[d]!]!;
    regions.set(op.regionId, (regions.get(op.regionId) ?? 0) + 1);
    if (op.createdAt < firstAt) firstAt = op.createdAt;
    if (op.createdAt > lastAt) lastAt = op.createdAt;
  }
  return {
    key: groupKey(words.slice(0, 3)),
    size: docs.length,
    lead,
    labelTerms,
    representativeIds: reps.map((d) => opinions[order[d]!]!.id),
    memberIds: docs.map((d) => opinions[order[d]!]!.id),
    regions: [...regions.entries()].map(([regionId, count]) => ({ regionId, count }))
      .sort((a, b) => b.count - a.count || String(a.regionId).localeCompare(String(b.regionId))),
    firstAt,
    lastAt,
  };
}

/** The `k` items with the largest score, best first (ties: smaller item first). */
function topBy(items: readonly number[], k: number, score: (x: number) => number): number[] {
  const better = (x: number, y: number): boolean => score(x) > score(y) || (score(x) === score(y) && x < y);
  const top: number[] = [];
  for (const x of items) {
    if (top.length === k && !better(x, top[k - 1]!)) continue;
    let i = top.length < k ? top.length : k - 1;
    while (i > 0 && better(x, top[i - 1]!)) { if (i < k) top[i] = top[i - 1]!; i--; }
    top[i] = x;
  }
  return top;
}

/** A short key from the group's leading words, independent of their order. */
function groupKey(words: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const ch of [...words].sort().join('\u0001')) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return `hs-${(h >>> 0).toString(16).padStart(8, '0')}`;
}
