import type { FastifyPluginAsync } from 'fastify';
import './shared/publish-job.js';
import { contentAdminRoutes } from './admin/routes.js';
import { attachmentRoutes } from './attachments/routes.js';
import { bodyRoutes } from './bodies/routes.js';
import { homeRoutes } from './home/routes.js';
import { contentApi } from './news/api.js';
import { newsRoutes } from './news/routes.js';
import { pageRoutes } from './pages/routes.js';

/** The public information portal and its editors. */
export const content: FastifyPluginAsync = async (app) => {
  for (const plugin of [homeRoutes, pageRoutes, newsRoutes, bodyRoutes, attachmentRoutes, contentAdminRoutes, contentApi]) await app.register(plugin);
};
