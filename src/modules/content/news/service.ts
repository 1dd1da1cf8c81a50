import type { AppContext } from '../../../context.js';
import { transaction } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { scopeFor } from '../../../platform/body-scope.js';
import { NotFoundError } from '../../../platform/errors.js';
import { assertCan } from '../../../platform/permissions.js';
import { validate } from '../../../platform/validation.js';
import { removeOwnerAttachments } from '../attachments/service.js';
import { assertCanPublishFor, assertEditor } from '../shared/body-check.js';
import { excerpt, htmlToText, renderMarkdown } from '../shared/markdown.js';
import { nextState, recordDeletion, syncPublication } from '../shared/publishing.js';
import { newsSpec } from './input.js';
import { type NewsRow, findNews, isPublicNews } from './queries.js';

/** A news item as the public sees it: unknown, unpublished and future items do not exist. */
export async function publicNews(ctx: AppContext, id: number): Promise<NewsRow> {
  const row = await findNews(ctx.database.db, id);
  if (!row || !isPublicNews(row)) throw new NotFoundError();
  return row;
}

/** A news item for its editor: only someone who may publish for its body sees it. */
export async function editableNews(ctx: AppContext, user: CurrentUser | null, id: number): Promise<NewsRow> {
  const db = ctx.database.db;
  const row = await findNews(db, id);
  if (!row) throw new NotFoundError();
  assertCan(user, 'content.publish', await scopeFor(db, row.body_id));
  return row;
}

/**
 * Creates (id null) or updates a news item and moves it to the state the editor chose:
 * draft, published now, or scheduled. Returns the item's id.
 */
export async function saveNews(ctx: AppContext, user: CurrentUser | null, id: number | null, input: unknown): Promise<number> {
  await assertEditor(ctx.database.db, user);
  const v = validate(newsSpec, input);
  const existing = id === null ? null : await editableNews(ctx, user, id);
  const actor = await assertCanPublishFor(ctx.database.db, user, v.body_id);
  const state = nextState(v.intent, existing, v.publish_at);
  const bodyHtml = renderMarkdown(v.body_md);
  const summary = v.summary ?? excerpt(htmlToText(bodyHtml), 120);
  const now = new Date().toISOString();
  const fields = { body_id: v.body_id, kind: v.kind, title: v.title, summary, body_md: v.body_md, body_html: bodyHtml, ...state, updated_at: now };
  const newsId = await transaction(ctx.database, async (trx) => {
    let rowId: number;
    if (existing) {
      await trx.updateTable('news').set(fields).where('id', '=', existing.id).execute();
      rowId = existing.id;
    } else {
      const r = await trx.insertInto('news').values({ ...fields, author_id: actor.id, created_at: now }).returning('id').executeTakeFirstOrThrow();
      rowId = r.id;
    }
    await syncPublication(trx, { type: 'news', id: rowId, title: v.title, bodyHtml, url: `/news/${rowId}`, state }, existing, actor.id);
    return rowId;
  });
  ctx.pageCache.invalidate();
  return newsId;
}

/** Takes a published or scheduled item back to draft. */
export async function unpublishNews(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const row = await editableNews(ctx, user, id);
  const actor = user as CurrentUser;
  const state = { status: 'draft' as const, publish_at: null, published_at: null };
  await transaction(ctx.database, async (trx) => {
    await trx.updateTable('news').set({ ...state, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    await syncPublication(trx, { type: 'news', id, title: row.title, bodyHtml: row.body_html, url: `/news/${id}`, state }, row, actor.id);
  });
  ctx.pageCache.invalidate();
}

export async function deleteNews(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const row = await editableNews(ctx, user, id);
  const actor = user as CurrentUser;
  const files = await transaction(ctx.database, async (trx) => {
    const keys = await removeOwnerAttachments(trx, 'news', id);
    await trx.deleteFrom('news').where('id', '=', id).execute();
    await recordDeletion(trx, 'news', id, row.title, actor.id);
    return keys;
  });
  await files.unlinkAll(ctx);
  ctx.pageCache.invalidate();
}
