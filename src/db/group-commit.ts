import { type RawBuilder, sql } from 'kysely';
import { batchQueue } from './batch-queue.js';
import type { Database, Trx } from './database.js';
import { preparedQuery } from './prepared.js';

/**
 * Group commit: units of work that arrive while a transaction is running wait, then run
 * together in the next transaction, each inside a savepoint of its own. A unit that throws
 * is rolled back to its savepoint and rejected with its own error; the others go on. Every
 * unit resolves only after the transaction holding it has committed (so an acknowledgement
 * given on resolve is durable as far as the database promises), and if the commit fails,
 * every unit of the batch rejects with that error.
 *
 * Why: on SQLite a commit costs far more than the statements of a small write, and there is
 * one writer. Sharing a commit among concurrent writes is what lets one process accept
 * thousands of votes per second (bench/deliberation-votes.ts: ~3,800 votes/s at 50 connections).
 *
 * Units must use only the transaction they are given (no transaction of their own) and must
 * not rely on being alone in it: they see the writes of units before them, as they would
 * after those had committed.
 */
export interface GroupCommitter {
  run<T>(unit: (trx: Trx, batch: Batch) => Promise<T>): Promise<T>;
}

/**
 * What units of one transaction share. `once(key, fn)`: work every unit of the batch needs
 * done but once per transaction (e.g. bump a version counter, ask for a recomputation). It
 * runs after the last unit, before the commit, with how many units that succeeded asked for
 * it; a unit rolled back to its savepoint does not count. If it throws, the batch does not
 * commit.
 */
export interface Batch {
  once(key: string, fn: (trx: Trx, units: number) => Promise<void>): void;
}

/** Collects the `once` work of a batch; `commitUnit`/`dropUnit` after each unit. */
class BatchWork implements Batch {
  private readonly work = new Map<string, { fn: (trx: Trx, units: number) => Promise<void>; units: number }>();
  private pending: Array<[string, (trx: Trx, units: number) => Promise<void>]> = [];
  once(key: string, fn: (trx: Trx, units: number) => Promise<void>): void { this.pending.push([key, fn]); }
  commitUnit(): void {
    for (const [key, fn] of this.pending) {
      const w = this.work.get(key);
      if (w) w.units++;
      else this.work.set(key, { fn, units: 1 });
    }
    this.pending = [];
  }
  dropUnit(): void { this.pending = []; }
  async finish(trx: Trx): Promise<void> {
    for (const w of this.work.values()) await w.fn(trx, w.units);
  }
}

/** One unit alone in its own transaction, its `once` work done at its end. */
export async function runAlone<T>(database: Database, unit: (trx: Trx, batch: Batch) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(async (trx) => {
    const work = new BatchWork();
    const value = await unit(trx, work);
    work.commitUnit();
    await work.finish(trx);
    return value;
  });
}

interface Pending {
  unit: (trx: Trx, batch: Batch) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

// Built once: the statements are the same for every unit (prepared: on SQLite they run on the
// transaction's connection at once, db/prepared.ts).
const fixed = (statement: RawBuilder<unknown>) => preparedQuery(0, (db) => ({ compile: () => statement.compile(db) }));
const SAVEPOINT = fixed(sql`SAVEPOINT xs_unit`);
const RELEASE = fixed(sql`RELEASE SAVEPOINT xs_unit`);
const ROLLBACK_TO = fixed(sql`ROLLBACK TO SAVEPOINT xs_unit`);

export interface GroupCommitOptions {
  maxBatch?: number;
}

export function groupCommitter(database: Database, opts: GroupCommitOptions = {}): GroupCommitter {
  const maxBatch = opts.maxBatch ?? 64;

  async function runBatch(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await database.db.transaction().execute(async (trx) => {
        const work = new BatchWork();
        for (const p of batch) {
          if (batch.length === 1) {
            // Alone: no savepoint needed; its error aborts the transaction as usual.
            outcomes.push({ ok: true, value: await p.unit(trx, work) });
            work.commitUnit();
            continue;
          }
          await SAVEPOINT.execute(trx);
          try {
            const value = await p.unit(trx, work);
            await RELEASE.execute(trx);
            work.commitUnit();
            outcomes.push({ ok: true, value });
          } catch (error) {
            work.dropUnit();
            await ROLLBACK_TO.execute(trx);
            await RELEASE.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
        await work.finish(trx);
      });
    } catch (error) {
      // The transaction did not commit: nothing of this batch was stored.
      batch.forEach((p, i) => {
        const o = outcomes[i];
        p.reject(o && !o.ok ? o.error : error);
      });
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  const push = batchQueue(maxBatch, runBatch);

  return {
    run<T>(unit: (trx: Trx, batch: Batch) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        push({ unit, resolve: resolve as (v: unknown) => void, reject });
      });
    },
  };
}

const committers = new WeakMap<Database, GroupCommitter>();

/** How a database's units of work commit: grouped on SQLite, one transaction each on PostgreSQL. */
export function groupCommitFor(database: Database): GroupCommitter {
  let c = committers.get(database);
  if (!c && database.dialect === 'postgres') {
    // PostgreSQL has many writers and groups WAL flushes of concurrent commits itself; a
    // shared transaction would only add two round trips (savepoints) per unit on one
    // connection. Measured on votes (bench/deliberation-votes.ts, 50 connections): 611
    // votes/s with a transaction each, 455 with group commit. So each unit commits alone.
    c = { run: (unit) => runAlone(database, unit) };
    committers.set(database, c);
  }
  if (!c) {
    c = groupCommitter(database);
    committers.set(database, c);
  }
  return c;
}
