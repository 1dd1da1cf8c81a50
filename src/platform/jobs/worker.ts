import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../../context.js';
import type { Selectable } from 'kysely';
import type { JobsTable } from '../../db/schema.js';
import { type JobInfo, type WorkerLog, jobHandlerFor } from './registry.js';
// Platform job handlers register on import; modules register theirs when their code loads.
import '../sms/send-job.js';
import '../notify/email-job.js';
import { claimJobs, finishFailed, releaseJobs, renewLeases, startDone } from './claims.js';

export type { WorkerLog };
export type JobRow = Selectable<JobsTable>;

export interface WorkerOptions {
  /** Names this worker in `jobs.locked_by`. */
  id?: string;
  pollMs?: number;
  /** Jobs claimed per round. */
  batch?: number;
  /**
   * How long a claim holds before another worker may take the job over. While this worker has
   * jobs in hand it renews the claim every third of that, so only a dead worker's jobs lapse.
   */
  leaseMs?: number;
  /** First retry delay; doubles with every attempt, at most an hour. */
  backoffMs?: number;
  log?: WorkerLog;
}

class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

const silent: WorkerLog = { info() {}, warn() {}, error() {} } as unknown as WorkerLog;

/**
 * Claims due jobs and runs each handler in a transaction that also marks the job done, so
 * its database effects happen exactly once. Safe to run in several processes.
 */
export class JobWorker {
  readonly id: string;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly backoffMs: number;
  private readonly log: WorkerLog;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly ctx: AppContext, opts: WorkerOptions = {}) {
    this.id = opts.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.pollMs = opts.pollMs ?? ctx.config.workerPollMs;
    this.batch = opts.batch ?? 10;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.backoffMs = opts.backoffMs ?? 5_000;
    this.log = opts.log ?? silent;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Finishes the job in hand, hands back the rest of the claimed batch, and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** One round: claims up to `batch` due jobs and runs them. Returns how many it ran. */
  async runOnce(): Promise<number> {
    const jobs = await claimJobs(this.ctx.database, this.id, this.batch, this.leaseMs);
    if (jobs.length === 0) return 0;
    const renewing = setInterval(() => void this.renewLease(), Math.max(10, Math.floor(this.leaseMs / 3)));
    renewing.unref();
    let ran = 0;
    try {
      for (const [i, job] of jobs.entries()) {
        if (this.stopping) {
          await releaseJobs(this.ctx.database.db, this.id, jobs.slice(i).map((j) => j.id));
          break;
        }
        await this.runJob(job);
        ran++;
      }
    } finally {
      clearInterval(renewing);
    }
    return ran;
  }

  /** Extends the claim on every job this worker holds (running, or waiting its turn in the batch). */
  private async renewLease(): Promise<void> {
    try {
      await renewLeases(this.ctx.database.db, this.id, this.leaseMs);
    } catch (err) {
      this.log.warn({ err }, 'job lease renewal failed');
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let ran = 0;
      try {
        ran = await this.runOnce();
      } catch (err) {
        this.log.error({ err }, 'job worker round failed');
      }
      if (ran === 0 && !this.stopping) await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private async runJob(job: JobRow): Promise<void> {
    const registered = jobHandlerFor(job.kind);
    if (!registered) {
      this.log.error({ jobId: job.id, kind: job.kind }, 'no handler for job kind');
      await finishFailed(this.ctx.database.db, this.id, job, `unknown job kind "${job.kind}"`, null);
      return;
    }
    const afterCommit: Array<() => void> = [];
    const info: JobInfo = {
      id: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.max_attempts, log: this.log,
      afterCommit: (fn) => { afterCommit.push(fn); },
    };
    try {
      const payload = JSON.parse(job.payload) as unknown;
      if (registered.beforeTransaction) {
        try {
          info.prepared = await registered.beforeTransaction(this.ctx, payload, info);
        } catch (err) {
          info.prepareError = err;
        }
      }
      await this.ctx.database.db.transaction().execute(async (trx) => {
        // Marking done first takes the row (and on SQLite the write lock) up front; the
        // handler's error rolls it back.
        if (!(await startDone(trx, this.id, job.id))) throw new LeaseLostError(`lease on job ${job.id} lost`);
        await registered.handler(this.ctx, payload, trx, info);
      });
      for (const fn of afterCommit) {
        try { fn(); } catch (err) { this.log.error({ jobId: job.id, err }, 'after-commit step failed'); }
      }
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.log.warn({ jobId: job.id }, 'job taken over by another worker');
        return;
      }
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const final = job.attempts >= job.max_attempts;
      const retryAt = final ? null : new Date(Date.now() + Math.min(this.backoffMs * 2 ** (job.attempts - 1), 3_600_000));
      this.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, final, err }, 'job failed');
      await finishFailed(this.ctx.database.db, this.id, job, message, retryAt);
    }
  }
}
