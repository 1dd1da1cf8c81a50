import type { FastifyPluginAsync } from 'fastify';
import './hooks.js';
import './outcome-service.js';
import { adminPlanRoutes } from './admin-plan-routes.js';
import { adminRoutes } from './admin-routes.js';
import { attendanceRoutes } from './attendance-routes.js';
import { consultationsApi } from './api.js';
import { evaluationApi } from './evaluation-api.js';
import { grassrootsRoutes } from './grassroots-routes.js';
import { liveRoutes } from './live-routes.js';
import { outcomeRoutes } from './outcome-routes.js';
import { personalRoutes } from './personal-routes.js';
import { prepRoutes } from './prep-routes.js';
import { publicRoutes } from './public-routes.js';

/** Consultations from topic to result: public pages, personal pages, organisers' pages, the API. */
export const consultationsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(publicRoutes);
  await app.register(personalRoutes);
  await app.register(adminRoutes);
  await app.register(adminPlanRoutes);
  await app.register(prepRoutes);
  await app.register(consultationsApi);
  await app.register(evaluationApi);
  await app.register(liveRoutes);
  await app.register(grassrootsRoutes);
  await app.register(outcomeRoutes);
  await app.register(attendanceRoutes);
};
