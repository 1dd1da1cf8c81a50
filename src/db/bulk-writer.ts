import { batchQueue } from './batch-queue.js';
import type { Database, Executor } from './database.js';

/**
 * Bulk writes: items that arrive while a transaction is running wait, then are written together
 * in the next transaction by one call of `writeAll` — which can use multi-row statements, so a
 * batch of 64 costs a handful of statements instead of 64 times a handful. On PostgreSQL every
 * statement is a round trip on the batch's one connection, so this is what lets that connection
 * keep up with thousands of small writes a second.
 *
 * Every item resolves only after the transaction holding it has committed. If a batch fails (a
 * constraint, a deadlock, the commit), nothing of it is stored, and each of its items is written
 * again alone, in a transaction of its own, and answered from that: the one bad item rejects
 * with its own error, the others are stored once. So `writeAll` must have no effect outside its
 * transaction, and items must rarely fail (a failure costs the batch a second, serial pass).
 */
export interface BulkWriter<T> {
  write(item: T): Promise<void>;
}

interface Pending<T> { item: T; resolve: () => void; reject: (e: unknown) => void }

export interface BulkWriterOptions {
  maxBatch?: number;
  /**
   * False when `writeAll` is one statement, atomic by itself (PostgreSQL runs it in a
   * transaction of its own): it then runs on the database, saving the BEGIN and COMMIT round
   * trips. A `writeAll` that throws after its statement ran may leave only what writing its
   * items again does not double (the items are then retried one by one, as above).
   */
  transaction?: boolean;
}

export function bulkWriter<T>(database: Database, writeAll: (db: Executor, items: T[]) => Promise<void>, opts: BulkWriterOptions = {}): BulkWriter<T> {
  const maxBatch = opts.maxBatch ?? 64;

  const commit = opts.transaction === false
    ? (items: T[]) => writeAll(database.db, items)
    : (items: T[]) => database.db.transaction().execute((trx) => writeAll(trx, items));

  async function runBatch(batch: Array<Pending<T>>): Promise<void> {
    try {
      await commit(batch.map((p) => p.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const p of batch) await commit([p.item]).then(p.resolve, p.reject);
      return;
    }
    for (const p of batch) p.resolve();
  }

  const push = batchQueue(maxBatch, runBatch);

  return {
    write(item: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        push({ item, resolve, reject });
      });
    },
  };
}
