/**
 * Which statement to show a participant next — Polis's comment priorities (polismath
 * `conversation.clj`, importance-metric / priority-metric) and its weighted random pick.
 *
 *   p = (passes + 1) / (seen + 2), a = (agrees + 1) / (seen + 2)
 *   importance = (1 - p) · (extremity + 1) · a
 *   priority = (importance · (1 + 8 · 2^(-seen / 5)))²      meta statements: 7² = 49
 *
 * Counts are those of placed participants (summed over groups), as in Polis. A statement nobody
 * has seen gets (0.5 · 1 · 0.5 · 9)² ≈ 5.06, far above a much-voted one, so new statements surface.
 */
import { createPrng } from './prng.js';
import type { DeliberationResult } from './types.js';

export const META_PRIORITY = 7;

export function priorityMetric(agree: number, pass: number, seen: number, extremity: number, meta: boolean): number {
  if (meta) return META_PRIORITY * META_PRIORITY;
  const p = (pass + 1) / (seen + 2);
  const a = (agree + 1) / (seen + 2);
  const importance = (1 - p) * (extremity + 1) * a;
  const x = importance * (1 + 8 * Math.pow(2, -seen / 5));
  return x * x;
}

/** Priority of every statement in `result.statements` (same order). */
export function statementPriorities(result: DeliberationResult): Float64Array {
  const st = result.statements;
  const n = st.statementIds.length;
  const nGroups = result.groups.length;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let a = 0;
    let d = 0;
    let s = 0;
    for (let g = 0; g < nGroups; g++) {
      a += st.groupAgree[g * n + j]!;
      d += st.groupDisagree[g * n + j]!;
      s += st.groupSeen[g * n + j]!;
    }
    out[j] = priorityMetric(a, s - a - d, s, st.extremity[j]!, st.meta[j] === 1);
  }
  return out;
}

export interface NextStatementOptions {
  /** Statements this participant has already voted on (any order). */
  votedStatementIds: ArrayLike<number>;
  /**
   * Statements that may be shown (e.g. the currently open ones, including ones added since the
   * result was computed: those count as unseen). Defaults to `result.statements.statementIds`.
   */
  candidateStatementIds?: ArrayLike<number>;
  /** Seed of the weighted draw; the same seed and inputs give the same statement. */
  seed: string | number;
  /** Moderated-out or otherwise hidden statements never to offer. */
  excludedStatementIds?: ArrayLike<number>;
}

/** Candidates not yet voted on, with priorities, ordered by priority (highest first, ties by id). */
export function rankStatements(result: DeliberationResult, opts: Omit<NextStatementOptions, 'seed'>): Array<{ statementId: number; priority: number }> {
  const st = result.statements;
  const prio = statementPriorities(result);
  const index = new Map<number, number>();
  for (let j = 0; j < st.statementIds.length; j++) index.set(st.statementIds[j]!, j);
  const voted = new Set(Array.from(opts.votedStatementIds));
  const excluded = new Set<number>([...Array.from(opts.excludedStatementIds ?? []), ...Array.from(result.excludedStatementIds)]);
  const candidates = Array.from(new Set(Array.from(opts.candidateStatementIds ?? st.statementIds))).sort((x, y) => x - y);
  const fresh = priorityMetric(0, 0, 0, 0, false);
  const out: Array<{ statementId: number; priority: number }> = [];
  for (const id of candidates) {
    if (voted.has(id) || excluded.has(id)) continue;
    const j = index.get(id);
    out.push({ statementId: id, priority: j === undefined ? fresh : prio[j]! });
  }
  return out.sort((x, y) => y.priority - x.priority || x.statementId - y.statementId);
}

/**
 * Polis's choice of the next statement: a draw weighted by priority among the statements the
 * participant has not voted on. Returns null when there is none left.
 */
export function nextStatement(result: DeliberationResult, opts: NextStatementOptions): number | null {
  const ranked = rankStatements(result, opts);
  if (ranked.length === 0) return null;
  let total = 0;
  for (const r of ranked) total += r.priority;
  const target = createPrng(opts.seed)() * total;
  let acc = 0;
  for (const r of ranked) {
    acc += r.priority;
    if (acc > target) return r.statementId;
  }
  return ranked[ranked.length - 1]!.statementId;
}
