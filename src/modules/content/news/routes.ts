import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import { cachedPage } from '../../../http/cached-page.js';
import { listAttachments } from '../attachments/service.js';
import { allBodies } from '../bodies/queries.js';
import { pathId } from '../shared/ids.js';
import { parseNewsFilter } from './filter.js';
import { NEWS_PAGE_SIZE, listPublishedNews } from './queries.js';
import { publicNews } from './service.js';
import { NewsItemPage } from './views/news-item-page.js';
import { NewsListPage } from './views/news-list-page.js';

export const newsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  app.get('/news', async (req, reply) => {
    const filter = parseNewsFilter(req.query);
    return cachedPage(ctx, req, reply, async () => {
      const db = ctx.database.db;
      const [{ items, total }, bodies] = await Promise.all([listPublishedNews(db, filter), allBodies(db)]);
      const pages = Math.max(1, Math.ceil(total / NEWS_PAGE_SIZE));
      return h(NewsListPage, { filter, items, total, pages, bodies });
    });
  });

  app.get<{ Params: { id: string } }>('/news/:id', async (req, reply) => {
    const id = pathId(req.params.id);
    return cachedPage(ctx, req, reply, async () => {
      const item = await publicNews(ctx, id);
      return h(NewsItemPage, { item, attachments: await listAttachments(ctx.database.db, 'news', id) });
    });
  });
};
