import type { Executor } from '../../db/database.js';
import { preparedList } from '../../db/prepared-list.js';

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

/** A job as the row's values, in the order of `insertJobs` (also the PostgreSQL vote statement's, vote-writer.ts). */
export type JobRow = [kind: string, payload: string, runAt: string, maxAttempts: number, dedupeKey: string | null, createdAt: string];

export function jobRow(job: NewJob, now = new Date()): JobRow {
  return [job.kind, JSON.stringify(job.payload ?? null), (job.runAt ?? now).toISOString(), job.maxAttempts ?? 8, job.dedupeKey ?? null, now.toISOString()];
}

// A job without a dedupe key (null) never conflicts, so one statement serves both kinds.
const insertJobs = preparedList(6, (db, rows: JobRow[]) =>
  db.insertInto('jobs').values(rows.map((r) => ({
    kind: r[0], payload: r[1], status: 'pending', run_at: r[2], max_attempts: r[3], dedupe_key: r[4], created_at: r[5],
  }))).onConflict((oc) => oc.column('dedupe_key').doNothing()));

/** Several jobs in one statement (same outbox rule as `enqueueJob`). */
export async function enqueueJobs(db: Executor, jobs: NewJob[]): Promise<void> {
  if (!jobs.length) return;
  const now = new Date();
  await insertJobs.execute(db, jobs.map((job) => jobRow(job, now)));
}
