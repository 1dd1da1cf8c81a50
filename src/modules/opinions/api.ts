import type { FastifyPluginAsync } from 'fastify';

export const api: FastifyPluginAsync = async (_app) => {};
