import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../../platform/errors.js';
import { deleteNews, saveNews, unpublishNews } from '../news/service.js';
import { deletePage, savePage, unpublishPage } from '../pages/service.js';
import { pathId } from '../shared/ids.js';
import { keptValues, renderNewsEditor, renderPageEditor } from './editor-views.js';

type Req = FastifyRequest<{ Params: { id: string } }>;

/** The news and page editors: one set of routes per content type, the same shape for both. */
export const editorRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const types = [
    { path: 'news', render: renderNewsEditor, save: saveNews, unpublish: unpublishNews, remove: deleteNews },
    { path: 'pages', render: renderPageEditor, save: savePage, unpublish: unpublishPage, remove: deletePage },
  ] as const;

  for (const ty of types) {
    const base = `/admin/content/${ty.path}`;
    const submit = async (req: FastifyRequest, reply: FastifyReply, id: number | null) => {
      try {
        const saved = await ty.save(ctx, req.user, id, req.body);
        return reply.redirect(`${base}/${saved}`, 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return ty.render(ctx, req, reply, id, { values: keptValues(req.body), issues: err.issues, status: 400 });
      }
    };
    app.get(`${base}/new`, (req, reply) => ty.render(ctx, req, reply, null));
    app.post(base, (req, reply) => submit(req, reply, null));
    app.get(`${base}/:id`, (req: Req, reply) => ty.render(ctx, req, reply, pathId(req.params.id)));
    app.post(`${base}/:id`, (req: Req, reply) => submit(req, reply, pathId(req.params.id)));
    app.post(`${base}/:id/unpublish`, async (req: Req, reply) => {
      const id = pathId(req.params.id);
      await ty.unpublish(ctx, req.user, id);
      return reply.redirect(`${base}/${id}`, 303);
    });
    app.post(`${base}/:id/delete`, async (req: Req, reply) => {
      await ty.remove(ctx, req.user, pathId(req.params.id));
      return reply.redirect('/admin/content', 303);
    });
  }
};
