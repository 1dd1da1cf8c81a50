import type { FastifyPluginAsync } from 'fastify';
import { ValidationError } from '../../../platform/errors.js';
import { parseId, parsePage } from '../access.js';
import { doneOf, formValues, view } from '../form.js';
import { jobState, listSms } from '../outbox/service.js';
import { OutboxPage } from '../outbox/page.js';
import { TokensPage } from './page.js';
import { issueToken, listTokens, revokeToken } from './service.js';

export const opsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  app.get<{ Querystring: { page?: string; user?: string } }>('/admin/tokens', async (req, reply) => {
    const page = parsePage(req.query.page);
    const list = await listTokens(db, req.user, page);
    const user = typeof req.query.user === 'string' && /^\d{1,9}$/.test(req.query.user) ? req.query.user : '';
    return reply.page(view(TokensPage, { ...list, page, form: { values: { userId: user } }, issued: null, done: doneOf(req) }));
  });
  // The new token is rendered in the response itself (never stored, never in a URL).
  app.post('/admin/tokens', async (req, reply) => {
    const values = formValues(req.body);
    try {
      const { token } = await issueToken(ctx, req.user, values);
      const list = await listTokens(db, req.user, 1);
      return reply.page(view(TokensPage, { ...list, page: 1, form: { values: {} }, issued: { token, name: String(values.name ?? '') }, done: null }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const list = await listTokens(db, req.user, 1);
      return reply.page(view(TokensPage, { ...list, page: 1, form: { values, issues: err.issues }, issued: null, done: null }), 400);
    }
  });
  app.post<{ Params: { id: string } }>('/admin/tokens/:id/revoke', async (req, reply) => {
    await revokeToken(ctx, req.user, parseId(req.params.id));
    return reply.redirect('/admin/tokens?done=revoked', 303);
  });

  app.get<{ Querystring: { page?: string } }>('/admin/outbox', async (req, reply) => {
    const page = parsePage(req.query.page);
    const sms = await listSms(db, req.user, page);
    return reply.page(view(OutboxPage, { sms: sms.rows, page, pages: sms.pages, jobs: await jobState(db, req.user) }));
  });
};
