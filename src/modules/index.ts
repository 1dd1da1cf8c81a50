import type { FastifyPluginAsync } from 'fastify';
import { admin } from './admin/routes.js';
import { accountRoutes } from './account/plugin.js';
import { apiDocs } from './api-docs/routes.js';
import { consultationsRoutes } from './consultations/routes.js';
import { content } from './content/routes.js';
import { deliberationRoutes } from './deliberation/routes.js';
import { health } from './health/routes.js';
import { membersRoutes } from './members/routes.js';
import { opinionsRoutes } from './opinions/routes.js';
import { prefs } from './prefs/routes.js';
import { privacyRoutes } from './privacy/plugin.js';
import { searchRoutes } from './search/routes.js';
import { setup } from './setup/routes.js';

/** Every capability's routes, in the order they register. */
export const modules: FastifyPluginAsync[] = [setup, accountRoutes, privacyRoutes, health, prefs, apiDocs, membersRoutes, content, admin, searchRoutes, opinionsRoutes, consultationsRoutes, deliberationRoutes];
