import { sql } from 'kysely';
import { loadavg } from 'node:os';
import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/context.js';
import { findHotspots } from '../src/modules/opinions/analysis/hotspots.js';
import { encodeTexts } from '../src/modules/opinions/analysis/vectors.js';

// The hotspot computation over the last 30 days, in a fresh process as the job worker would
// run it (`npm run bench` starts this as a child and reads the one JSON line it prints).
// First the job's whole run (hotspot-job.ts `runHotspots`: read, tokenize, cluster the
// public opinions and all of them, store both snapshots); then the same steps timed one by
// one, to show where the time goes.

const DAY = 86_400_000;
const ctx = await createContext(loadConfig(process.env, { logLevel: 'warn', workerInline: false }));
const sec = (t: number) => Number(((performance.now() - t) / 1000).toFixed(2));
const cpuMs = (c: NodeJS.CpuUsage) => { const d = process.cpuUsage(c); return Math.round((d.user + d.system) / 1000); };
const load = () => Number(loadavg()[0]!.toFixed(2));
try {
  const db = ctx.database.db;
  const out: Record<string, unknown> = { loadavg1m: { before: load() } };
  // Imported by name at run time: the bench still runs (steps only) where the job is absent.
  const jobModule = '../src/modules/opinions/hotspot-job.js';
  const job = await import(jobModule).catch(() => null) as
    { runHotspots?: (c: typeof ctx) => Promise<{ all: { opinions: number; groups: unknown[] }; public: { opinions: number; groups: unknown[] } }> } | null;
  if (job?.runHotspots) {
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await job.runHotspots(ctx);
    out.job = { seconds: sec(t), cpuMs: cpuMs(c), opinions: r.all.opinions, groups: r.all.groups.length, publicOpinions: r.public.opinions, publicGroups: r.public.groups.length };
  }
  // The steps: the query, tokenizing, clustering all of them (the largest single clustering).
  const since = new Date(Date.now() - 30 * DAY).toISOString();
  let t = performance.now();
  let c = process.cpuUsage();
  const rows = await db.selectFrom('opinions').select(['id', 'title', 'body', 'region_id', 'created_at'])
    .where('created_at', '>=', since).where(sql<string>`status || ''`, 'in', ['accepted', 'replied', 'closed']).orderBy('created_at').orderBy('id').execute();
  const loadSeconds = sec(t); const loadCpuMs = cpuMs(c);
  t = performance.now(); c = process.cpuUsage();
  const ops = rows.map((r) => ({ id: r.id, title: r.title, text: r.body, regionId: r.region_id, createdAt: r.created_at }));
  const terms = encodeTexts(ops).terms.length;
  const tokenizeSeconds = sec(t); const tokenizeCpuMs = cpuMs(c);
  t = performance.now(); c = process.cpuUsage();
  const res = findHotspots(ops);
  out.steps = {
    opinions: rows.length, loadSeconds, loadCpuMs, tokenizeSeconds, tokenizeCpuMs, terms,
    clusterSeconds: sec(t), clusterCpuMs: cpuMs(c), clusterIncludesTokenizing: true, groups: res.groups.length,
  };
  (out.loadavg1m as Record<string, number>).after = load();
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await closeContext(ctx);
}
