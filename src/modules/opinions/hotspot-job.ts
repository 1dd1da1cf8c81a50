import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { sql } from 'kysely';
import { enqueueNextRun, registerJobHandler, registerPeriodicJob } from '../../platform/jobs/registry.js';
import { type Hotspot, type HotspotOpinion, type PreviousGroup, findHotspots } from './analysis/hotspots.js';
import { answerInThread, inThread } from './public-thread.js';

// Hotspots (热点): every 15 minutes the last 30 days' accepted opinions are grouped by the
// similarity of their text (analysis/hotspots.ts) twice — the public ones alone, for the
// public page, and all of them, for staff — and each result is stored as a snapshot. Pages
// read the latest snapshot; they never cluster on a request.

export const HOTSPOT_JOB = 'opinions.hotspots';
export const HOTSPOT_EVERY_MS = 15 * 60_000;
export const HOTSPOT_WINDOW_DAYS = 30;
export type HotspotScope = 'public' | 'all';
/** Snapshots kept per scope (older ones are deleted when a new one is stored). */
const KEEP = 4;
/** Opinions listed per group in a snapshot (a group's "see all" list shows these, newest first). */
const MEMBERS_KEPT = 2000;
/** Accepted or later, and not taken out of the handling (declined, withdrawn, merged). */
const STATUSES = ['accepted', 'replied', 'closed'] as const;

export interface SnapshotGroup {
  key: string; size: number; labelTerms: string[]; representativeIds: number[]; memberIds: number[];
  regions: { regionId: number | null; count: number }[]; firstAt: string; lastAt: string;
}
export interface HotspotSnapshot {
  scope: HotspotScope; computedAt: string; windowFrom: string;
  /** Opinions looked at, and those in no group. */
  opinions: number; unclustered: number;
  groups: SnapshotGroup[];
  /** Changes only when the groups do: a new snapshot with the same fingerprint needs no page refresh. */
  fingerprint: string;
}

interface Row { id: number; title: string; text: string; regionId: number | null; createdAt: string; isPublic: boolean }

async function loadRecent(db: Executor, since: string): Promise<Row[]> {
  const rows = await db.selectFrom('opinions')
    .select(['id', 'title', 'body', 'region_id', 'created_at', 'public_visible'])
    // `status || ''`: walk the 30 days by the creation-time index; a status index would
    // read every closed opinion of all time (SQLite has no statistics to know better).
    .where('created_at', '>=', since).where(sql<string>`status || ''`, 'in', STATUSES)
    .orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, title: r.title, text: r.body, regionId: r.region_id, createdAt: r.created_at, isPublic: r.public_visible === 1 }));
}

function snapshotOf(scope: HotspotScope, now: Date, since: string, ops: HotspotOpinion[], previous: PreviousGroup[]): HotspotSnapshot {
  const result = findHotspots(ops, {}, previous);
  const groups: SnapshotGroup[] = result.groups.map((g: Hotspot) => ({
    key: g.key, size: g.size, labelTerms: g.labelTerms,
    representativeIds: g.representativeIds.map(Number),
    memberIds: g.memberIds.map(Number).sort((a, b) => b - a).slice(0, MEMBERS_KEPT),
    regions: g.regions.map((r) => ({ regionId: r.regionId === null ? null : Number(r.regionId), count: r.count })),
    firstAt: g.firstAt, lastAt: g.lastAt,
  }));
  const fingerprint = createHash('sha256').update(JSON.stringify(groups)).digest('base64url').slice(0, 22);
  return { scope, computedAt: now.toISOString(), windowFrom: since, opinions: ops.length, unclustered: result.unclustered, groups, fingerprint };
}

type Snapshots = { public: HotspotSnapshot; all: HotspotSnapshot };

type Previous = Record<HotspotScope, PreviousGroup[]>;

/**
 * Both snapshots (the public one from public opinions only: nothing private shapes what the
 * public sees). A group continuing one of the previous run keeps its key, so links to it last.
 */
function buildSnapshots(rows: Row[], now: Date, since: string, previous: Previous): Snapshots {
  // findHotspots tokenizes the texts itself, straight to token ids (~0.2 s of CPU at 40,000).
  return {
    all: snapshotOf('all', now, since, rows, previous.all),
    public: snapshotOf('public', now, since, rows.filter((o) => o.isPublic), previous.public),
  };
}

