import type { FastifyPluginAsync } from 'fastify';
import { type VNode, h } from 'preact';
import { cachedPage } from '../../http/cached-page.js';
import { ValidationError } from '../../platform/errors.js';
import { SearchPage } from './pages/search-page.js';
import { PAGE_SIZE, QUERY_MAX, SEARCH_TYPES, parseSearchQuery, runSearch } from './service.js';

const querystring = {
  type: 'object',
  properties: {
    q: { type: 'string', description: `Search terms (at most ${QUERY_MAX} characters); every word must appear` },
    type: { type: 'string', description: `Limit to one kind of document: all (default), ${SEARCH_TYPES.join(', ')}` },
    page: { type: 'string', description: `Page number, ${PAGE_SIZE} results a page` },
  },
} as const;

const hit = {
  type: 'object',
  properties: {
    type: { type: 'string' }, id: { type: 'integer' }, title: { type: 'string' }, excerpt: { type: 'string' },
    url: { type: 'string' }, published_at: { type: ['string', 'null'] },
  },
} as const;

export const searchRoutes: FastifyPluginAsync = async (app) => {
  const { db, dialect } = app.ctx.database;

  app.get('/search', async (req, reply) => {
    try {
      parseSearchQuery(req.query);
    } catch (err) {
      // A refused query re-renders the form with what was typed; it is never cached.
      if (!(err instanceof ValidationError)) throw err;
      return reply.page(h(SearchPage, { issues: err.issues, values: req.query as Record<string, unknown> }) as VNode, 400);
    }
    const q = req.query as Record<string, unknown>;
    const memoKey = `search|${JSON.stringify([q.q, q.type, q.page])}`;
    return cachedPage(app.ctx, req, reply, async () =>
      h(SearchPage, { view: await app.ctx.pageCache.memo(memoKey, () => runSearch(db, dialect, req.query)) }));
  });

  app.get('/api/v1/search', {
    schema: {
      tags: ['search'], summary: 'Full-text search of members, news and pages (Chinese and English)',
      querystring,
      response: {
        200: {
          type: 'object',
          properties: {
            q: { type: 'string' }, type: { type: 'string' }, page: { type: 'integer' }, pages: { type: 'integer' },
            total: { type: 'integer', description: `Matches, counted up to 1000` }, more: { type: 'boolean', description: 'More matches than counted' },
            items: { type: 'array', items: hit },
          },
        },
      },
    },
  }, async (req) => {
    const v = await runSearch(db, dialect, req.query, true);
    return {
      q: v.q, type: v.type, page: v.page, pages: v.pages, total: v.total, more: v.more,
      items: v.items.map((i) => ({ type: i.docType, id: i.docId, title: i.title, excerpt: i.excerpt, url: i.url, published_at: i.publishedAt })),
    };
  });
};
