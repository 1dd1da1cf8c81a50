import type { AppContext } from '../../context.js';
import type { Trx } from '../../db/database.js';

/**
 * Runs one job. Database work done in `trx` commits together with the job being marked
 * done, so it happens exactly once; effects outside the database (an HTTP call) happen at
 * least once and should be idempotent.
 */
export type JobHandler = (ctx: AppContext, payload: any, trx: Trx) => Promise<void>;

const handlers = new Map<string, JobHandler>();

export class DuplicateJobHandlerError extends Error {
  override name = 'DuplicateJobHandlerError';
}

/** Registers the handler for a job kind (at module load). Registering another for the same kind is a bug. */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  const existing = handlers.get(kind);
  if (existing && existing !== handler) throw new DuplicateJobHandlerError(`a handler for job kind "${kind}" is already registered`);
  handlers.set(kind, handler);
}

export function jobHandlerFor(kind: string): JobHandler | undefined {
  return handlers.get(kind);
}
