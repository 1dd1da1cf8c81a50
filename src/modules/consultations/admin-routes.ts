import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { view } from './view.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { DomainError, ForbiddenError, ValidationError } from '../../platform/errors.js';
import { signInFirst } from '../account/account-routes.js';
import { pathId } from '../content/shared/ids.js';
import { holdingBodyIds, managedConsultation, manageableBodies } from './access.js';
import { ADMIN_SIZE, REGISTRATIONS_SIZE, editorOptions, managedCalls, managedConsultations, managedPlans, registrationList } from './admin-queries.js';
import { addParticipant, moveStage, removeParticipant, saveConsultation } from './consultations-service.js';
import { publishOutcome } from './outcome-publish.js';
import { saveOutcome } from './outcome-service.js';
import { AdminHomePage } from './pages/admin-home.js';
import { EditorPage, valuesOf } from './pages/admin-editor.js';
import { CheckinPage, OutcomePage, RegistrationsPage } from './pages/admin-meeting.js';
import { pageParam } from './public-service.js';
import { consultationDetail } from './queries.js';
import { checkIn } from './registration-service.js';

// The organisers' pages for consultations: list, editor, stage, participants,
// registrations, sign-in desk and outcome. Services check every permission again.

export type IdReq = FastifyRequest<{ Params: { id: string; pid?: string }; Querystring: { page?: string; done?: string } }>;
export type Form = { values: Record<string, unknown>; issues?: ValidationError['issues'] };
export const kept = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' ? { ...(body as Record<string, unknown>), _csrf: undefined } : {});

/** A manager's bodies, or a sign-in redirect (anonymous) / 403 (nothing to manage). */
export async function managerBodies(req: FastifyRequest, reply: FastifyReply) {
  const user = signInFirst(req, reply);
  if (!user) return null;
  const bodies = await manageableBodies(req.server.ctx.database.db, user);
  if (!bodies.length) throw new ForbiddenError();
  return { user, bodies };
}

export function doneNotice(req: FastifyRequest<{ Querystring: { done?: string } }>): string | null {
  const m = req.t.consultations;
  const map: Record<string, string> = { saved: m.doneSaved, stage: m.doneStage, participant: m.doneParticipant, removed: m.doneRemoved, published: m.donePublished, closed: m.doneClosed, selected: m.doneSelected, moderated: m.doneModerated };
  return req.query.done ? map[req.query.done] ?? null : null;
}

/** The consultation editor, fresh or with a form's values and problems kept. */
export async function renderEditor(req: IdReq, reply: FastifyReply, user: CurrentUser, id: number | null, o: { form?: Form; participantForm?: Form; prepForm?: Form; status?: number } = {}) {
  const db = req.server.ctx.database.db;
  const options = await editorOptions(db, await manageableBodies(db, user));
  if (id === null) {
    return reply.page(view(EditorPage, { c: null, options, participants: [], materials: [], research: [], form: o.form ?? { values: { isPublic: true, mode: 'in_person' } } }), o.status ?? 200);
  }
  const { c } = await managedConsultation(db, user, id);
  const d = await consultationDetail(db, c);
  const joint = (await holdingBodyIds(db, id)).filter((b) => b !== c.lead_body_id);
  return reply.page(view(EditorPage, {
    c, options, participants: d.participants, materials: d.materials, research: d.research, form: o.form ?? { values: valuesOf(c, joint) },
    participantForm: o.participantForm, prepForm: o.prepForm, notice: doneNotice(req),
  }), o.status ?? 200);
}

