import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import { cachedPage } from '../../http/cached-page.js';
import type { Named } from './queries.js';
import { browseDirectory, forgetDirectoryCache, getMemberProfile } from './service.js';
import { DirectoryPage } from './pages/directory.js';
import { ProfilePage } from './pages/profile.js';

const named = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, name_en: { type: ['string', 'null'] } } } as const;
const namedOrNull = { anyOf: [named, { type: 'null' }] } as const;
const body = { type: 'object', properties: { ...named.properties, kind: { type: 'string' } } } as const;
const toJson = (n: Named | null) => (n ? { id: n.id, name: n.name, name_en: n.nameEn } : null);

const listQuery = {
  type: 'object',
  properties: {
    sector: { type: 'string', description: 'Sector id' },
    committee: { type: 'string', description: 'Special committee (body) id' },
    township: { type: 'string', description: 'Township region id; includes its villages' },
    term: { type: 'string', description: 'Term id' },
    q: { type: 'string', description: 'Part of a name' },
    page: { type: 'string', description: 'Page number, 30 members a page' },
  },
} as const;

export const membersRoutes: FastifyPluginAsync = async (app) => {
  const db = () => app.ctx.database.db;
  app.ctx.pageCache.onInvalidate(() => forgetDirectoryCache(app.ctx.database.db));

  app.get('/members', async (req, reply) =>
    cachedPage(app.ctx, req, reply, async () => h(DirectoryPage, { dir: await browseDirectory(db(), req.query) })));

  app.get<{ Params: { id: string } }>('/members/:id', async (req, reply) =>
    cachedPage(app.ctx, req, reply, async () => h(ProfilePage, { p: await getMemberProfile(db(), req.params.id) })));

  app.get('/api/v1/members', {
    schema: {
      tags: ['members'], summary: 'Member directory (filter by sector, special committee, township, term and name)',
      querystring: listQuery,
      response: {
        200: {
          type: 'object',
          properties: {
            total: { type: 'integer' }, page: { type: 'integer' }, pages: { type: 'integer' },
            items: { type: 'array', items: { type: 'object', properties: {
              id: { type: 'integer' }, name: { type: 'string' }, is_standing: { type: 'boolean' }, occupation: { type: 'string' },
              sector: namedOrNull, township: namedOrNull, special_committees: { type: 'array', items: body }, url: { type: 'string' },
            } } },
          },
        },
      },
    },
  }, async (req) => {
    const dir = await browseDirectory(db(), req.query);
    return {
      total: dir.total, page: dir.page, pages: dir.pages,
      items: dir.members.map((m) => ({
        id: m.id, name: m.name, is_standing: m.isStanding, occupation: m.occupation, sector: toJson(m.sector), township: toJson(m.township),
        special_committees: m.committees.map((c) => ({ ...toJson(c), kind: c.kind })), url: `/members/${m.id}`,
      })),
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/members/:id', {
    schema: {
      tags: ['members'], summary: 'One member’s public profile (never personal data)',
      params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      response: {
        200: {
          type: 'object',
          properties: {
            id: { type: 'integer' }, name: { type: 'string' }, gender: { type: ['string', 'null'] }, party: { type: ['string', 'null'] },
            is_standing: { type: 'boolean' }, occupation: { type: 'string' }, bio: { type: 'string' },
            sector: namedOrNull, township: namedOrNull, bodies: { type: 'array', items: body }, terms: { type: 'array', items: named },
          },
        },
      },
    },
  }, async (req) => {
    const p = await getMemberProfile(db(), req.params.id);
    return {
      id: p.id, name: p.name, gender: p.gender, party: p.party, is_standing: p.isStanding, occupation: p.occupation, bio: p.bio,
      sector: toJson(p.sector), township: toJson(p.township),
      bodies: p.bodies.map((b) => ({ ...toJson(b), kind: b.kind })), terms: p.terms.map(toJson),
    };
  });
};
