import type { FastifyPluginAsync } from 'fastify';
import './hooks.js';
import { actionsRoutes } from '../actions/routes.js';
import { api } from './api.js';
import { citizenRoutes } from './citizen-routes.js';
import { handlerRoutes } from './handler-routes.js';
import { publicRoutes } from './public-routes.js';

/** The citizens' voice channel: sending and following (citizens), inboxes (handlers), the public record, the API. */
export const opinionsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(citizenRoutes);
  await app.register(handlerRoutes);
  await app.register(actionsRoutes);
  await app.register(publicRoutes);
  await app.register(api);
};
