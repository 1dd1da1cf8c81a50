import type { AppContext } from '../../../context.js';
import type { PublishStatus } from '../../../db/schema.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { ForbiddenError, UnauthenticatedError } from '../../../platform/errors.js';
import { choice, int, validate } from '../../../platform/validation.js';
import { type BodyOption, publishableBodies } from '../shared/editable-bodies.js';

export const ADMIN_PAGE_SIZE = 30;
const STATUSES: readonly PublishStatus[] = ['draft', 'scheduled', 'published'];

const spec = {
  status: choice({ label: (t) => t.contentAdmin.filterStatus, values: STATUSES, required: false }),
  page: int({ label: (t) => t.content.paramPage, min: 1, max: 100_000, required: false }),
};

export interface AdminRow { id: number; title: string; kind: string; status: PublishStatus; body_name: string; updated_at: string; publish_at: string | null; published_at: string | null }
export interface ContentOverview {
  status: PublishStatus | null; page: number; bodies: BodyOption[];
  news: AdminRow[]; newsTotal: number; pages: AdminRow[]; pagesTotal: number;
}

/** The bodies the user may publish for; nobody else gets into the editors. */
export async function requireEditor(ctx: AppContext, user: CurrentUser | null): Promise<{ user: CurrentUser; bodies: BodyOption[] }> {
  if (!user) throw new UnauthenticatedError();
  const bodies = await publishableBodies(ctx.database.db, user);
  if (!bodies.length) throw new ForbiddenError();
  return { user, bodies };
}

/** News and pages of the bodies the user may publish for, most recently changed first. */
export async function contentOverview(ctx: AppContext, user: CurrentUser | null, query: unknown): Promise<ContentOverview> {
  const { bodies } = await requireEditor(ctx, user);
  const v = validate(spec, query);
  const page = v.page ?? 1;
  const ids = bodies.map((b) => b.id);
  const db = ctx.database.db;
  const cols = ['id', 'title', 'kind', 'status', 'updated_at', 'publish_at', 'published_at'] as const;
  let nq = db.selectFrom('news').innerJoin('bodies', 'bodies.id', 'news.body_id').where('news.body_id', 'in', ids);
  let pq = db.selectFrom('pages').innerJoin('bodies', 'bodies.id', 'pages.body_id').where('pages.body_id', 'in', ids);
  if (v.status) { nq = nq.where('news.status', '=', v.status); pq = pq.where('pages.status', '=', v.status); }
  const [news, newsCount, pages, pagesCount] = await Promise.all([
    nq.select(cols.map((c) => `news.${c}` as const)).select('bodies.name as body_name').orderBy('news.updated_at', 'desc').orderBy('news.id', 'desc')
      .limit(ADMIN_PAGE_SIZE).offset((page - 1) * ADMIN_PAGE_SIZE).execute(),
    nq.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    pq.select(cols.map((c) => `pages.${c}` as const)).select('bodies.name as body_name').orderBy('pages.kind').orderBy('pages.sort').orderBy('pages.id')
      .limit(ADMIN_PAGE_SIZE).offset((page - 1) * ADMIN_PAGE_SIZE).execute(),
    pq.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { status: v.status, page, bodies, news, newsTotal: Number(newsCount.n), pages, pagesTotal: Number(pagesCount.n) };
}
