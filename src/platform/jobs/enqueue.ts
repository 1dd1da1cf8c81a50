import type { Executor } from '../../db/database.js';

export interface NewJob {
  kind: string;
  payload: unknown;
  /** When the job becomes due; now when omitted. */
  runAt?: Date;
  /** A second job with the same key is not created (e.g. one publication job per news item). */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Adds a job in the caller's transaction, so it exists if and only if the change that
 * caused it was committed (the transactional outbox).
 */
export async function enqueueJob(db: Executor, job: NewJob): Promise<void> {
  await enqueueJobs(db, [job]);
}

/** Several jobs in one statement (same outbox rule as `enqueueJob`). */
export async function enqueueJobs(db: Executor, jobs: NewJob[]): Promise<void> {
  if (!jobs.length) return;
  const now = new Date();
  const q = db.insertInto('jobs').values(jobs.map((job) => ({
    kind: job.kind,
    payload: JSON.stringify(job.payload ?? null),
    status: 'pending',
    run_at: (job.runAt ?? now).toISOString(),
    max_attempts: job.maxAttempts ?? 8,
    dedupe_key: job.dedupeKey ?? null,
    created_at: now.toISOString(),
  })));
  await (jobs.some((j) => j.dedupeKey) ? q.onConflict((oc) => oc.column('dedupe_key').doNothing()) : q).execute();
}
