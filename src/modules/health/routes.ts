import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';

export const health: FastifyPluginAsync = async (app) => {
  app.get('/healthz', {
    schema: {
      tags: ['platform'],
      summary: 'Liveness and database check',
      response: { 200: { type: 'object', properties: { status: { type: 'string' }, db: { type: 'string', enum: ['sqlite', 'postgres'] } } } },
    },
  }, async (_req, reply) => {
    await sql`select 1`.execute(app.ctx.database.db);
    return reply.header('cache-control', 'no-store').send({ status: 'ok', db: app.ctx.database.dialect });
  });
};
