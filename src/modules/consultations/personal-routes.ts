import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { view } from './view.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { DomainError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { signInFirst } from '../account/account-routes.js';
import { pathId } from '../content/shared/ids.js';
import { loadCall } from './access.js';
import { hasSupported, topicDetail } from './calls-queries.js';
import { callState, commentOnTopic, proposeTopic, supportTopic, withdrawSupport } from './calls-service.js';
import { ProposePage, TopicPage } from './pages/call-pages.js';
import { RegistrationPage } from './pages/registration-page.js';
import { pageParam, publicConsultation } from './public-service.js';
import { cancelRegistration, register, registrationState, waitlistPosition } from './registration-service.js';

// Pages that depend on who is looking (rendered fresh, never cached): proposing a topic,
// a topic with the person's own support, and the person's registration.

type IdReq = FastifyRequest<{ Params: { id: string }; Querystring: { page?: string; done?: string } }>;
const kept = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' ? { ...(body as Record<string, unknown>), _csrf: undefined } : {});

export const personalRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  app.get('/consultations/calls/:id/propose', async (req: IdReq, reply) => {
    const call = await loadCall(db(), pathId(req.params.id));
    if (call.published !== 1) throw new NotFoundError();
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(view(ProposePage, { call }));
  });

  app.post('/consultations/calls/:id/topics', async (req: IdReq, reply) => {
    const callId = pathId(req.params.id);
    try {
      const id = await proposeTopic(ctx, req.user, callId, req.body);
      return reply.redirect(`/consultations/topics/${id}?done=proposed`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.page(view(ProposePage, { call: await loadCall(db(), callId), form: { values: kept(req.body), issues: err.issues } }), 400);
    }
  });

  const topicPage = async (req: IdReq, reply: FastifyReply, id: number, form?: { values: Record<string, unknown>; issues: ValidationError['issues'] }) => {
    const page = pageParam(req.query.page);
    const d = await topicDetail(db(), id, page);
    if (!d || d.topic.status === 'hidden' || !d.call || d.call.published !== 1) throw new NotFoundError();
    const user: CurrentUser | null = req.user;
    const notices: Record<string, string> = { proposed: req.t.consultations.doneProposed, supported: req.t.consultations.doneSupported, withdrawn: req.t.consultations.doneWithdrawn, commented: req.t.consultations.doneCommented };
    return reply.page(view(TopicPage, {
      d, state: callState(d.call), page, signedIn: user !== null, supported: user ? await hasSupported(db(), id, user.id) : false,
      mine: user !== null && (await db().selectFrom('consultation_topics').select('proposer_id').where('id', '=', id).executeTakeFirst())?.proposer_id === user.id,
      notice: req.query.done ? notices[req.query.done] ?? null : null, form,
    }), form ? 400 : 200);
  };

  app.get('/consultations/topics/:id', async (req: IdReq, reply) => topicPage(req, reply, pathId(req.params.id)));

  for (const [path, act, done] of [['support', supportTopic, 'supported'], ['withdraw', withdrawSupport, 'withdrawn']] as const) {
    app.post(`/consultations/topics/:id/${path}`, async (req: IdReq, reply) => {
      const id = pathId(req.params.id);
      await act(ctx, req.user, id);
      return reply.redirect(`/consultations/topics/${id}?done=${done}`, 303);
    });
  }

  app.post('/consultations/topics/:id/comments', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await commentOnTopic(ctx, req.user, id, req.body);
      return reply.redirect(`/consultations/topics/${id}?done=commented#comments-title`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return topicPage(req, reply, id, { values: kept(req.body), issues: err.issues });
    }
  });

  const registrationPage = async (req: IdReq, reply: FastifyReply, user: CurrentUser, id: number, o: { notice?: string | null; form?: { values: Record<string, unknown>; issues: ValidationError['issues'] }; status?: number } = {}) => {
    const c = await publicConsultation(db(), id);
    const state = registrationState(c);
    const reg = await db().selectFrom('consultation_registrations').select(['id', 'status', 'checkin_code', 'checked_in_at'])
      .where('consultation_id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
    if (state === 'not_offered' && !reg) throw new NotFoundError();
    const waiting = await db().selectFrom('consultation_registrations').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('consultation_id', '=', id).where('status', '=', 'waitlisted').executeTakeFirstOrThrow();
    const mine = reg ? { status: reg.status, code: reg.checkin_code, checkedInAt: reg.checked_in_at, position: await waitlistPosition(db(), id, reg.id) } : null;
    return reply.page(view(RegistrationPage, { c, state, mine, waitlisted: Number(waiting.n), notice: o.notice, form: o.form }), o.status ?? 200);
  };

  app.get('/consultations/:id/registration', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    await publicConsultation(db(), id);
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const notices: Record<string, string> = { registered: req.t.consultations.doneRegistered, waitlisted: req.t.consultations.doneWaitlisted, cancelled: req.t.consultations.doneCancelled };
    return registrationPage(req, reply, user, id, { notice: req.query.done ? notices[req.query.done] ?? null : null });
  });

  app.post('/consultations/:id/registration', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      const r = await register(ctx, req.user, id, req.body);
      return reply.redirect(`/consultations/${id}/registration?done=${r.status === 'confirmed' ? 'registered' : 'waitlisted'}`, 303);
    } catch (err) {
      if (!req.user || !(err instanceof DomainError) || err.status === 404) throw err;
      const issues = err instanceof ValidationError ? err.issues : [{ field: 'note', message: err.text }];
      return registrationPage(req, reply, req.user, id, { form: { values: kept(req.body), issues }, status: err.status });
    }
  });

  app.post('/consultations/:id/registration/cancel', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    await cancelRegistration(ctx, req.user, id);
    return reply.redirect(`/consultations/${id}/registration?done=cancelled`, 303);
  });
};
