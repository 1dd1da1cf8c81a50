import type { FastifyPluginAsync } from 'fastify';
import './recompute.js';
import { deliberationApi } from './api.js';
import { manageRoutes } from './manage-routes.js';
import { pageRoutes } from './page-routes.js';

/** Online deliberation (网络议政): participant and results pages, organisers' pages, the API; the recompute job registers on load. */
export const deliberationRoutes: FastifyPluginAsync = async (app) => {
  await app.register(pageRoutes);
  await app.register(manageRoutes);
  await app.register(deliberationApi);
};
