import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/context.js';
import { opinionTokens } from '../src/modules/opinions/analysis/features.js';
import { findHotspots } from '../src/modules/opinions/analysis/hotspots.js';

// The hotspot computation over the last 30 days, in a fresh process as the job worker would
// run it (`npm run bench` starts this as a child and reads the one JSON line it prints).
// First the job's whole run (hotspot-job.ts `runHotspots`: read, tokenize, cluster the
// public opinions and all of them, store both snapshots); then the same steps timed one by
// one, to show where the time goes.

const DAY = 86_400_000;
const ctx = await createContext(loadConfig(process.env, { logLevel: 'warn', workerInline: false }));
const sec = (t: number) => Number(((performance.now() - t) / 1000).toFixed(2));
try {
  const db = ctx.database.db;
  const out: Record<string, unknown> = {};
  // Imported by name at run time: the bench still runs (steps only) where the job is absent.
  const jobModule = '../src/modules/opinions/hotspot-job.js';
  const job = await import(jobModule).catch(() => null) as
    { runHotspots?: (c: typeof ctx) => Promise<{ all: { opinions: number; groups: unknown[] }; public: { opinions: number; groups: unknown[] } }> } | null;
  if (job?.runHotspots) {
    const t = performance.now();
    const r = await job.runHotspots(ctx);
    out.job = { seconds: sec(t), opinions: r.all.opinions, groups: r.all.groups.length, publicOpinions: r.public.opinions, publicGroups: r.public.groups.length };
  }
  // The steps: the query, tokenizing, clustering all of them (the largest single clustering).
  const since = new Date(Date.now() - 30 * DAY).toISOString();
  let t = performance.now();
  const rows = await db.selectFrom('opinions').select(['id', 'title', 'body', 'region_id', 'created_at'])
    .where('created_at', '>=', since).where('status', 'in', ['accepted', 'replied', 'closed']).orderBy('created_at').orderBy('id').execute();
  const load = sec(t);
  t = performance.now();
  const ops = rows.map((r) => ({ id: r.id, title: r.title, text: r.body, regionId: r.region_id, createdAt: r.created_at, tokens: opinionTokens(r.title, r.body) }));
  const tokenize = sec(t);
  t = performance.now();
  const res = findHotspots(ops);
  out.steps = { opinions: rows.length, loadSeconds: load, tokenizeSeconds: tokenize, clusterSeconds: sec(t), groups: res.groups.length };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await closeContext(ctx);
}
