import type { FastifyPluginAsync } from 'fastify';
import { type VNode, h } from 'preact';
import { attachmentEditorRoutes } from './attachment-routes.js';
import { editorRoutes } from './editor-routes.js';
import { contentOverview } from './list.js';
import { ContentListPage } from './views/list-page.js';

/** /admin/content: the staff editors for news, pages and their attachments. */
export const contentAdminRoutes: FastifyPluginAsync = async (app) => {
  app.get('/admin/content', async (req, reply) => reply.page(h(ContentListPage, { o: await contentOverview(app.ctx, req.user, req.query) }) as VNode));
  await app.register(editorRoutes);
  await app.register(attachmentEditorRoutes);
};
