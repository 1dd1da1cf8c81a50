import type { Database, Executor, Trx } from '../../db/database.js';
import type { JobRow } from './worker.js';

/**
 * Claims due jobs, and running jobs whose lease expired (their worker died), in one
 * statement. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several workers claim at once
 * without waiting on or taking each other's rows; SQLite has one writer at a time.
 */
export async function claimJobs(database: Database, workerId: string, limit: number, leaseMs: number): Promise<JobRow[]> {
  const db = database.db;
  const now = new Date();
  const nowIso = now.toISOString();
  let due = db.selectFrom('jobs').select('id')
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', nowIso)]),
      eb.and([eb('status', '=', 'running'), eb('locked_until', '<', nowIso)]),
    ]))
    .orderBy('run_at').limit(limit);
  if (database.dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db.updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      locked_by: workerId,
      locked_until: new Date(now.getTime() + leaseMs).toISOString(),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.sort((a, b) => (a.run_at < b.run_at ? -1 : a.run_at > b.run_at ? 1 : a.id - b.id));
}

/** Extends the lease on every job `workerId` holds, so a live worker's long job is not taken over. */
export async function renewLeases(db: Executor, workerId: string, leaseMs: number): Promise<void> {
  await db.updateTable('jobs').set({ locked_until: new Date(Date.now() + leaseMs).toISOString() })
    .where('locked_by', '=', workerId).where('status', '=', 'running')
    .execute();
}

/** Marks the job done inside the handler's transaction; false when the lease was lost. */
export async function startDone(trx: Trx, workerId: string, jobId: number): Promise<boolean> {
  const r = await trx.updateTable('jobs')
    .set({ status: 'done', finished_at: new Date().toISOString(), locked_by: null, locked_until: null, last_error: null })
    .where('id', '=', jobId).where('locked_by', '=', workerId).where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a failure: back to pending at `retryAt`, or failed for good when it is null. */
export async function finishFailed(db: Executor, workerId: string, job: JobRow, error: string, retryAt: Date | null): Promise<void> {
  await db.updateTable('jobs')
    .set({
      status: retryAt ? 'pending' : 'failed',
      run_at: retryAt ? retryAt.toISOString() : job.run_at,
      finished_at: retryAt ? null : new Date().toISOString(),
      last_error: error.slice(0, 2000),
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', job.id).where('locked_by', '=', workerId)
    .execute();
}

/** Hands claimed but unstarted jobs back (on stop), without counting the attempt. */
export async function releaseJobs(db: Executor, workerId: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('jobs')
    .set((eb) => ({ status: 'pending', locked_by: null, locked_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', ids).where('locked_by', '=', workerId).where('status', '=', 'running')
    .execute();
}
