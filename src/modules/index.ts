import type { FastifyPluginAsync } from 'fastify';
import { health } from './health/routes.js';
import { prefs } from './prefs/routes.js';

/** Every capability's routes, in the order they register. */
export const modules: FastifyPluginAsync[] = [health, prefs];
