import type { AppContext } from '../../context.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Executor, Trx } from '../../db/database.js';
import { enqueueJob } from './enqueue.js';

export type WorkerLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

/** What a handler may want to know about the run: e.g. whether this is its last attempt. */
export interface JobInfo {
  id: number;
  kind: string;
  /** This run's attempt, from 1. */
  attempt: number;
  maxAttempts: number;
  log: WorkerLog;
  /** With a `beforeTransaction` step: what it returned, or what it threw. */
  prepared?: unknown;
  prepareError?: unknown;
  /** Runs `fn` once the handler's transaction has committed (e.g. to clear caches). */
  afterCommit(fn: () => void): void;
}

/**
 * Runs one job. Database work done in `trx` commits together with the job being marked
 * done, so it happens exactly once; effects outside the database (an HTTP call) happen at
 * least once and should be idempotent.
 */
export type JobHandler = (ctx: AppContext, payload: any, trx: Trx, job: JobInfo) => Promise<void>;

export interface JobHandlerOptions {
  /**
   * Slow work outside the database (a call to a gateway), run before the transaction so no
   * transaction — on SQLite, the only connection — is held while it waits. Its result or
   * error reaches the handler as `job.prepared` / `job.prepareError`.
   */
  beforeTransaction?: (ctx: AppContext, payload: any, job: JobInfo) => Promise<unknown>;
}

interface Registered extends JobHandlerOptions { handler: JobHandler }

const handlers = new Map<string, Registered>();

export class DuplicateJobHandlerError extends Error {
  override name = 'DuplicateJobHandlerError';
}

/** Registers the handler for a job kind (at module load). Registering another for the same kind is a bug. */
export function registerJobHandler(kind: string, handler: JobHandler, opts: JobHandlerOptions = {}): void {
  const existing = handlers.get(kind);
  if (existing && existing.handler !== handler) throw new DuplicateJobHandlerError(`a handler for job kind "${kind}" is already registered`);
  handlers.set(kind, { handler, ...opts });
}

export function jobHandlerFor(kind: string): Registered | undefined {
  return handlers.get(kind);
}

const periodic = new Map<string, number>();

/**
 * A job kind that runs every `everyMs` (register its handler too). A worker started with the
 * app enqueues the run of the current slot (`kickPeriodicJobs`); each run enqueues the next
 * (`enqueueNextRun`). The dedupe key names the slot, so several processes make one run.
 */
export function registerPeriodicJob(kind: string, everyMs: number): void {
  periodic.set(kind, everyMs);
}

/** Enqueues the run of the slot after `after` (or of the slot `after` is in, with `sameSlot`). */
export async function enqueueNextRun(db: Executor, kind: string, everyMs: number, after: Date, sameSlot = false): Promise<void> {
  const at = new Date((Math.floor(after.getTime() / everyMs) + (sameSlot ? 0 : 1)) * everyMs);
  await enqueueJob(db, { kind, payload: null, runAt: at, dedupeKey: `${kind}@${at.toISOString()}` });
}

export async function kickPeriodicJobs(db: Executor, now = new Date()): Promise<void> {
  for (const [kind, everyMs] of periodic) await enqueueNextRun(db, kind, everyMs, now, true);
}
