import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import { enqueueJob } from '../../platform/jobs/enqueue.js';
import { DeliberationClosedError, RECOMPUTE_JOB } from './model.js';

// `deliberations.votes_version` changes whenever the input of the math does: a vote, a
// statement opened or closed by moderation, a change of the number of groups. A stored result
// carries the version it was computed from, so a stale one is recognised and an unchanged one
// is not computed again.

/** The dedupe key of the one pending recomputation of a deliberation (the running one gives it up). */
export const recomputeKey = (deliberationId: number): string => `${RECOMPUTE_JOB}:${deliberationId}`;

/** The job that recomputes a deliberation (also written by the PostgreSQL vote statement, vote-writer.ts). */
export const recomputeJob = (deliberationId: number) => ({
  kind: RECOMPUTE_JOB, payload: { deliberationId }, dedupeKey: recomputeKey(deliberationId), maxAttempts: 3,
});

/** Asks for a recomputation; a second request while one is pending is the same job. */
export async function requestRecompute(db: Executor, deliberationId: number): Promise<void> {
  await enqueueJob(db, recomputeJob(deliberationId));
}

// Built once (db/prepared.ts): the update of the version, and the same only while the
// deliberation is open (for votes, below).
const bumpOf = (db: Executor, deliberationId: number, changes: number, now: string) => db.updateTable('deliberations')
  .set((eb) => ({ votes_version: eb('votes_version', '+', changes), updated_at: now }))
  .where('id', '=', deliberationId);
const bumpVersion = preparedQuery(3, bumpOf);
const bumpIfOpen = preparedQuery(3, (db, deliberationId: number, changes: number, now: string) => bumpOf(db, deliberationId, changes, now)
  .where('status', '=', 'open').returning('votes_version'));

/**
 * Bumps the version (by the number of changes) and asks for a recomputation, in the caller's
 * transaction (moderation, statements). The update of the deliberation row comes after the
 * request: on PostgreSQL it is a row lock every vote of the conversation takes, held until the
 * commit. Votes (`votesCounted`) take it first instead: their log rows need the new version.
 */
export async function inputChanged(trx: Executor, deliberationId: number, now: string, changes = 1): Promise<void> {
  await requestRecompute(trx, deliberationId);
  await bumpVersion.execute(trx, deliberationId, changes, now);
}

/**
 * `inputChanged` for votes, checked in their transaction: only while the deliberation is open.
 * A vote that passed the open check before the deliberation closed (when an outcome is
 * published, say) but reaches its commit after is refused, not counted behind the kept
 * report's back. On PostgreSQL the update waits for a closing in progress and then sees it.
 * Returns the new version, which the transaction's votes are logged with (migration 0021): the
 * row lock the update takes is held until the commit, so versions follow the order of commits.
 */
export async function votesCounted(trx: Executor, deliberationId: number, now: string, votes: number): Promise<number> {
  await requestRecompute(trx, deliberationId);
  const row = await bumpIfOpen.first(trx, deliberationId, votes, now);
  if (!row) throw new DeliberationClosedError();
  return Number(row.votes_version);
}
