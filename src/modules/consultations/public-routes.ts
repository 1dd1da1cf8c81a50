import type { FastifyPluginAsync } from 'fastify';
import { view } from './view.js';
import { cachedPage } from '../../http/cached-page.js';
import { NotFoundError } from '../../platform/errors.js';
import { pathId } from '../content/shared/ids.js';
import { planYears, plansOf } from './calls-queries.js';
import { CallPage, CallsPage } from './pages/call-pages.js';
import { DetailPage } from './pages/detail-page.js';
import { ListPage } from './pages/list-page.js';
import { PlanPage, PlansIndexPage } from './pages/plan-pages.js';
import { withOutcomeExtras } from './outcome-service.js';
import { browseCalls, browseConsultations, consultationPage, parseListQuery, parseYearParam, planCalendar, publicCall } from './public-service.js';

/** The public side: consultations, calls and plans, all served from the page cache. */
export const publicRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  app.get('/consultations', async (req, reply) => {
    parseListQuery(req.query);
    return cachedPage(ctx, req, reply, async () => view(ListPage, await browseConsultations(db(), req.query, ctx.pageCache)));
  });

  app.get<{ Params: { id: string } }>('/consultations/:id', async (req, reply) => {
    const id = pathId(req.params.id);
    return cachedPage(ctx, req, reply, async () => view(DetailPage, await withOutcomeExtras(db(), await consultationPage(db(), id))));
  });

  // Where an action item's "source" link leads: the recommendation on its consultation's page.
  app.get<{ Params: { id: string } }>('/consultations/recommendations/:id', async (req, reply) => {
    const rec = await db().selectFrom('consultation_recommendations').select(['consultation_id', 'number']).where('id', '=', pathId(req.params.id)).executeTakeFirst();
    if (!rec) throw new NotFoundError();
    return reply.redirect(`/consultations/${rec.consultation_id}#rec-${rec.number}`, 303);
  });

  app.get<{ Querystring: { page?: string } }>('/consultations/calls', async (req, reply) =>
    cachedPage(ctx, req, reply, async () => view(CallsPage, await browseCalls(db(), req.query.page))));

  app.get<{ Params: { id: string }; Querystring: { page?: string } }>('/consultations/calls/:id', async (req, reply) => {
    const id = pathId(req.params.id);
    return cachedPage(ctx, req, reply, async () => view(CallPage, await publicCall(db(), id, req.query.page)));
  });

  app.get('/consultations/plans', async (req, reply) =>
    cachedPage(ctx, req, reply, async () => view(PlansIndexPage, { years: await planYears(db()) })));

  app.get<{ Params: { year: string } }>('/consultations/plans/:year', async (req, reply) => {
    const { year, ics } = parseYearParam(req.params.year);
    if (ics) {
      const host = req.headers.host ?? '';
      const origin = /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? `${req.protocol}://${host}` : null;
      const body = await ctx.pageCache.memo(`consultations:ics:${year}:${req.locale}:${origin}`, () => planCalendar(db(), year, req.t, origin));
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'public, max-age=300')
        .header('content-disposition', `inline; filename="plan-${year}.ics"`).send(body);
    }
    return cachedPage(ctx, req, reply, async () => {
      const plans = await plansOf(db(), { year });
      if (!plans.length) throw new NotFoundError();
      return view(PlanPage, { year, plans });
    });
  });
};