/**
 * Reads the window's opinions and groups them. With `thread` the tokenizing and clustering
 * (about 2 s of CPU at 40,000 opinions) run in a worker thread, so the web server sharing
 * this process keeps answering; the CLI and tests may run it here.
 */
export async function computeHotspots(db: Executor, now: Date = new Date(), opts: { thread?: boolean } = {}): Promise<Snapshots> {
  const since = new Date(now.getTime() - HOTSPOT_WINDOW_DAYS * 86_400_000).toISOString();
  const [rows, lastPublic, lastAll] = await Promise.all([loadRecent(db, since), latestSnapshot(db, 'public'), latestSnapshot(db, 'all')]);
  const groups = (s: HotspotSnapshot | null) => (s?.groups ?? []).map((g) => ({ key: g.key, memberIds: g.memberIds }));
  const previous: Previous = { public: groups(lastPublic), all: groups(lastAll) };
  return opts.thread
    ? inThread<Snapshots>(import.meta.url, HOTSPOT_JOB, { rows, now: now.toISOString(), since, previous })
    : buildSnapshots(rows, now, since, previous);
}

export async function latestSnapshot(db: Executor, scope: HotspotScope): Promise<HotspotSnapshot | null> {
  const row = await db.selectFrom('hotspot_snapshots').select('data').where('scope', '=', scope)
    .orderBy('computed_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? (JSON.parse(row.data) as HotspotSnapshot) : null;
}

/** Stores both snapshots and drops old ones; true when the public groups changed. */
export async function storeSnapshots(db: Executor, s: { public: HotspotSnapshot; all: HotspotSnapshot }): Promise<boolean> {
  const before = await latestSnapshot(db, 'public');
  for (const snap of [s.public, s.all]) {
    await db.insertInto('hotspot_snapshots').values({ scope: snap.scope, computed_at: snap.computedAt, data: JSON.stringify(snap) }).execute();
    const keep = await db.selectFrom('hotspot_snapshots').select('computed_at').where('scope', '=', snap.scope)
      .orderBy('computed_at', 'desc').offset(KEEP - 1).limit(1).executeTakeFirst();
    if (keep) await db.deleteFrom('hotspot_snapshots').where('scope', '=', snap.scope).where('computed_at', '<', keep.computed_at).execute();
  }
  return before?.fingerprint !== s.public.fingerprint;
}

/** Computes and stores now (the CLI's `hotspots`); clears public pages when the public groups changed. */
export async function runHotspots(ctx: AppContext, now: Date = new Date()): Promise<{ public: HotspotSnapshot; all: HotspotSnapshot; changed: boolean }> {
  const s = await computeHotspots(ctx.database.db, now);
  const changed = await ctx.database.db.transaction().execute((trx) => storeSnapshots(trx, s));
  if (changed) ctx.pageCache.invalidate();
  return { ...s, changed };
}

registerPeriodicJob(HOTSPOT_JOB, HOTSPOT_EVERY_MS);
registerJobHandler(HOTSPOT_JOB, async (ctx, _payload, trx, job) => {
  // The reading and clustering ran before the transaction (about 2 s at 40,000 opinions),
  // so the write lock is held only for the two inserts.
  if (job.prepareError) throw job.prepareError;
  const s = job.prepared as { public: HotspotSnapshot; all: HotspotSnapshot };
  const changed = await storeSnapshots(trx, s);
  await enqueueNextRun(trx, HOTSPOT_JOB, HOTSPOT_EVERY_MS, new Date());
  await trx.deleteFrom('jobs').where('kind', '=', HOTSPOT_JOB).where('status', '=', 'done')
    .where('run_at', '<', new Date(Date.now() - 86_400_000).toISOString()).execute();
  if (changed) job.afterCommit(() => ctx.pageCache.invalidate());
  job.log.info({ public: s.public.groups.length, all: s.all.groups.length, opinions: s.all.opinions }, 'hotspots computed');
}, { beforeTransaction: (ctx) => computeHotspots(ctx.database.db, new Date(), { thread: true }) });

answerInThread(HOTSPOT_JOB, (d: { rows: Row[]; now: string; since: string; previous: Previous }) => buildSnapshots(d.rows, new Date(d.now), d.since, d.previous));
