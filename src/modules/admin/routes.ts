import type { FastifyPluginAsync } from 'fastify';
import { view } from './form.js';
import { adminApi } from './api.js';
import { DashboardPage } from './dashboard/page.js';
import { loadDashboard } from './dashboard/service.js';
import { importRoutes } from './import/routes.js';
import { peopleRoutes } from './people/routes.js';
import { structureRoutes } from './structure/routes.js';
import { opsRoutes } from './tokens/routes.js';

/** The administration area (/admin) and its JSON API (/api/v1/admin). */
export const admin: FastifyPluginAsync = async (app) => {
  app.get('/admin', async (req, reply) => reply.page(view(DashboardPage, { d: await loadDashboard(app.ctx.database.db, req.user) })));
  await app.register(structureRoutes);
  await app.register(peopleRoutes);
  await app.register(importRoutes);
  await app.register(opsRoutes);
  await app.register(adminApi);
};
