import type { VoteColumns } from './engine/index.js';
import type { DbTarget, InputMark, Since, VoteSnapshot } from './load-votes.js';

// The votes of a big conversation, held between recomputations by the thread that computes them.
// A warm recomputation then reads only the votes logged since (load-votes.ts `since`) and merges
// them in, instead of reading every vote again: at 2,000,000 votes that read costs about 0.6 s
// of SQLite or 1.8–2.7 s of a PostgreSQL backend each time (bench/deliberation-votes.ts), for a
// few hundred new votes.
// The held votes are sorted by (statement, participant), one entry per pair, so the merge copies
// runs of them and touches only the pairs the new votes change. Every `refreshMs` (and whenever
// the log since is longer than an eighth of the votes, or the mark no longer matches) the votes
// are read whole again.
// So whatever writes votes must log each one with the version its transaction's bump returned
// (vote-writer.ts, polis-import.ts); a vote changed without that is not seen until the next
// whole read.

export const holdSettings = {
  /** Conversations with fewer current votes are read whole every time (cheap enough). */
  minVotes: 20_000,
  /** All held conversations together; the least recently computed ones go first. */
  maxHeldVotes: 12_000_000,
  refreshMs: 10 * 60_000,
};

export type HoldOptions = Partial<typeof holdSettings>;

interface Held { mark: InputMark; votes: VoteColumns; fullAt: number }
const held = new Map<string, Held>();
const keyOf = (target: DbTarget, deliberationId: number): string => JSON.stringify([target, deliberationId]);

/** What to ask `loadSnapshot` for: the log since the held votes, if there are any still fresh. */
export function sinceHeld(target: DbTarget, deliberationId: number, opts: HoldOptions = {}): Since | undefined {
  const h = held.get(keyOf(target, deliberationId));
  const refreshMs = opts.refreshMs ?? holdSettings.refreshMs;
  if (!h || Date.now() - h.fullAt >= refreshMs) return undefined;
  return { mark: h.mark, maxDelta: Math.max(10_000, h.votes.values.length >> 3) };
}

/**
 * Every current vote of the snapshot (merging a delta into the held votes), holding them for next
 * time if big enough. Null when the delta no longer fits the held votes (another run of the same
 * conversation in this thread moved them on meanwhile): read every vote then.
 */
export function currentVotes(target: DbTarget, s: VoteSnapshot, opts: HoldOptions = {}): VoteColumns | null {
  const key = keyOf(target, s.deliberationId);
  const h = held.get(key);
  if (s.delta && !(h && s.from && sameMark(h.mark, s.from))) return null;
  held.delete(key);
  const votes = s.delta ? mergeDelta(h!.votes, s.votes) : s.votes;
  if (votes.values.length < (opts.minVotes ?? holdSettings.minVotes)) return votes;
  const sorted = s.delta ? votes : sortByPair(votes);
  if (!sorted) return votes;
  held.set(key, { mark: s.mark, votes: sorted, fullAt: s.delta ? h!.fullAt : Date.now() });
  let total = 0;
  for (const x of held.values()) total += x.votes.values.length;
  const max = opts.maxHeldVotes ?? holdSettings.maxHeldVotes;
  for (const [k, x] of held) {
    if (total <= max) break;
    held.delete(k);
    total -= x.votes.values.length;
  }
  return sorted;
}

const sameMark = (a: InputMark, b: InputMark): boolean => a.version === b.version && a.createdAt === b.createdAt && a.anchor === b.anchor;

/** Forgets every held conversation (tests). */
export function forgetHeldVotes(): void {
  held.clear();
}

const P = 2 ** 31;

/** The votes sorted by (statement, participant); null if they cannot be held (a million statements or more). */
export function sortByPair(v: VoteColumns): VoteColumns | null {
  const n = v.values.length;
  const { participantIds: p, statementIds: s, values: x } = v;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = s[i - 1]! < s[i]! || (s[i - 1] === s[i] && p[i - 1]! < p[i]!);
  if (sorted) return v;
  // One native sort of numbers: (statement rank · 2³¹ + participant) · 4 + value + 1, exact below 2⁵³.
  const ids = Int32Array.from(new Set(s)).sort();
  if (ids.length >= 2 ** 20) return null;
  const rank = new Map<number, number>();
  ids.forEach((id, r) => rank.set(id, r));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (rank.get(s[i]!)! * P + p[i]!) * 4 + x[i]! + 1;
  keys.sort();
  const out: VoteColumns = { participantIds: new Int32Array(n), statementIds: new Int32Array(n), values: new Int8Array(n) };
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const pair = Math.floor(k / 4);
    const r = Math.floor(pair / P);
    out.statementIds[i] = ids[r]!;
    out.participantIds[i] = pair - r * P;
    out.values[i] = k - pair * 4 - 1;
  }
  return out;
}

/** The first position at or after `lo` whose (statement, participant) is not below (s, p). */
function lowerBound(h: VoteColumns, lo: number, s: number, p: number): number {
  let hi = h.values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const ms = h.statementIds[mid]!;
    if (ms < s || (ms === s && h.participantIds[mid]! < p)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Applies votes logged in order (the last per pair counts) to votes sorted by pair; the result is sorted too. */
export function mergeDelta(h: VoteColumns, d: VoteColumns): VoteColumns {
  if (d.values.length === 0) return h;
  const last = new Map<number, Map<number, number>>();
  for (let i = 0; i < d.values.length; i++) {
    const s = d.statementIds[i]!;
    let m = last.get(s);
    if (!m) last.set(s, (m = new Map()));
    m.set(d.participantIds[i]!, d.values[i]!);
  }
  let pairs = 0;
  for (const m of last.values()) pairs += m.size;
  const n = h.values.length;
  const out: VoteColumns = { participantIds: new Int32Array(n + pairs), statementIds: new Int32Array(n + pairs), values: new Int8Array(n + pairs) };
  let from = 0;
  let to = 0;
  const copy = (end: number) => {
    out.participantIds.set(h.participantIds.subarray(from, end), to);
    out.statementIds.set(h.statementIds.subarray(from, end), to);
    out.values.set(h.values.subarray(from, end), to);
    to += end - from;
    from = end;
  };
  for (const s of [...last.keys()].sort((a, b) => a - b)) {
    const m = last.get(s)!;
    for (const p of [...m.keys()].sort((a, b) => a - b)) {
      copy(lowerBound(h, from, s, p));
      if (from < n && h.statementIds[from] === s && h.participantIds[from] === p) from++;
      out.statementIds[to] = s;
      out.participantIds[to] = p;
      out.values[to++] = m.get(p)!;
    }
  }
  copy(n);
  return { participantIds: out.participantIds.subarray(0, to), statementIds: out.statementIds.subarray(0, to), values: out.values.subarray(0, to) };
}
