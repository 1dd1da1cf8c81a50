import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import { cachedPage } from '../../../http/cached-page.js';
import { NotFoundError } from '../../../platform/errors.js';
import { listPublishedNews } from '../news/queries.js';
import { pathId } from '../shared/ids.js';
import { allBodies, childBodies, findBody } from './queries.js';
import { BodiesPage, BodyPage } from './views/bodies-pages.js';

const BODY_NEWS = 10;

export const bodyRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx;
  const db = ctx.database.db;

  app.get('/bodies', (req, reply) => cachedPage(ctx, req, reply, async () => h(BodiesPage, { bodies: await allBodies(db) })));

  app.get<{ Params: { id: string } }>('/bodies/:id', async (req, reply) => {
    const id = pathId(req.params.id);
    return cachedPage(ctx, req, reply, async () => {
      const body = await findBody(db, id);
      if (!body) throw new NotFoundError();
      const [parent, children, news] = await Promise.all([
        body.parent_id === null ? undefined : findBody(db, body.parent_id),
        childBodies(db, id),
        listPublishedNews(db, { kind: null, bodyId: id, page: 1 }, BODY_NEWS),
      ]);
      return h(BodyPage, { body, parent: parent ?? null, children, news: news.items, moreNews: news.total > BODY_NEWS });
    });
  });
};
