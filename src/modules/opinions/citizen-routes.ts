import type { FastifyPluginAsync } from 'fastify';

export const citizenRoutes: FastifyPluginAsync = async (_app) => {};
