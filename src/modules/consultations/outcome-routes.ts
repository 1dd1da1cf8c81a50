import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { signInFirst } from '../account/account-routes.js';
import { contentDisposition } from '../content/attachments/routes.js';
import { pathId } from '../content/shared/ids.js';
import { evaluationComments, evaluationForm, saveEvaluation } from './evaluation-service.js';
import { outcomeDocx, outcomeDocxAccess } from './outcome-service.js';
import { EvaluationAdminPage } from './pages/evaluation-admin.js';
import { EvaluationPage } from './pages/evaluation-page.js';
import { view } from './view.js';

// The outcome beyond its page: the report as .docx, the departments' evidence of what was
// done (public once the outcome is), and participants' evaluation form.

type IdReq = FastifyRequest<{ Params: { id: string }; Querystring: { done?: string } }>;
const kept = (body: unknown): Record<string, unknown> => (body && typeof body === 'object' ? { ...(body as Record<string, unknown>), _csrf: undefined } : {});
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const outcomeRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = () => ctx.database.db;

  app.get('/consultations/:id/outcome.docx', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const { c, cacheable } = await outcomeDocxAccess(db(), req.user, id);
    const make = () => outcomeDocx(db(), c, req.t, req.locale);
    const file = cacheable ? await ctx.pageCache.memo(`consultations:docx:${id}:${req.locale}`, make) : await make();
    return reply.type(DOCX).header('content-disposition', contentDisposition('attachment', file.filename))
      .header('cache-control', cacheable ? 'public, max-age=60' : 'private, no-store').header('x-content-type-options', 'nosniff').send(file.body);
  });

  // Evidence a department attached to a recommendation's action item.
  app.get<{ Params: { id: string; fileId: string; name: string } }>('/consultations/:id/evidence/:fileId/:name', async (req, reply) => {
    const id = pathId(req.params.id);
    const fileId = pathId(req.params.fileId);
    const f = await db().selectFrom('attachments')
      .innerJoin('consultation_recommendations', 'consultation_recommendations.action_item_id', 'attachments.owner_id')
      .innerJoin('consultations', 'consultations.id', 'consultation_recommendations.consultation_id')
      .innerJoin('consultation_outcomes', 'consultation_outcomes.consultation_id', 'consultations.id')
      .select(['attachments.filename', 'attachments.mime', 'attachments.size', 'attachments.storage_key'])
      .where('attachments.id', '=', fileId).where('attachments.owner_type', '=', 'action_item')
      .where('consultations.id', '=', id).where('consultations.is_public', '=', 1).where('consultation_outcomes.status', '=', 'published')
      .executeTakeFirst();
    if (!f) throw new NotFoundError();
    const path = join(ctx.config.uploadsDir, f.storage_key);
    if (!(await stat(path).catch(() => null))?.isFile()) throw new NotFoundError();
    return reply.type(f.mime).header('content-length', f.size).header('content-disposition', contentDisposition('inline', f.filename))
      .header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=300').send(createReadStream(path));
  });

  // The organisers' view of the evaluation, with the comments.
  app.get<{ Params: { id: string }; Querystring: { page?: string } }>('/admin/consultations/:id/evaluations', async (req, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return reply.page(view(EvaluationAdminPage, { d: await evaluationComments(db(), user, id, req.query.page) }));
  });

  const page = async (req: IdReq, reply: FastifyReply, id: number, o: { form?: { values: Record<string, unknown>; issues: ValidationError['issues'] }; status?: number } = {}) => {
    const d = await evaluationForm(db(), req.user, id);
    const notice = req.query.done === 'saved' ? req.t.consultationsOutcome.saved : null;
    return reply.page(view(EvaluationPage, { d, notice, form: o.form }), o.status ?? 200);
  };

  app.get('/consultations/:id/evaluation', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    const user = signInFirst(req, reply);
    if (!user) return reply;
    return page(req, reply, id);
  });

  app.post('/consultations/:id/evaluation', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await saveEvaluation(ctx, req.user, id, req.body);
      return reply.redirect(`/consultations/${id}/evaluation?done=saved`, 303);
    } catch (err) {
      if (!req.user || !(err instanceof DomainError) || err.status === 404 || err.status === 401) throw err;
      const issues = err instanceof ValidationError ? err.issues : [{ field: 'overall', message: err.text }];
      return page(req, reply, id, { form: { values: kept(req.body), issues }, status: err.status });
    }
  });
};
