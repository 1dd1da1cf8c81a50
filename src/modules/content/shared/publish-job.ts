import type { AppContext } from '../../../context.js';
import type { Trx } from '../../../db/database.js';
import { type JobInfo, registerJobHandler } from '../../../platform/jobs/registry.js';
import { type ContentType, PUBLISH_JOB, type PublicationState, syncPublication } from './publishing.js';

interface Payload { type: ContentType; id: number; publishAt: string }

function isPayload(p: unknown): p is Payload {
  const o = p as Payload | null;
  return !!o && (o.type === 'news' || o.type === 'page') && Number.isInteger(o.id) && typeof o.publishAt === 'string';
}

/**
 * Publishes a scheduled item when its time comes, but only if it is still scheduled for
 * exactly that time: an editor who rescheduled or unpublished it meanwhile wins.
 */
export async function publishScheduled(ctx: AppContext, payload: unknown, trx: Trx, job: JobInfo): Promise<void> {
  if (!isPayload(payload)) return;
  const { type, id, publishAt } = payload;
  const row = type === 'news'
    ? await trx.selectFrom('news').select(['title', 'body_html', 'status', 'publish_at', 'published_at']).where('id', '=', id).executeTakeFirst()
    : await trx.selectFrom('pages').select(['title', 'body_html', 'status', 'publish_at', 'published_at', 'slug']).where('id', '=', id).executeTakeFirst();
  if (!row || row.status !== 'scheduled' || row.publish_at !== publishAt) return;
  const state: PublicationState = { status: 'published', publish_at: null, published_at: publishAt };
  const patch = { ...state, updated_at: new Date().toISOString() };
  if (type === 'news') await trx.updateTable('news').set(patch).where('id', '=', id).execute();
  else await trx.updateTable('pages').set(patch).where('id', '=', id).execute();
  const url = type === 'news' ? `/news/${id}` : `/pages/${(row as unknown as { slug: string }).slug}`;
  await syncPublication(trx, { type, id, title: row.title, bodyHtml: row.body_html, url, state }, row, null);
  // Cleared once the publication is committed, so no render can cache the page as it was.
  job.afterCommit(() => ctx.pageCache.invalidate());
}

registerJobHandler(PUBLISH_JOB, publishScheduled);
