import { Centroids } from './centroids.js';
import { clusterTokens, isFeature, type OpinionTokens } from './features.js';
import { describeCluster } from './hotspot-describe.js';
import { bucketIds, lshBuckets } from './minhash.js';
import { buildVectors, encodeTexts, encodeTokenLists, type Vectors } from './vectors.js';

// Hotspots (热点): groups of recent opinions that talk about the same thing.
//
// 1. Each opinion becomes a TF-IDF vector over its tokens (features.ts `clusterTokens`: CJK
//    bigrams and other-script words; title tokens weigh more).
// 2. MinHash signatures of the token sets, cut into bands (LSH), give each opinion a few
//    buckets; opinions that share a bucket are likely to share many words.
// 3. Leader clustering in time order: an opinion joins the most similar cluster (cosine
//    to the cluster's centroid) among the clusters already seen in its buckets, if that
//    similarity reaches `threshold`; otherwise it starts a cluster. Comparing with centroids,
//    not with single members, keeps one two-topic letter from chaining two topics together.
// 4. Clusters whose centroids are close are merged; then every opinion is reassigned once
//    to the nearest centroid among its candidates, which corrects early choices.
// 5. Clusters of at least `minSize` are described (hotspot-describe.ts); those whose leading
//    words are boilerplate shared by every topic (领导, 重视) are not hotspots and are dropped.
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
  /**
   * Tokens to use instead of the text's: `clusterTokens(title, text)` gives the same groups
   * (the search tokens of `opinionTokens` work too: their ICU words are extra features).
   * Without them the texts are tokenized straight to token ids, which is faster still.
   */
  tokens?: OpinionTokens;
}

export interface Hotspot {
  /**
   * Stable across runs: with the previous run's groups given, a group that continues one
   * keeps its key; otherwise it is derived from the group's leading words.
   */
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

/** A group of an earlier run, for key continuity (member ids may be a sample). */
export type PreviousGroup = Pick<Hotspot, 'key' | 'memberIds'>;

/**
 * Groups `opinions` into hotspots. With `previous` (the groups of the last run), a group
 * whose members mostly belonged to one earlier group keeps that group's key.
 */
export function findHotspots(
  opinions: readonly HotspotOpinion[], options: Partial<HotspotOptions> = {}, previous: readonly PreviousGroup[] = [],
): HotspotResult {
  const o = { ...DEFAULT_HOTSPOT_OPTIONS, ...options };
  const order = opinions.map((_, i) => i).sort((a, b) => compareOpinions(opinions[a]!, opinions[b]!));
  const ordered = order.map((i) => opinions[i]!);
  // Tokenized here, straight to token ids, unless tokens were given (the same ids either way).
  const encoded = ordered.some((op) => op.tokens)
    ? encodeTokenLists(ordered.map((op) => op.tokens ?? clusterTokens(op.title, op.text)))
    : encodeTexts(ordered);
  const vec = buildVectors(encoded, o.titleWeight, isFeature);
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
    described.push({ ...describeCluster(docs, vec, acc, inGroup, maxShare, order, opinions, o), docs });
  }
  const built: (Hotspot & { docs: number[] })[] = described.map(({ lead, ...g }) => {
    let all = 0; let owned = 0;
    for (const [t, w] of lead) { all += w; owned += w * maxShare[t]!; }
    return { ...g, distinctiveness: all > 0 ? owned / all : 0 };
  }).filter((g) => g.distinctiveness >= o.minDistinctiveness);
  built.sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const keys = assignKeys(built, previous);
  const groups: Hotspot[] = built.map(({ docs, ...g }, gi) => {
    for (const d of docs) assignment[order[d]!] = gi;
    return { ...g, key: keys[gi]! };
  });
  const clustered = groups.reduce((a, g) => a + g.size, 0);
  return { groups, unclustered: opinions.length - clustered, assignment };
}

/**
 * Final keys, for groups sorted by size: first, each group (largest first) inherits the key
 * of the earlier group holding most of its members, if that is at least half of its members
 * seen before (and at least two); then the others keep their word-derived key, with a
 * suffix when it is taken.
 */
function assignKeys(groups: readonly Pick<Hotspot, 'key' | 'memberIds'>[], previous: readonly PreviousGroup[]): string[] {
  const before = new Map<OpinionId, string>();
  for (const p of previous) for (const id of p.memberIds) before.set(id, p.key);
  const taken = new Set<string>();
  const keys: (string | null)[] = groups.map((g) => {
    const votes = new Map<string, number>();
    let known = 0;
    for (const id of g.memberIds) {
      const k = before.get(id);
      if (k !== undefined) { known++; votes.set(k, (votes.get(k) ?? 0) + 1); }
    }
    let best: string | null = null; let most = 0;
    for (const [k, v] of votes) {
      if (!taken.has(k) && (v > most || (v === most && best !== null && k < best))) { best = k; most = v; }
    }
    if (best === null || most < 2 || 2 * most < known) return null;
    taken.add(best);
    return best;
  });
  return keys.map((k, i) => {
    if (k !== null) return k;
    const base = groups[i]!.key;
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    taken.add(key);
    return key;
  });
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

  // Pass 3: reassign each opinion to the nearest centroid among its own and those of its
  // candidates at least as large, which corrects early choices and gathers stragglers, but
  // never pulls near-duplicates out of a big cluster into a small one of their own.
  for (let d = 0; d < n; d++) {
    const own = clusterOf[d]!;
    const ownSize = cs.size[own]!;
    cs.add(d, own, -1);
    let best = own; let bestSim = ownSize > 1 ? cs.cosine(d, own) : o.threshold;
    for (const c of candidatesOf(d, root)) {
      if (c === own || cs.size[c]! < ownSize) continue;
      const s = cs.cosine(d, c);
      if (s > bestSim || (s === bestSim && best === own && ownSize <= 1)) { bestSim = s; best = c; }
    }
    cs.add(d, best, 1);
    clusterOf[d] = best;
  }
  return clusterOf;
}
