import { pickDisplayTerms, readableWords } from './features.js';
import type { Hotspot, HotspotOpinion, HotspotOptions, RegionId } from './hotspots.js';
import type { Vectors } from './vectors.js';

// What is reported about one cluster: its words, its most central members, where and when.

/**
 * Describes the cluster of documents `docs` (indices in processing order; `order` maps them to
 * `opinions`). `acc` and `inGroup` are zeroed scratch arrays over the vocabulary, left zeroed;
 * `maxShare` collects, per term, the largest share of its documents in one cluster, from
 * which the caller computes each cluster's distinctiveness once all are described.
 */
export function describeCluster(
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
  const rankedScores = ranked.map((t) => acc[t]!);
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
  const labelTerms = pickDisplayTerms(withLongWords(words, rankedScores, readable), readable, o.labelTerms);
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

/**
 * The ranked terms (best first, with their scores) and, among them, the readable words of
 * three or more characters whose bigrams all rank: the vectors hold only bigrams
 * (features.ts `clusterTokens`), so 水龙头 is scored as its weakest bigram (水龙, 龙头) — about
 * the number of members that could hold it. On a tie the longer word goes first.
 */
export function withLongWords(words: readonly string[], scores: readonly number[], readable: ReadonlySet<string>): string[] {
  const score = new Map<string, number>();
  words.forEach((w, i) => score.set(w, scores[i]!));
  const all = words.map((w, i) => ({ w, s: scores[i]!, len: 0 }));
  for (const w of readable) {
    const cs = Array.from(w);
    if (cs.length < 3 || score.has(w)) continue;
    let min = Infinity;
    for (let i = 0; i + 1 < cs.length && min > 0; i++) min = Math.min(min, score.get(cs[i]! + cs[i + 1]!) ?? 0);
    if (min > 0) all.push({ w, s: min, len: cs.length });
  }
  if (all.length === words.length) return [...words];
  return all.sort((a, b) => b.s - a.s || b.len - a.len).map((x) => x.w);
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
export function groupKey(words: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const ch of [...words].sort().join('\u0001')) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return `hs-${(h >>> 0).toString(16).padStart(8, '0')}`;
}
