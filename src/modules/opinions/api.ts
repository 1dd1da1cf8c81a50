import type { FastifyPluginAsync } from 'fastify';
import { citizenApi } from './api-citizen.js';
import { departmentApi } from './api-department.js';
import { handlerApi } from './api-handler.js';

// The voice channel for API clients: the same services and rules as the pages. Citizens
// send, follow, add to, withdraw and rate; handlers work their inbox; departments answer
// their action items. Bearer tokens or the session cookie authenticate (a cookie-borne
// JSON POST carries the CSRF token in X-CSRF-Token, like every other /api/v1 POST).
//
// Each audience's routes are added to this same plugin instance (not registered as child
// plugins), in this order, so encapsulation and the OpenAPI order stay as they were.

export const api: FastifyPluginAsync = async (app) => {
  await citizenApi(app, {});
  await handlerApi(app, {});
  await departmentApi(app, {});
};
