import type { FastifyPluginAsync } from 'fastify';
import { listAttachments } from '../attachments/service.js';
import { publicPage } from '../pages/service.js';
import { pathId, pathSlug } from '../shared/ids.js';
import { parseNewsFilter } from './filter.js';
import { NEWS_PAGE_SIZE, listPublishedNews } from './queries.js';
import { editableNews, publicNews, saveNews } from './service.js';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const attachment = { type: 'object', properties: { id: { type: 'integer' }, filename: str, mime: str, size: { type: 'integer' }, url: str } } as const;
const newsSummary = {
  type: 'object',
  properties: { id: { type: 'integer' }, kind: str, title: str, summary: str, publishedAt: nullableStr, bodyId: { type: 'integer' }, bodyName: str, url: str },
} as const;
const newsFull = {
  type: 'object',
  properties: { ...newsSummary.properties, status: str, bodyHtml: str, attachments: { type: 'array', items: attachment } },
} as const;
const idParam = { type: 'object', properties: { id: str }, required: ['id'] } as const;

/** The portal's content for API clients: the same services and rules as the pages. */
export const contentApi: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  app.get('/api/v1/news', {
    schema: {
      tags: ['content'], summary: 'Published news and announcements, newest first (20 a page)',
      querystring: { type: 'object', properties: { kind: { type: 'string', enum: ['news', 'announcement'] }, body: str, page: str } },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: newsSummary }, page: { type: 'integer' }, pages: { type: 'integer' }, total: { type: 'integer' } } } },
    },
  }, async (req) => {
    const filter = parseNewsFilter(req.query);
    const { items, total } = await listPublishedNews(db, filter);
    return {
      items: items.map((n) => ({ id: n.id, kind: n.kind, title: n.title, summary: n.summary, publishedAt: n.published_at, bodyId: n.body_id, bodyName: n.body_name, url: `/news/${n.id}` })),
      page: filter.page, pages: Math.max(1, Math.ceil(total / NEWS_PAGE_SIZE)), total,
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/news/:id', {
    schema: { tags: ['content'], summary: 'One published news item with its HTML and attachments', params: idParam, response: { 200: newsFull } },
  }, async (req) => {
    const id = pathId(req.params.id);
    const n = await publicNews(ctx, id);
    return {
      id: n.id, kind: n.kind, title: n.title, summary: n.summary, publishedAt: n.published_at, bodyId: n.body_id, bodyName: n.body_name,
      url: `/news/${n.id}`, status: n.status, bodyHtml: n.body_html, attachments: await listAttachments(db, 'news', n.id),
    };
  });

  app.get<{ Params: { slug: string } }>('/api/v1/pages/:slug', {
    schema: {
      tags: ['content'], summary: 'One published page (overview, rules, duties or other) by its address name',
      params: { type: 'object', properties: { slug: str }, required: ['slug'] },
      response: { 200: { type: 'object', properties: { id: { type: 'integer' }, slug: str, kind: str, title: str, bodyId: { type: 'integer' }, bodyHtml: str, publishedAt: nullableStr, url: str, attachments: { type: 'array', items: attachment } } } },
    },
  }, async (req) => {
    const p = await publicPage(ctx, pathSlug(req.params.slug));
    return { id: p.id, slug: p.slug, kind: p.kind, title: p.title, bodyId: p.body_id, bodyHtml: p.body_html, publishedAt: p.published_at, url: `/pages/${p.slug}`, attachments: await listAttachments(db, 'page', p.id) };
  });

  app.post('/api/v1/news', {
    schema: {
      tags: ['content'], summary: 'Create a news item or announcement: draft, publish now, or schedule (needs content.publish on the body)',
      security: [{ bearer: [] }],
      body: {
        type: 'object',
        properties: {
          body_id: { type: 'integer' }, kind: { type: 'string', enum: ['news', 'announcement'] }, title: str, summary: str, body_md: str,
          publish_at: { type: 'string', description: 'China time, YYYY-MM-DDTHH:mm; required with intent "schedule"' },
          intent: { type: 'string', enum: ['draft', 'publish', 'schedule'] },
        },
      },
      response: { 201: { type: 'object', properties: { id: { type: 'integer' }, status: str, url: str } } },
    },
  }, async (req, reply) => {
    const id = await saveNews(ctx, req.user, null, req.body);
    const n = await editableNews(ctx, req.user, id);
    return reply.code(201).send({ id, status: n.status, url: `/news/${id}` });
  });
};
