import type { FastifyPluginAsync } from 'fastify';
import { UnauthenticatedError } from '../../platform/errors.js';
import { maskPhone } from '../../platform/validation.js';
import { phoneOf } from './queries.js';

const meSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    displayName: { type: 'string' },
    isAdmin: { type: 'boolean' },
    hasPassword: { type: 'boolean' },
    totpEnabled: { type: 'boolean' },
    phone: { type: ['string', 'null'], description: 'Masked, e.g. 138****5678' },
    memberships: {
      type: 'array',
      items: { type: 'object', properties: { bodyId: { type: 'integer' }, role: { type: 'string' }, termId: { type: ['integer', 'null'] } } },
    },
  },
} as const;

export const accountApi: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/me', {
    schema: { tags: ['account'], summary: 'The signed-in user (the bearer token’s owner)', security: [{ bearer: [] }], response: { 200: meSchema } },
  }, async (req) => {
    const user = req.user;
    if (!user) throw new UnauthenticatedError();
    const phone = await phoneOf(app.ctx.database.db, user.id);
    return {
      id: user.id, displayName: user.displayName, isAdmin: user.isAdmin, hasPassword: user.hasPassword,
      totpEnabled: user.totpEnabled, phone: phone ? maskPhone(phone) : null, memberships: user.memberships,
    };
  });
};
