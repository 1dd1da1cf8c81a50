import type { FastifyPluginAsync } from 'fastify';

export const handlerRoutes: FastifyPluginAsync = async (_app) => {};
