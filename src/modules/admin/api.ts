import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import type { Action } from '../../platform/permissions.js';
import { parsePage, requireAdmin } from './access.js';
import { addMembership, listMemberships } from './people/memberships-service.js';
import { createAccount, listUsers } from './people/users-service.js';
import { createBody, listBodies } from './structure/bodies-service.js';
import { createRegion, listRegions } from './structure/regions-service.js';
import { createSector, listSectors } from './structure/sectors-service.js';
import { createTerm, listTerms } from './structure/terms-service.js';
import { BODY_KINDS, MEMBERSHIP_ROLES } from '../../db/schema.js';

// The JSON side of /admin: the same service functions, bearer-token clients welcome.
// Bodies are checked by the services (localised messages); the schemas document them.

type Props = Record<string, Record<string, unknown>>;
const s = (maxLength: number, extra: Record<string, unknown> = {}) => ({ type: 'string', maxLength, ...extra });
const id = (description: string) => ({ type: ['integer', 'null'], minimum: 1, description });
const ok = { description: 'OK', type: 'object', additionalProperties: true };
const created = { description: 'Created', type: 'object', properties: { id: { type: 'integer' } } };
const errors = { 400: { description: 'Invalid input: `{ error: { code, message, fields } }`' }, 401: { description: 'Not signed in' }, 403: { description: 'Not allowed' } };

function pair(app: FastifyInstance, o: {
  path: string; noun: string; action: Action; props: Props; required: string[]; query?: Props;
  list(req: FastifyRequest, user: CurrentUser | null): Promise<unknown>;
  create(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<number>;
}): void {
  const url = `/api/v1/admin/${o.path}`;
  const common = { tags: ['admin'], security: [{ bearer: [] }] };
  // Refuse strangers before the body is validated, so they learn nothing from a 400.
  const preValidation = async (req: FastifyRequest) => { await requireAdmin(app.ctx.database.db, req.user, o.action); };
  app.get(url, {
    preValidation,
    schema: { ...common, summary: `List ${o.noun}`, ...(o.query ? { querystring: { type: 'object', properties: o.query } } : {}), response: { 200: ok, ...errors } },
  }, async (req) => o.list(req, req.user));
  app.post(url, {
    preValidation,
    schema: { ...common, summary: `Create a ${o.noun.replace(/s$/, '').replace(/ie$/, 'y')}`, body: { type: 'object', properties: o.props, required: o.required }, response: { 201: created, ...errors } },
  }, async (req, reply) => reply.code(201).send({ id: await o.create(app.ctx, req.user, req.body) }));
}

export const adminApi: FastifyPluginAsync = async (app) => {
  const db = app.ctx.database.db;
  const q = (req: FastifyRequest) => (req.query ?? {}) as Record<string, unknown>;
  const optInt = (v: unknown) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : typeof v === 'number' ? v : undefined);

  pair(app, {
    path: 'regions', noun: 'regions', action: 'admin.structure', required: ['name'],
    props: { name: s(100), nameEn: s(200), code: s(20, { description: 'Statistical code; letters, digits, - and _' }), parentId: id('Parent region; county when empty') },
    list: async (_req, user) => ({ items: await listRegions(db, user) }),
    create: createRegion,
  });
  pair(app, {
    path: 'bodies', noun: 'bodies', action: 'admin.structure', required: ['kind', 'name'],
    props: { kind: { type: 'string', enum: [...BODY_KINDS] }, name: s(100), nameEn: s(200), parentId: id('Parent body'), regionId: id('Region'), description: s(2000), sort: { type: 'integer', minimum: 0, maximum: 9999 } },
    list: async (_req, user) => ({ items: await listBodies(db, user) }),
    create: createBody,
  });
  pair(app, {
    path: 'sectors', noun: 'sectors', action: 'admin.structure', required: ['name'],
    props: { name: s(50), nameEn: s(100), sort: { type: 'integer', minimum: 0, maximum: 9999 } },
    list: async (_req, user) => ({ items: await listSectors(db, user) }),
    create: createSector,
  });
  pair(app, {
    path: 'terms', noun: 'terms', action: 'admin.structure', required: ['number', 'name', 'startsOn'],
    props: { number: { type: 'integer', minimum: 1, maximum: 999 }, name: s(50), startsOn: s(10, { description: 'YYYY-MM-DD' }), endsOn: s(10, { description: 'YYYY-MM-DD' }) },
    list: async (_req, user) => ({ items: await listTerms(db, user) }),
    create: createTerm,
  });
  pair(app, {
    path: 'users', noun: 'users', action: 'admin.users', required: ['displayName', 'username', 'password'],
    props: { displayName: s(50), username: s(32), password: s(200, { description: 'At least 10 characters' }), phone: s(20), realName: s(50) },
    query: { q: s(50, { description: 'Name, username or phone contains' }), page: { type: 'string', pattern: '^\\d{1,5}$' } },
    list: async (req, user) => {
      const r = await listUsers(db, user, { q: q(req).q, page: parsePage(q(req).page) });
      return { items: r.rows, total: r.total, page: r.page, pages: r.pages };
    },
    create: createAccount,
  });
  pair(app, {
    path: 'memberships', noun: 'memberships', action: 'admin.users', required: ['userId', 'bodyId', 'role'],
    props: { userId: { type: 'integer', minimum: 1 }, bodyId: { type: 'integer', minimum: 1 }, role: { type: 'string', enum: [...MEMBERSHIP_ROLES] },
      termId: id('Term'), title: s(50), startsOn: s(10), endsOn: s(10) },
    query: { userId: { type: 'string', pattern: '^\\d{1,9}$' }, bodyId: { type: 'string', pattern: '^\\d{1,9}$' }, page: { type: 'string', pattern: '^\\d{1,5}$' } },
    list: async (req, user) => {
      const page = parsePage(q(req).page);
      const r = await listMemberships(db, user, { userId: optInt(q(req).userId), bodyId: optInt(q(req).bodyId), page });
      return { items: r.rows, total: r.total, page };
    },
    create: addMembership,
  });
};
