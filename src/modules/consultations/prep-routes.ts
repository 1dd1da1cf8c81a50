import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { handleError } from '../../http/errors.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { megabytes } from '../content/attachments/service.js';
import { contentDisposition } from '../content/attachments/routes.js';
import { pathId } from '../content/shared/ids.js';
import { type IdReq, kept, renderEditor } from './admin-routes.js';
import { addMaterial, addResearch, downloadableMaterial, materialFromBody, removeMaterial, removeResearch } from './preparation-service.js';

// Preparation: materials (upload, download, removal) and field research records.

type ItemReq = FastifyRequest<{ Params: { id: string; mid: string; filename: string } }>;

export const prepRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;

  // An oversized file is refused while the body is read: answer with the editor and a message.
  const errorHandler = async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.code !== 'FST_REQ_FILE_TOO_LARGE' || !req.user) return handleError(ctx, err, req, reply);
    const issues = [{ field: 'file', message: (t: Parameters<ValidationError['issues'][number]['message']>[0]) => t.contentAdmin.errFileTooLarge(megabytes(ctx.config.uploadMaxBytes)) }];
    return renderEditor(req as IdReq, reply, req.user, pathId((req.params as { id?: string }).id), { prepForm: { values: {}, issues }, status: 413 });
  };

  app.post<{ Params: { id: string }; Querystring: { page?: string; done?: string } }>('/admin/consultations/:id/materials', { errorHandler }, async (req, reply) => {
    const id = pathId(req.params.id);
    const up = await materialFromBody(req.body);
    try {
      await addMaterial(ctx, req.user, id, up);
      return reply.redirect(`/admin/consultations/${id}?done=saved#materials-title`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return renderEditor(req, reply, req.user, id, { prepForm: { values: { materialTitle: up.title, materialPublic: up.isPublic }, issues: err.issues }, status: 400 });
    }
  });

  app.post('/admin/consultations/:id/materials/:mid/delete', async (req: ItemReq, reply) => {
    const id = pathId(req.params.id);
    await removeMaterial(ctx, req.user, id, pathId(req.params.mid));
    return reply.redirect(`/admin/consultations/${id}?done=removed#materials-title`, 303);
  });

  app.get('/consultations/:id/materials/:mid/:filename', async (req: ItemReq, reply) => {
    const m = await downloadableMaterial(ctx, req.user, pathId(req.params.id), pathId(req.params.mid), req.params.filename);
    if (!(await stat(m.path).catch(() => null))?.isFile()) throw new NotFoundError();
    const inline = m.mime === 'application/pdf' || m.mime.startsWith('image/');
    return reply.type(m.mime).header('content-length', m.size)
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', m.filename))
      .header('x-content-type-options', 'nosniff').header('cache-control', m.isPublic ? 'public, max-age=300' : 'private, no-store')
      .send(createReadStream(m.path));
  });

  app.post('/admin/consultations/:id/research', async (req: IdReq, reply) => {
    const id = pathId(req.params.id);
    try {
      await addResearch(ctx, req.user, id, req.body);
      return reply.redirect(`/admin/consultations/${id}?done=saved#research-title`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) || !req.user) throw err;
      return renderEditor(req, reply, req.user, id, { prepForm: { values: kept(req.body), issues: err.issues }, status: 400 });
    }
  });

  app.post('/admin/consultations/:id/research/:mid/delete', async (req: ItemReq, reply) => {
    const id = pathId(req.params.id);
    await removeResearch(ctx, req.user, id, pathId(req.params.mid));
    return reply.redirect(`/admin/consultations/${id}?done=removed#research-title`, 303);
  });
};
