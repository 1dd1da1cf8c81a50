import type { Executor } from '../../../db/database.js';
import type { PublishStatus } from '../../../db/schema.js';
import { ValidationError } from '../../../platform/errors.js';
import { enqueueJob } from '../../../platform/jobs/enqueue.js';
import { indexDocument, removeDocument } from '../../../platform/search/index.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { htmlToText } from './markdown.js';

// News items and pages share one life cycle: draft → (scheduled →) published → draft.
// Publishing indexes the item for search and records an audit event in the same
// transaction; scheduling leaves a `content.publish` job that publishes it when due.

export type ContentType = 'news' | 'page';
export const INTENTS = ['draft', 'publish', 'schedule'] as const;
export type Intent = (typeof INTENTS)[number];
export const PUBLISH_JOB = 'content.publish';

export interface PublicationState { status: PublishStatus; publish_at: string | null; published_at: string | null }

/** The state an item moves to when the editor chooses `intent`; refuses a missing or past schedule time. */
export function nextState(intent: Intent, current: PublicationState | null, publishAt: string | null, now = new Date()): PublicationState {
  if (intent === 'publish') {
    const keep = current?.status === 'published' ? current.published_at : null;
    return { status: 'published', publish_at: null, published_at: keep ?? now.toISOString() };
  }
  if (intent === 'schedule') {
    if (!publishAt) throw new ValidationError([{ field: 'publish_at', message: (t) => t.contentAdmin.errPublishAtRequired }]);
    if (new Date(publishAt).getTime() <= now.getTime()) throw new ValidationError([{ field: 'publish_at', message: (t) => t.contentAdmin.errPublishAtPast }]);
    return { status: 'scheduled', publish_at: publishAt, published_at: null };
  }
  return { status: 'draft', publish_at: null, published_at: null };
}

export interface SyncItem {
  type: ContentType;
  id: number;
  title: string;
  bodyHtml: string;
  url: string;
  state: PublicationState;
}

/** Brings search, jobs and the audit trail in line with an item's new state, inside the caller's transaction. */
export async function syncPublication(trx: Executor, item: SyncItem, before: PublicationState | null, actorId: number | null): Promise<void> {
  const { state } = item;
  const data = { title: item.title, status: state.status, publishAt: state.publish_at, publishedAt: state.published_at };
  if (state.status === 'published') {
    await indexDocument(trx, { docType: item.type, docId: item.id, title: item.title, text: htmlToText(item.bodyHtml), url: item.url, publishedAt: state.published_at });
    await appendEvent(trx, { streamType: item.type, streamId: item.id, action: before?.status === 'published' ? 'update' : 'publish', actorId, data });
    return;
  }
  if (before?.status === 'published') {
    await removeDocument(trx, item.type, item.id);
    await appendEvent(trx, { streamType: item.type, streamId: item.id, action: 'unpublish', actorId, data });
  }
  if (state.status === 'scheduled' && state.publish_at) {
    await enqueueJob(trx, {
      kind: PUBLISH_JOB, payload: { type: item.type, id: item.id, publishAt: state.publish_at },
      runAt: new Date(state.publish_at), dedupeKey: `publish:${item.type}:${item.id}:${state.publish_at}`,
    });
    if (before?.status !== 'scheduled' || before.publish_at !== state.publish_at) {
      await appendEvent(trx, { streamType: item.type, streamId: item.id, action: 'schedule', actorId, data });
    }
  } else if (before?.status === 'scheduled') {
    await appendEvent(trx, { streamType: item.type, streamId: item.id, action: 'unschedule', actorId, data });
  } else if (!before) {
    await appendEvent(trx, { streamType: item.type, streamId: item.id, action: 'create', actorId, data });
  }
}

/** Removes a deleted item from search and records the deletion. */
export async function recordDeletion(trx: Executor, type: ContentType, id: number, title: string, actorId: number): Promise<void> {
  await removeDocument(trx, type, id);
  await appendEvent(trx, { streamType: type, streamId: id, action: 'delete', actorId, data: { title } });
}
