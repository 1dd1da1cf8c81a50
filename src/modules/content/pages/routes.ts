import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import { cachedPage } from '../../../http/cached-page.js';
import { listAttachments } from '../attachments/service.js';
import { pathSlug } from '../shared/ids.js';
import { publishedPagesOfKind } from './queries.js';
import { publicPage } from './service.js';
import { ContentPage, DutiesPage, MissingOverview, RulesPage } from './views/content-page.js';

export const pageRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  app.get('/about', (req, reply) => cachedPage(ctx, req, reply, async () => {
    const [overview] = await publishedPagesOfKind(db, 'overview', 1);
    if (!overview) return h(MissingOverview, {});
    return h(ContentPage, { page: overview, attachments: await listAttachments(db, 'page', overview.id), trail: [] });
  }));

  app.get('/about/rules', (req, reply) => cachedPage(ctx, req, reply, async () =>
    h(RulesPage, { pages: await publishedPagesOfKind(db, 'rules') })));

  app.get('/about/duties', (req, reply) => cachedPage(ctx, req, reply, async () =>
    h(DutiesPage, { pages: await publishedPagesOfKind(db, 'duties') })));

  app.get<{ Params: { slug: string } }>('/pages/:slug', async (req, reply) => {
    const slug = pathSlug(req.params.slug);
    return cachedPage(ctx, req, reply, async () => {
      const page = await publicPage(ctx, slug);
      const t = req.t;
      const trail = page.kind === 'rules' ? [{ href: '/about', label: t.content.overviewTitle }, { href: '/about/rules', label: t.content.rulesTitle }]
        : page.kind === 'duties' ? [{ href: '/about', label: t.content.overviewTitle }, { href: '/about/duties', label: t.content.dutiesTitle }]
        : [];
      return h(ContentPage, { page, attachments: await listAttachments(db, 'page', page.id), trail });
    });
  });
};
