import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { handleError } from '../../../http/errors.js';
import { ValidationError } from '../../../platform/errors.js';
import { type Upload, addAttachment, deleteAttachment, megabytes } from '../attachments/service.js';
import { pathId } from '../shared/ids.js';
import { renderNewsEditor, renderPageEditor } from './editor-views.js';

type Req = FastifyRequest<{ Params: { id: string } }>;

interface FilePart { type: 'file'; filename: string; toBuffer(): Promise<Buffer> }

/** The uploaded file from a multipart body (attachFieldsToBody), or null when none was sent. */
async function uploadOf(body: unknown): Promise<Upload | null> {
  const raw = (body as Record<string, unknown> | null)?.file;
  const part = (Array.isArray(raw) ? raw[0] : raw) as FilePart | undefined;
  if (!part || part.type !== 'file' || !part.filename) return null;
  return { filename: part.filename, data: await part.toBuffer() };
}

export const attachmentEditorRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const types = [
    { path: 'news', owner: 'news', render: renderNewsEditor },
    { path: 'pages', owner: 'page', render: renderPageEditor },
  ] as const;
  for (const ty of types) {
    // An oversized file is refused while the body is read, before the handler: answer it
    // with the editor and a localised message instead of a bare 413.
    const errorHandler = async (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      if (err.code !== 'FST_REQ_FILE_TOO_LARGE') return handleError(ctx, err, req, reply);
      const mb = megabytes(ctx.config.uploadMaxBytes);
      const id = pathId((req.params as { id?: string }).id);
      return ty.render(ctx, req, reply, id, { uploadIssues: [{ field: 'file', message: (t) => t.contentAdmin.errFileTooLarge(mb) }], status: 413 });
    };
    app.post<{ Params: { id: string } }>(`/admin/content/${ty.path}/:id/attachments`, { errorHandler }, async (req, reply) => {
      const id = pathId(req.params.id);
      try {
        await addAttachment(ctx, req.user, ty.owner, id, await uploadOf(req.body));
        return reply.redirect(`/admin/content/${ty.path}/${id}#attachments`, 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return ty.render(ctx, req, reply, id, { uploadIssues: err.issues, status: 400 });
      }
    });
  }

  app.post('/admin/content/attachments/:id/delete', async (req: Req, reply) => {
    const owner = await deleteAttachment(ctx, req.user, pathId(req.params.id));
    return reply.redirect(`${owner.editUrl}#attachments`, 303);
  });
};
