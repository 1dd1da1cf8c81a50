import type { FastifyPluginAsync } from 'fastify';

export const publicRoutes: FastifyPluginAsync = async (_app) => {};
