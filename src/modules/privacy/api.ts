import type { FastifyPluginAsync } from 'fastify';
import { UnauthenticatedError } from '../../platform/errors.js';
import { collectPersonalData } from './export.js';

const list = (props: Record<string, unknown>) => ({ type: 'array', items: { type: 'object', properties: props, additionalProperties: true } });

export const privacyApi: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/me/data', {
    schema: {
      tags: ['account'],
      summary: 'Everything the platform holds on the caller (the same export as /account/data.json)',
      security: [{ bearer: [] }],
      response: {
        200: {
          type: 'object',
          additionalProperties: true,
          properties: {
            exportedAt: { type: 'string' },
            account: { type: 'object', additionalProperties: true },
            personalData: { type: ['object', 'null'], additionalProperties: true },
            memberships: list({ body: { type: 'string' }, role: { type: 'string' } }),
            memberProfile: { type: ['object', 'null'], additionalProperties: true },
            notifications: list({ title: { type: 'string' } }),
            smsMessages: list({ phone: { type: 'string' }, text: { type: 'string' } }),
            auditEvents: list({ action: { type: 'string' } }),
            dataRequests: list({ status: { type: 'string' } }),
          },
        },
      },
    },
  }, async (req) => {
    if (!req.user) throw new UnauthenticatedError();
    return collectPersonalData(app.ctx.database.db, req.user.id);
  });
};
