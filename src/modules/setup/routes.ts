import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { wantsJson } from '../../http/errors.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { setSessionCookie } from '../account/session-cookie.js';
import { setupPage } from './pages/setup-page.js';
import { isSetupDone, runSetup } from './service.js';

// Paths that work before set-up: the set-up page itself, assets, health, the API, and the
// language switch (so set-up can be done in English).
const OPEN = /^\/(?:setup|healthz|prefs)(?:[/?]|$)|^\/(?:assets|api)\//;

function needsRedirect(req: FastifyRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !OPEN.test(req.url) && !wantsJson(req);
}

const routes: FastifyPluginAsync = async (app) => {
  const database = app.ctx.database;
  // Once set-up is done it never comes undone, so stop asking the database.
  let done = false;
  const setupDone = async () => (done ||= await isSetupDone(database));

  app.addHook('onRequest', async (req, reply) => {
    if (!needsRedirect(req) || (await setupDone())) return;
    return reply.redirect('/setup', 303);
  });

  app.get('/setup', async (_req, reply) => {
    if (await setupDone()) throw new NotFoundError();
    return reply.page(setupPage());
  });

  app.post('/setup', {
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    if (await setupDone()) throw new NotFoundError();
    try {
      const { sessionToken } = await runSetup(database, req.body);
      done = true;
      setSessionCookie(reply, app.ctx.config, sessionToken);
      return reply.redirect('/admin', 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { password: _p, passwordConfirm: _c, _csrf, ...values } = (req.body ?? {}) as Record<string, unknown>;
      return reply.page(setupPage({ values, issues: err.issues }), 400);
    }
  });
};

/** First-run set-up; registered without encapsulation so its redirect covers every route. */
export const setup = fp(routes, { name: 'xs-setup' });
