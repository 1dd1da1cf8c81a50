import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../../platform/background-thread.js';
import { computeOpinionGroups } from './engine/index.js';
import { type DbTarget, type VoteSnapshot, loadSnapshot } from './load-votes.js';
import { type HoldOptions, currentVotes, sinceHeld } from './vote-cache.js';
import { type StoredResult, encodeParticipantGroups, toStored } from './stored-result.js';

// One recomputation from the database: read the snapshot, run the engine, trim the result to
// what is stored. Runs in this thread (small conversations, the CLI) or in a worker thread
// started by `computeInThread`, so the web server in the same process keeps answering while
// seconds of synchronous reading and math go on.

export interface ComputeRequest {
  target: DbTarget;
  deliberationId: number;
  /** Digest and group limit of the latest stored result: the same input is not stored again. */
  previous: { digest: string | null; maxGroups: number | null };
  /** Holding the votes between recomputations (vote-cache.ts); the defaults unless a test says otherwise. */
  hold?: HoldOptions;
}

export type ComputeAnswer =
  | { kind: 'missing' }
  | { kind: 'unchanged'; votesVersion: number; digest: string; loadMs: number; mathMs: number; stagesMs: Record<string, number>; delta: boolean }
  | {
    kind: 'computed'; votesVersion: number; digest: string; data: string; groups: string; loadMs: number; mathMs: number;
    /** Whether only the votes logged since the held ones were read. */
    delta: boolean;
    /** The engine's stages, then `output`: the maps, the text alternative and the JSON stored. */
    stagesMs: Record<string, number>; stored: Pick<StoredResult, 'counts' | 'k'>;
  };

/** The engine's input from a snapshot: accepted statements open, rejected ones moderated out. */
export function engineInput(s: VoteSnapshot) {
  return {
    votes: s.votes,
    statementIds: s.statements.filter((x) => x.status === 'accepted').map((x) => x.id),
    excludedStatementIds: s.statements.filter((x) => x.status === 'rejected').map((x) => x.id),
    metaStatementIds: s.statements.filter((x) => x.meta).map((x) => x.id),
  };
}

export function computeFromSnapshot(s: VoteSnapshot, previous: ComputeRequest['previous']): ComputeAnswer {
  const started = performance.now();
  const result = computeOpinionGroups(engineInput(s), { maxGroups: s.maxGroups });
  const mathMs = performance.now() - started;
  if (result.inputDigest === previous.digest && s.maxGroups === previous.maxGroups) {
    return { kind: 'unchanged', votesVersion: s.votesVersion, digest: result.inputDigest, loadMs: s.loadMs, mathMs, stagesMs: result.timings, delta: s.delta };
  }
  const text = new Map(s.statements.map((x) => [x.id, x.body]));
  const { data, groups } = toStored(result, (id) => text.get(id), { load: Math.round(s.loadMs), math: Math.round(mathMs) });
  const out = { data: JSON.stringify(data), groups: encodeParticipantGroups(groups) };
  return {
    kind: 'computed', votesVersion: s.votesVersion, digest: result.inputDigest, loadMs: s.loadMs, mathMs, delta: s.delta, ...out,
    stagesMs: { ...result.timings, output: performance.now() - started - mathMs }, stored: { counts: data.counts, k: data.k },
  };
}

export async function computeDeliberation(req: ComputeRequest): Promise<ComputeAnswer> {
  const started = performance.now();
  let s = await loadSnapshot(req.target, req.deliberationId, sinceHeld(req.target, req.deliberationId, req.hold));
  if (!s) return { kind: 'missing' };
  // Merging (or sorting, to hold them) counts as reading.
  let votes = currentVotes(req.target, s, req.hold);
  if (!votes) {
    s = await loadSnapshot(req.target, req.deliberationId);
    if (!s) return { kind: 'missing' };
    votes = currentVotes(req.target, s, req.hold)!;
  }
  return computeFromSnapshot({ ...s, votes, loadMs: performance.now() - started }, req.previous);
}

export const THREAD_TASK = 'deliberation.compute';
export type ThreadRequest = { seq: number; request: ComputeRequest };
export type ThreadReply = { seq: number; ok: ComputeAnswer } | { seq: number; error: string };

// In the worker thread started by compute-thread.ts: answer each request (one at a time, in
// order), posting back strings and numbers only.
const env = workerData as { xsTask?: string } | null;
if (!isMainThread && env?.xsTask === THREAD_TASK && parentPort) {
  const port = parentPort;
  // The math can wait; requests can't (platform/background-thread.ts).
  lowerThreadPriority();
  let queue = Promise.resolve();
  port.on('message', (m: ThreadRequest) => {
    queue = queue.then(() => computeDeliberation(m.request).then(
      (ok) => port.postMessage({ seq: m.seq, ok } satisfies ThreadReply),
      (err: unknown) => port.postMessage({ seq: m.seq, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } satisfies ThreadReply),
    ));
  });
}