export const adminRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  app.get('/admin/consultations', async (req: IdReq, reply) => {
    const mgr = await managerBodies(req, reply);
    if (!mgr) return reply;
    const ids = mgr.bodies.map((b) => b.id);
    const page = pageParam(req.query.page);
    const [list, calls, plans] = await Promise.all([managedConsultations(db(), ids, page), managedCalls(db(), ids), managedPlans(db(), ids)]);
    return reply.page(view(AdminHomePage, { consultations: list.items, total: list.total, page, pages: Math.max(1, Math.ceil(list.total / ADMIN_SIZE)), calls, plans }));
  });

  app.get('/admin/consultations/new', async (req: IdReq, reply) => {
    const mgr = await managerBodies(req, reply);
    return mgr ? renderEditor(req, reply, mgr.user, null) : reply;
  });

  const save = async (req: IdReq, reply: FastifyReply, id: number | null) => {
    try {
      const saved = await saveConsultation(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/${saved}?done=saved`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return renderEditor(req, reply, req.user, id, { form: { values: kept(req.body), issues: err.issues }, status: 400 });
    }
  };
  app.post('/admin/consultations', (req: IdReq, reply) => save(req, reply, null));

  app.get('/admin/consultations/:id', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? renderEditor(req, reply, user, id) : reply;
  });
  app.post('/admin/consultations/:id', (req: IdReq, reply) => save(req, reply, pathId(req.params.id)));

  app.post('/admin/consultations/:id/stage', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    await moveStage(ctx, req.user, id, req.body);
    return reply.redirect(`/admin/consultations/${id}?done=stage`, 303);
  });

  app.post('/admin/consultations/:id/participants', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await addParticipant(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/${id}?done=participant#participants-title`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || !req.user || err.status === 404 || err.status === 403 || err.status === 401) throw err;
      const issues = err instanceof ValidationError ? err.issues : [{ field: 'kind', message: err.text }];
      return renderEditor(req, reply, req.user, id, { participantForm: { values: kept(req.body), issues }, status: err.status });
    }
  });

  app.post('/admin/consultations/:id/participants/:pid/delete', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    await removeParticipant(ctx, req.user, id, pathId(req.params.pid));
    return reply.redirect(`/admin/consultations/${id}?done=removed#participants-title`, 303);
  });

  app.get('/admin/consultations/:id/registrations', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    if (!user) return reply;
    const { c } = await managedConsultation(db(), user, id);
    const page = pageParam(req.query.page);
    const { total, items } = await registrationList(db(), id, page);
    return reply.page(view(RegistrationsPage, { c, items, total, page, pages: Math.max(1, Math.ceil(total / REGISTRATIONS_SIZE)) }));
  });

  const checkinPage = async (req: IdReq, reply: FastifyReply, user: CurrentUser, id: number, o: { notice?: string | null; form?: Form; status?: number } = {}) => {
    const { c } = await managedConsultation(db(), user, id);
    const n = await db().selectFrom('consultation_registrations').select((eb) => eb.fn.count<number>('checked_in_at').as('n')).where('consultation_id', '=', id).executeTakeFirstOrThrow();
    return reply.page(view(CheckinPage, { c, checkedIn: Number(n.n), notice: o.notice, form: o.form as { values: Record<string, unknown>; issues: ValidationError['issues'] } | undefined }), o.status ?? 200);
  };

  app.get('/admin/consultations/:id/checkin', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? checkinPage(req, reply, user, id) : reply;
  });

  app.post('/admin/consultations/:id/checkin', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      const r = await checkIn(ctx, req.user, id, req.body);
      return checkinPage(req, reply, req.user as CurrentUser, id, { notice: req.t.consultations.checkedInName(r.name) });
    } catch (err) {
      if (!(err instanceof DomainError) || !req.user || err.status === 404 || err.status === 403 || err.status === 401) throw err;
      const issues = err instanceof ValidationError ? err.issues : [{ field: 'code', message: err.text }];
      return checkinPage(req, reply, req.user, id, { form: { values: kept(req.body), issues }, status: err.status });
    }
  });

  const outcomePage = async (req: IdReq, reply: FastifyReply, user: CurrentUser, id: number, o: { form?: Form; status?: number } = {}) => {
    const { c } = await managedConsultation(db(), user, id);
    const [d, options] = await Promise.all([consultationDetail(db(), c), editorOptions(db(), [])]);
    const values: Record<string, unknown> = { minutes: d.outcome?.minutesMd ?? '', report: d.outcome?.reportMd ?? '' };
    for (const r of d.recommendations) Object.assign(values, { [`text_${r.number}`]: r.text, [`department_${r.number}`]: r.department.id, [`days_${r.number}`]: r.dueDays });
    return reply.page(view(OutcomePage, {
      c, published: d.outcome?.status === 'published', recommendations: d.recommendations, departments: options.departments,
      form: o.form ?? { values }, notice: doneNotice(req),
    }), o.status ?? 200);
  };

  app.get('/admin/consultations/:id/outcome', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    return user ? outcomePage(req, reply, user, id) : reply;
  });

  app.post('/admin/consultations/:id/outcome', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await saveOutcome(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/${id}/outcome?done=saved`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return outcomePage(req, reply, req.user, id, { form: { values: kept(req.body), issues: err.issues }, status: 400 });
    }
  });

  app.post('/admin/consultations/:id/outcome/publish', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    await publishOutcome(ctx, req.user, id, { log: req.log });
    return reply.redirect(`/admin/consultations/${id}/outcome?done=published`, 303);
  });
};
