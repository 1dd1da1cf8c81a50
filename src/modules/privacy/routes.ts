import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { cachedPage } from '../../http/cached-page.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { signInFirst } from '../account/account-routes.js';
import { clearSessionCookie } from '../account/session-cookie.js';
import { holdsPosition } from './erasure.js';
import { collectPersonalData } from './export.js';
import { adminPage } from './pages/admin-page.js';
import { dataPage } from './pages/data-page.js';
import { erasePage, erasedPage } from './pages/erase-page.js';
import { noticePage } from './pages/notice-page.js';
import { decideRequest, eraseSelf, fileErasureRequest, listRequests, myRequests } from './service.js';

function mustUser(req: FastifyRequest): CurrentUser {
  if (!req.user || req.authVia !== 'session') throw new UnauthenticatedError();
  return req.user;
}

const pageOf = (raw: unknown) => (typeof raw === 'string' && /^\d{1,5}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1);
const idOf = (raw: unknown) => {
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new NotFoundError();
  return Number(raw);
};

export const privacy: FastifyPluginAsync = async (app) => {
  const { database } = app.ctx;
  const db = database.db;

  app.get('/privacy', async (req, reply) => cachedPage(app.ctx, req, reply, async () => noticePage()));

  app.get('/account/data', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(dataPage(await collectPersonalData(db, user.id)));
  });

  app.get('/account/data.json', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const data = await collectPersonalData(db, user.id);
    return reply.header('content-disposition', `attachment; filename="personal-data-${user.id}.json"`)
      .header('cache-control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
  });

  const eraseView = async (user: CurrentUser, extra: { filed?: boolean; issues?: ValidationError['issues']; values?: Record<string, unknown> } = {}) =>
    erasePage({
      needsReview: await holdsPosition(db, user.id), requests: await myRequests(db, user.id), filed: Boolean(extra.filed),
      form: extra.issues ? { issues: extra.issues, values: extra.values } : undefined,
    });

  app.get<{ Querystring: { filed?: string } }>('/account/erase', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(await eraseView(user, { filed: req.query.filed === '1' }));
  });

  app.post('/account/erase', async (req, reply) => {
    const user = mustUser(req);
    try {
      if (await holdsPosition(db, user.id)) {
        await fileErasureRequest(database, user, req.body);
        return reply.redirect('/account/erase?filed=1', 303);
      }
      await eraseSelf(database, user, req.body);
      app.ctx.pageCache.invalidate();
      clearSessionCookie(reply, app.ctx.config);
      return reply.redirect('/account/erased', 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { reason } = (req.body ?? {}) as Record<string, unknown>;
      return reply.page(await eraseView(user, { issues: err.issues, values: { reason } }), 400);
    }
  });

  app.get('/account/erased', async (_req, reply) => reply.page(erasedPage()));

  app.get<{ Querystring: { page?: string; done?: string } }>('/admin/privacy', async (req, reply) => {
    const page = pageOf(req.query.page);
    const list = await listRequests(db, req.user, page);
    const done = req.query.done === 'approved' || req.query.done === 'rejected' ? req.query.done : null;
    return reply.page(adminPage({ rows: list.rows, page, pages: list.pages, done }));
  });

  app.post<{ Params: { id: string } }>('/admin/privacy/:id/approve', async (req, reply) => {
    await decideRequest(database, req.user, idOf(req.params.id), 'approve', {});
    app.ctx.pageCache.invalidate();
    return reply.redirect('/admin/privacy?done=approved', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/privacy/:id/reject', async (req, reply) => {
    const id = idOf(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await decideRequest(database, req.user, id, 'reject', { note: body[`note-${id}`] });
      return reply.redirect('/admin/privacy?done=rejected', 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const list = await listRequests(db, req.user, 1);
      const issues = err.issues.map((i) => ({ ...i, field: `note-${id}` }));
      return reply.page(adminPage({ rows: list.rows, page: 1, pages: list.pages, done: null, failed: { id, form: { issues, values: body } } }), 400);
    }
  });
};
