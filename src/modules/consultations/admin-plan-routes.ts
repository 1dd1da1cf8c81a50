import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { view } from './view.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { signInFirst } from '../account/account-routes.js';
import { pathId } from '../content/shared/ids.js';
import { assertManageAny, loadCall, manageableBodies } from './access.js';
import { editorOptions } from './admin-queries.js';
import { type Form, doneNotice, kept, managerBodies } from './admin-routes.js';
import { TOPICS_SIZE, callTopics, plansOf, topicDetail } from './calls-queries.js';
import { type TopicModeration, callState, closeCall, loadTopic, moderateTopic, saveCall } from './calls-service.js';
import { CallEditorPage, PlanEditorPage, TopicAdminPage } from './pages/admin-calls.js';
import { addPlanItem, loadPlan, removePlanItem, savePlan, selectTopic } from './plans-service.js';
import { pageParam } from './public-service.js';

// The organisers' pages for topic calls (and the topics they collect) and annual plans.

type IdReq = FastifyRequest<{ Params: { id: string }; Querystring: { page?: string; done?: string } }>;

export const adminPlanRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;
  const options = async (user: CurrentUser) => editorOptions(db(), await manageableBodies(db(), user));

  const callEditor = async (req: IdReq, reply: FastifyReply, user: CurrentUser, id: number | null, o: { form?: Form; status?: number } = {}) => {
    const opts = await options(user);
    if (id === null) return reply.page(view(CallEditorPage, { call: null, state: null, options: opts, form: o.form ?? { values: {} }, topics: [], total: 0, page: 1, pages: 1 }), o.status ?? 200);
    const call = await loadCall(db(), id);
    await assertManageAny(db(), user, [call.body_id]);
    const page = pageParam(req.query.page);
    const { total, items } = await callTopics(db(), id, page, { includeHidden: true, bySupport: true });
    const values = { bodyId: call.body_id, title: call.title, description: call.description, opensOn: call.opens_on, closesOn: call.closes_on, planYear: call.plan_year, published: call.published === 1 };
    return reply.page(view(CallEditorPage, {
      call, state: callState(call), options: opts, form: o.form ?? { values }, topics: items, total, page, pages: Math.max(1, Math.ceil(total / TOPICS_SIZE)), notice: doneNotice(req),
    }), o.status ?? 200);
  };

  const saveCallRoute = async (req: IdReq, reply: FastifyReply, id: number | null) => {
    try {
      const saved = await saveCall(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/calls/${saved}?done=saved`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return callEditor(req, reply, req.user, id, { form: { values: kept(req.body), issues: err.issues }, status: 400 });
    }
  };

  app.get('/admin/consultations/calls/new', async (req: IdReq, reply) => {
    const mgr = await managerBodies(req, reply);
    return mgr ? callEditor(req, reply, mgr.user, null) : reply;
  });
  app.post('/admin/consultations/calls', (req: IdReq, reply) => saveCallRoute(req, reply, null));
  app.get('/admin/consultations/calls/:id', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? callEditor(req, reply, user, id) : reply;
  });
  app.post('/admin/consultations/calls/:id', (req: IdReq, reply) => saveCallRoute(req, reply, pathId(req.params.id)));
  app.post('/admin/consultations/calls/:id/close', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    await closeCall(ctx, req.user, id);
    return reply.redirect(`/admin/consultations/calls/${id}?done=closed`, 303);
  });

  const topicPage = async (req: IdReq, reply: FastifyReply, user: CurrentUser, id: number, o: { selectForm?: Form; moderateForm?: Form; status?: number } = {}) => {
    const topic = await loadTopic(db(), id);
    await assertManageAny(db(), user, [topic.body_id]);
    const d = await topicDetail(db(), id, 1);
    if (!d) throw new NotFoundError();
    return reply.page(view(TopicAdminPage, {
      d, callStateNow: d.call ? callState(d.call) : null, options: await options(user), selectForm: o.selectForm ?? { values: { leadBodyId: topic.body_id } }, moderateForm: o.moderateForm ?? { values: {} }, notice: doneNotice(req),
    }), o.status ?? 200);
  };

  app.get('/admin/consultations/topics/:id', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? topicPage(req, reply, user, id) : reply;
  });

  app.post('/admin/consultations/topics/:id/select', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await selectTopic(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/topics/${id}?done=selected`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return topicPage(req, reply, req.user, id, { selectForm: { values: kept(req.body), issues: err.issues }, status: 400 });
    }
  });

  app.post('/admin/consultations/topics/:id/moderate', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const body = kept(req.body);
    const action = ['hide', 'decline', 'restore'].includes(String(body.action)) ? (body.action as TopicModeration) : null;
    try {
      if (!action) throw new ValidationError([{ field: 'action', message: (t) => t.common.errInvalidChoice(t.consultations.fModeration) }]);
      await moderateTopic(ctx, req.user, id, action, body);
      return reply.redirect(`/admin/consultations/topics/${id}?done=moderated`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return topicPage(req, reply, req.user, id, { moderateForm: { values: body, issues: err.issues }, status: 400 });
    }
  });

  const planEditor = async (req: IdReq, reply: FastifyReply, user: CurrentUser, id: number | null, o: { form?: Form; itemForm?: Form; status?: number } = {}) => {
    const opts = await options(user);
    if (id === null) return reply.page(view(PlanEditorPage, { plan: null, options: opts, form: o.form ?? { values: { year: new Date().getFullYear() + 1 } } }), o.status ?? 200);
    const row = await loadPlan(db(), id);
    await assertManageAny(db(), user, [row.body_id]);
    const [plan] = await plansOf(db(), { planId: id });
    const values = { bodyId: row.body_id, year: row.year, title: row.title, intro: row.intro, published: row.status === 'published' };
    return reply.page(view(PlanEditorPage, { plan: plan ?? null, options: opts, form: o.form ?? { values }, itemForm: o.itemForm, notice: doneNotice(req) }), o.status ?? 200);
  };

  const savePlanRoute = async (req: IdReq, reply: FastifyReply, id: number | null) => {
    try {
      const saved = await savePlan(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/plans/${saved}?done=saved`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return planEditor(req, reply, req.user, id, { form: { values: kept(req.body), issues: err.issues }, status: 400 });
    }
  };

  app.get('/admin/consultations/plans/new', async (req: IdReq, reply) => {
    const mgr = await managerBodies(req, reply);
    return mgr ? planEditor(req, reply, mgr.user, null) : reply;
  });
  app.post('/admin/consultations/plans', (req: IdReq, reply) => savePlanRoute(req, reply, null));
  app.get('/admin/consultations/plans/:id', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? planEditor(req, reply, user, id) : reply;
  });
  app.post('/admin/consultations/plans/:id', (req: IdReq, reply) => savePlanRoute(req, reply, pathId(req.params.id)));

  app.post('/admin/consultations/plans/:id/items', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await addPlanItem(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/plans/${id}?done=saved#items-title`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return planEditor(req, reply, req.user, id, { itemForm: { values: kept(req.body), issues: err.issues }, status: 400 });
    }
  });

  app.post('/admin/consultations/plan-items/:id/delete', async (req: IdReq, reply) => {
    const planId = await removePlanItem(ctx, req.user, pathId(req.params.id));
    return reply.redirect(`/admin/consultations/plans/${planId}?done=removed#items-title`, 303);
  });
};
