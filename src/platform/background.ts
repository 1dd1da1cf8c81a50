import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { AppContext } from '../context.js';
import { kickPeriodicJobs } from './jobs/registry.js';
import { JobWorker } from './jobs/worker.js';
import { closeTransports } from './notify/smtp.js';

export interface Background {
  stop(): Promise<void>;
}

export const CACHE_CHANNEL = 'xs_cache';

/**
 * Starts what runs beside the web server in this process: the job worker (when
 * `workerInline`) and, on PostgreSQL, the page-cache signal between app nodes.
 * `stop()` lets the worker finish the job in hand before anything closes.
 */
export async function startBackground(ctx: AppContext, log: FastifyBaseLogger, opts: { worker?: boolean } = {}): Promise<Background> {
  const stops: Array<() => Promise<void>> = [];
  if (ctx.database.dialect === 'postgres' && ctx.config.databaseUrl) stops.push(await startCacheSignals(ctx, log));
  if (opts.worker ?? ctx.config.workerInline) {
    await kickPeriodicJobs(ctx.database.db);
    const worker = new JobWorker(ctx, { log });
    worker.start();
    log.info({ worker: worker.id }, 'job worker started');
    stops.push(() => worker.stop());
  }
  return {
    async stop() {
      for (const s of stops.reverse()) await s();
      closeTransports();
    },
  };
}

/**
 * Every node clears its page cache when any node invalidates: `invalidate()` here sends
 * NOTIFY, and a dedicated connection LISTENs (reconnecting if it drops). The payload
 * names the schema, so deployments sharing a database don't clear each other's caches.
 */
async function startCacheSignals(ctx: AppContext, log: FastifyBaseLogger): Promise<() => Promise<void>> {
  const self = randomBytes(6).toString('hex');
  const schema = ctx.config.pgSchema ?? 'public';
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: ctx.config.databaseUrl });
    c.on('error', (err) => {
      log.warn({ err }, 'page-cache listener lost its connection');
      void c.end().catch(() => {});
      if (client === c) client = null;
      if (!stopped) retry = setTimeout(() => void connect().catch(onConnectError), 1000);
    });
    c.on('notification', (msg) => {
      if (msg.channel !== CACHE_CHANNEL || !msg.payload) return;
      const [s, from] = msg.payload.split(':');
      if (s === schema && from !== self) ctx.pageCache.clearLocal();
    });
    await c.connect();
    await c.query(`LISTEN ${CACHE_CHANNEL}`);
    client = c;
    // Anything cached while we were not listening may be stale.
    ctx.pageCache.clearLocal();
  };
  const onConnectError = (err: unknown) => {
    log.warn({ err }, 'page-cache listener could not connect; retrying');
    if (!stopped) retry = setTimeout(() => void connect().catch(onConnectError), 5000);
  };
  await connect();

  ctx.pageCache.onInvalidate(() => {
    if (stopped || !ctx.database.pool) return;
    ctx.database.pool.query('SELECT pg_notify($1, $2)', [CACHE_CHANNEL, `${schema}:${self}`])
      .catch((err: unknown) => log.warn({ err }, 'could not signal page-cache invalidation'));
  });

  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
    client = null;
  };
}
