import closeWithGrace from 'close-with-grace';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { buildApp, loggerOptions } from '../app.js';
import { type AppContext, closeContext } from '../context.js';
import { type Background, startBackground } from '../platform/background.js';

/**
 * The shutdown order that cuts nothing half-way: stop taking requests and let those in
 * flight finish, let the worker finish the job in hand, and only then close the database.
 */
export async function shutdown(app: FastifyInstance | null, background: Background, ctx: AppContext): Promise<void> {
  await app?.close();
  await background.stop();
  await closeContext(ctx);
}

/** Listens on the configured address until SIGINT/SIGTERM (then shuts down in order). */
export async function serve(ctx: AppContext): Promise<FastifyInstance> {
  const app = await buildApp(ctx);
  const background = await startBackground(ctx, app.log);
  closeWithGrace({ delay: 20_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await shutdown(app, background, ctx);
  });
  await app.listen({ host: ctx.config.host, port: ctx.config.port });
  return app;
}

/** A logger configured like the web server's, for processes without one. */
export function standaloneLogger(level: string): FastifyBaseLogger {
  return Fastify({ logger: loggerOptions(level) }).log;
}

/** `worker`: only the job loop (and cache signals), e.g. beside web nodes started with XS_WORKER_INLINE=false. */
export async function runWorker(ctx: AppContext): Promise<void> {
  // Modules register their job handlers when their code loads.
  await import('../modules/index.js');
  const log = standaloneLogger(ctx.config.logLevel);
  const background = await startBackground(ctx, log, { worker: true });
  closeWithGrace({ delay: 20_000 }, async ({ err, signal }) => {
    if (err) log.error({ err }, 'worker stopping after an error');
    else log.info({ signal }, 'worker stopping');
    await shutdown(null, background, ctx);
  });
}
