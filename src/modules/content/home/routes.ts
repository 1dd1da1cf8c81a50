import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import { cachedPage } from '../../../http/cached-page.js';
import { listPublishedNews } from '../news/queries.js';
import { publishedPagesOfKind } from '../pages/queries.js';
import { excerpt, htmlToText } from '../shared/markdown.js';
import { HomePage } from './views/home-page.js';

const LATEST = 5;

export const homeRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;
  app.get('/', (req, reply) => cachedPage(ctx, req, reply, async () => {
    const [overviews, announcements, news] = await Promise.all([
      publishedPagesOfKind(db, 'overview', 1),
      listPublishedNews(db, { kind: 'announcement', bodyId: null, page: 1 }, LATEST, { withTotal: false }),
      listPublishedNews(db, { kind: 'news', bodyId: null, page: 1 }, LATEST, { withTotal: false }),
    ]);
    const overview = overviews[0] ? excerpt(htmlToText(overviews[0].body_html), 160) : null;
    return h(HomePage, { overview, announcements: announcements.items, news: news.items });
  }));
};
