import type { FastifyPluginAsync } from 'fastify';
import { privacyApi } from './api.js';
import { privacy } from './routes.js';

/** The personal-data notice, export, erasure and the administrators' request queue. */
export const privacyRoutes: FastifyPluginAsync = async (app) => {
  await app.register(privacy);
  await app.register(privacyApi);
};
