import type { Executor } from '../../db/database.js';
import { type DeliberationResult, computeOpinionGroups } from './engine/index.js';
import { type StoredResult, priorityResult } from './stored-result.js';

// The latest stored result of a deliberation, parsed once per process and result (the
// participant's page asks for it on every vote; the stored JSON changes only when a
// recomputation stores a new one).

export interface LatestResult {
  id: number;
  votesVersion: number;
  computedAt: string;
  data: StoredResult;
  /** The engine's view of it, for `nextStatement`. */
  priorities: DeliberationResult;
}

const cache = new Map<number, LatestResult>();
const CACHE_MAX = 64;

export async function latestResult(db: Executor, deliberationId: number): Promise<LatestResult | null> {
  const head = await db.selectFrom('deliberation_results').select(['id', 'votes_version', 'computed_at'])
    .where('deliberation_id', '=', deliberationId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!head) return null;
  const hit = cache.get(deliberationId);
  if (hit && hit.id === head.id) return { ...hit, votesVersion: head.votes_version };
  const row = await db.selectFrom('deliberation_results').select('data').where('id', '=', head.id).executeTakeFirst();
  if (!row) return null;
  const data = JSON.parse(row.data) as StoredResult;
  const entry: LatestResult = { id: head.id, votesVersion: head.votes_version, computedAt: head.computed_at, data, priorities: priorityResult(data) };
  cache.delete(deliberationId);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as number);
  cache.set(deliberationId, entry);
  return entry;
}

let empty: DeliberationResult | null = null;
/** The result of no votes at all: every statement is new, so the next one is drawn evenly. */
export function emptyResult(): DeliberationResult {
  empty ??= computeOpinionGroups({ votes: [] });
  return empty;
}

/** Top statements by group-informed consensus (each group tends to agree), with overall counts. */
export function groupInformedTop(data: StoredResult, n = 5): Array<{ statementId: number; gic: number; agree: number; seen: number }> {
  const st = data.statements;
  if (data.groups.length < 2) return [];
  const rows = st.ids.map((id, j) => ({ statementId: id, gic: st.gic[j]!, agree: st.agree[j]!, seen: st.agree[j]! + st.disagree[j]! + st.pass[j]!, inMath: st.inMath[j] === 1 }));
  return rows.filter((r) => r.inMath && r.seen > 0).sort((a, b) => b.gic - a.gic || a.statementId - b.statementId).slice(0, n)
    .map(({ statementId, gic, agree, seen }) => ({ statementId, gic, agree, seen }));
}
