import type { AppContext } from '../../context.js';
import { type Executor, nowIso, sql } from '../../db/database.js';
import { type JobInfo, registerJobHandler } from '../../platform/jobs/registry.js';
import { type ComputeAnswer, computeDeliberation } from './compute.js';
import { computeInThread } from './compute-thread.js';
import type { DbTarget } from './load-votes.js';
import { RECOMPUTE_JOB } from './model.js';
import { STORED_HEAD_CHARS, storedMaxGroups } from './stored-result.js';
import { recomputeKey } from './version.js';

// The job `deliberation.recompute`: after votes arrive (one pending job per deliberation),
// read every current vote, compute the opinion groups and store the result with the version
// and digest of its input. The reading and the math run before the job's transaction (on
// SQLite nothing holds the write lock meanwhile), in a worker thread once the conversation is
// big enough to matter; the transaction only stores the result.

export const recomputeSettings = {
  /** Input version (≈ votes ever cast) from which the math runs in a worker thread. */
  threadFromVersion: 20_000,
  /** Results kept per deliberation (the newest and the one before). */
  keep: 2,
  /** The rest before a run already asked for (`restBeforeNextRun`): as long as the run took, within these bounds. */
  rest: { minMs: 50, maxMs: 10_000 },
};

/**
 * Under a steady stream of votes the next run was asked for while this one ran, and would start
 * at once: the thread would compute without pause, a core taken from answering votes, and a
 * result stored every second or so. So that next run waits as long as this one took (at most
 * `rest.maxMs`): the computing takes at most about half of a core, and a result is at most about
 * twice the run's time behind the votes. A vote after a quiet spell is computed at once (no run
 * was waiting), and runs shorter than `rest.minMs` (small conversations) do not wait.
 */
export async function restBeforeNextRun(trx: Executor, deliberationId: number, ranMs: number, now = Date.now()): Promise<void> {
  const { minMs, maxMs } = recomputeSettings.rest;
  if (!(ranMs >= minMs)) return;
  const at = new Date(now + Math.min(ranMs, maxMs)).toISOString();
  await trx.updateTable('jobs').set({ run_at: at }).where('dedupe_key', '=', recomputeKey(deliberationId))
    .where('status', '=', 'pending').where('run_at', '<', at).execute();
}

export function dbTarget(ctx: AppContext): DbTarget {
  const c = ctx.config;
  if (ctx.database.dialect === 'postgres' && c.databaseUrl) return { kind: 'postgres', url: c.databaseUrl, schema: c.pgSchema ?? null };
  return { kind: 'sqlite', file: c.sqliteFile };
}

interface Latest { id: number; votes_version: number; input_digest: string | null; head: string }

async function latestResult(db: Executor, deliberationId: number): Promise<Latest | undefined> {
  // Only the head of the stored JSON (stored-result.ts `storedMaxGroups`).
  return db.selectFrom('deliberation_results').select(['id', 'votes_version', 'input_digest', sql<string>`substr(data, 1, ${sql.lit(STORED_HEAD_CHARS)})`.as('head')])
    .where('deliberation_id', '=', deliberationId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export type Prepared = { kind: 'current' } | ComputeAnswer;

/** Reads and computes, unless the stored result is already of the current input version. */
export async function prepareRecompute(ctx: AppContext, deliberationId: number, opts: { thread?: boolean } = {}): Promise<Prepared> {
  const db = ctx.database.db;
  const d = await db.selectFrom('deliberations').select(['votes_version']).where('id', '=', deliberationId).executeTakeFirst();
  if (!d) return { kind: 'missing' };
  const last = await latestResult(db, deliberationId);
  if (last && last.votes_version >= d.votes_version) return { kind: 'current' };
  const previous = { digest: last?.input_digest ?? null, maxGroups: last ? storedMaxGroups(last.head) : null };
  const thread = opts.thread ?? d.votes_version >= recomputeSettings.threadFromVersion;
  const request = { target: dbTarget(ctx), deliberationId, previous };
  return thread ? computeInThread(request) : computeDeliberation(request);
}

/** Stores what `prepareRecompute` computed; true when a new result was stored. */
export async function storeRecompute(trx: Executor, deliberationId: number, p: Prepared): Promise<boolean> {
  if (p.kind !== 'computed' && p.kind !== 'unchanged') return false;
  const last = await trx.selectFrom('deliberation_results').select(['id', 'votes_version'])
    .where('deliberation_id', '=', deliberationId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  // Another run stored a newer input meanwhile.
  if (last && last.votes_version >= p.votesVersion) return false;
  if (p.kind === 'unchanged') {
    if (last) await trx.updateTable('deliberation_results').set({ votes_version: p.votesVersion }).where('id', '=', last.id).execute();
    return false;
  }
  await trx.insertInto('deliberation_results').values({
    deliberation_id: deliberationId, votes_version: p.votesVersion, data: p.data, computed_at: nowIso(),
    input_digest: p.digest, participant_groups: p.groups,
  }).execute();
  if (last) {
    const older = await trx.selectFrom('deliberation_results').select('id').where('deliberation_id', '=', deliberationId)
      .orderBy('id', 'desc').offset(recomputeSettings.keep - 1).limit(1).executeTakeFirst();
    if (older) await trx.deleteFrom('deliberation_results').where('deliberation_id', '=', deliberationId).where('id', '<', older.id).execute();
  }
  return true;
}

/** Computes and stores now, outside the job queue (the CLI, tests). */
export async function recomputeNow(ctx: AppContext, deliberationId: number, opts: { thread?: boolean } = {}): Promise<Prepared> {
  const p = await prepareRecompute(ctx, deliberationId, opts);
  const stored = await ctx.database.db.transaction().execute((trx) => storeRecompute(trx, deliberationId, p));
  if (stored) ctx.pageCache.invalidate();
  return p;
}

function payloadId(payload: unknown): number | null {
  const id = (payload as { deliberationId?: unknown } | null)?.deliberationId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

registerJobHandler(RECOMPUTE_JOB, async (ctx: AppContext, payload: unknown, trx, job: JobInfo) => {
  if (job.prepareError) throw job.prepareError;
  const id = payloadId(payload);
  const p = job.prepared as Prepared | undefined;
  if (id === null || !p) return;
  const started = performance.now();
  if (await storeRecompute(trx, id, p)) job.afterCommit(() => ctx.pageCache.invalidate());
  if (p.kind === 'computed' || p.kind === 'unchanged') await restBeforeNextRun(trx, id, p.loadMs + p.mathMs);
  const measured = p.kind === 'computed' || p.kind === 'unchanged'
    ? {
      version: p.votesVersion, delta: p.delta, loadMs: Math.round(p.loadMs), mathMs: Math.round(p.mathMs), storeMs: Math.round(performance.now() - started),
      bytes: p.kind === 'computed' ? p.data.length + p.groups.length : 0, stagesMs: Object.fromEntries(Object.entries(p.stagesMs).map(([k, v]) => [k, Math.round(v)])),
    }
    : {};
  job.log.info({ deliberationId: id, kind: p.kind, ...measured }, 'deliberation recomputed');
}, {
  beforeTransaction: async (ctx: AppContext, payload: unknown, job: JobInfo) => {
    const id = payloadId(payload);
    if (id === null) return undefined;
    // Give the dedupe key up first: a vote from now on asks for a run of its own (this one
    // may read before it), so there is at most one pending run besides this one.
    await ctx.database.db.updateTable('jobs').set({ dedupe_key: null }).where('id', '=', job.id).execute();
    job.log.info({ deliberationId: id }, 'deliberation recompute started');
    return prepareRecompute(ctx, id);
  },
});
