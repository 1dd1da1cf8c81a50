import type { FastifyPluginAsync } from 'fastify';
import { type VNode, h } from 'preact';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { cachedPage } from '../../http/cached-page.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { scopeFor } from '../../platform/body-scope.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import { signInFirst } from '../account/account-routes.js';
import { pathId } from '../content/shared/ids.js';
import { type HotspotScope, type HotspotSnapshot, latestSnapshot } from './hotspot-job.js';
import { PublicDetailPage } from './pages/public/detail-page.js';
import { HotspotsPage, linked } from './pages/public/hotspots-page.js';
import { PublicListPage } from './pages/public/list-page.js';
import { StatsPage } from './pages/public/stats-page.js';
import { listPublicOpinions, parsePublicFilter, placeAndBelow, publicChoices, publicOpinionDetail } from './public-queries.js';
import { cachedStats, parseStatsPeriod } from './stats.js';

// The public record of the voice channel. Every page here but the staff hotspots is the
// same for every visitor and served from the shared page cache; handlers' actions on a
// public opinion clear that cache when they commit (coarse: the whole portal, fine at the
// rate people act). The statistics and the hotspot snapshot are also memoised, so
// visitors in other languages or modes do not recompute them.

/** Titles of these opinions (public ones only, unless `all`), in one query. */
async function titlesOf(db: Executor, ids: number[], all: boolean): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  let q = db.selectFrom('opinions').select(['id', 'title']).where('id', 'in', ids);
  if (!all) q = q.where('public_visible', '=', 1);
  return new Map((await q.execute()).map((r) => [r.id, r.title]));
}

/** Staff who handle or supervise opinions on a committee (a root body of kind committee). */
async function mayViewAllHotspots(db: Executor, user: CurrentUser): Promise<boolean> {
  if (user.isAdmin) return true;
  const roots = await db.selectFrom('bodies').select('id').where('parent_id', 'is', null).where('kind', '=', 'committee').execute();
  for (const r of roots) {
    const scope = await scopeFor(db, r.id);
    if (can(user, 'opinion.supervise', scope) || can(user, 'opinion.handle', scope)) return true;
  }
  return false;
}

export const publicRoutes: FastifyPluginAsync = async (app) => {
  const ctx: AppContext = app.ctx;
  const { db, dialect } = ctx.database;
  const choices = () => ctx.pageCache.memo('opinions|choices', () => publicChoices(db));
  const snapshot = (scope: HotspotScope): Promise<HotspotSnapshot | null> =>
    scope === 'public' ? ctx.pageCache.memo('opinions|hotspots|public', () => latestSnapshot(db, 'public')) : latestSnapshot(db, scope);

  app.get('/opinions', async (req, reply) => {
    const filter = parsePublicFilter(req.query);
    return cachedPage(ctx, req, reply, async () => {
      const c = await choices();
      const places = filter.regionId ? placeAndBelow(c.regions, filter.regionId) ?? [] : null;
      let onlyIds: number[] | null = null;
      let hotspot: { terms: string[] } | null = null;
      if (filter.hotspot) {
        const group = (await snapshot('public'))?.groups.find((g) => g.key === filter.hotspot);
        onlyIds = group?.memberIds ?? [];
        hotspot = group ? { terms: group.labelTerms } : null;
      }
      const page = await listPublicOpinions(db, dialect, filter, places, onlyIds);
      return h(PublicListPage, { filter, page, choices: c, hotspot });
    });
  });

  app.get('/opinions/stats', async (req, reply) => {
    const { year } = parseStatsPeriod(req.query);
    return cachedPage(ctx, req, reply, async () => {
      const stats = await ctx.pageCache.memo(`opinions|stats|${year ?? 'last12'}`, () => cachedStats(ctx, year));
      return h(StatsPage, { stats });
    });
  });

  app.get('/opinions/hotspots', async (req, reply) => cachedPage(ctx, req, reply, async () => {
    const [snap, c] = await Promise.all([snapshot('public'), choices()]);
    const titles = await titlesOf(db, snap?.groups.flatMap((g) => linked(g, false)) ?? [], false);
    return h(HotspotsPage, { snapshot: snap, regions: c.regions, titles });
  }));

  app.get<{ Params: { id: string } }>('/opinions/:id', async (req, reply) => {
    const id = pathId(req.params.id);
    return cachedPage(ctx, req, reply, async () => {
      const [detail, c] = await Promise.all([publicOpinionDetail(db, id), choices()]);
      if (!detail) throw new NotFoundError();
      return h(PublicDetailPage, { detail, regions: c.regions });
    });
  });

  // Staff: the same hotspots over every accepted opinion, private ones included (personal page).
  app.get('/handle/hotspots', async (req, reply) => {
    const user = signInFirst(req, reply);
    if (!user) return reply;
    if (!(await mayViewAllHotspots(db, user))) throw new ForbiddenError();
    const [snap, c] = await Promise.all([snapshot('all'), choices()]);
    const titles = await titlesOf(db, snap?.groups.flatMap((g) => linked(g, true)) ?? [], true);
    return reply.page(h(HotspotsPage, { snapshot: snap, regions: c.regions, titles, staff: true }) as VNode);
  });
};
