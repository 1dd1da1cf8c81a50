import type { AppContext } from '../../../context.js';
import { transaction } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { scopeFor } from '../../../platform/body-scope.js';
import { NotFoundError, ValidationError } from '../../../platform/errors.js';
import { assertCan } from '../../../platform/permissions.js';
import { validate } from '../../../platform/validation.js';
import { removeOwnerAttachments } from '../attachments/service.js';
import { assertCanPublishFor, assertEditor } from '../shared/body-check.js';
import { renderMarkdown } from '../shared/markdown.js';
import { nextState, recordDeletion, syncPublication } from '../shared/publishing.js';
import { pageSpec } from './input.js';
import { type PageRow, findPage, publishedPageBySlug, slugTaken } from './queries.js';

export async function publicPage(ctx: AppContext, slug: string): Promise<PageRow> {
  const row = await publishedPageBySlug(ctx.database.db, slug);
  if (!row) throw new NotFoundError();
  return row;
}

export async function editablePage(ctx: AppContext, user: CurrentUser | null, id: number): Promise<PageRow> {
  const db = ctx.database.db;
  const row = await findPage(db, id);
  if (!row) throw new NotFoundError();
  assertCan(user, 'content.publish', await scopeFor(db, row.body_id));
  return row;
}

/** Creates (id null) or updates a page and moves it to the state the editor chose. */
export async function savePage(ctx: AppContext, user: CurrentUser | null, id: number | null, input: unknown): Promise<number> {
  await assertEditor(ctx.database.db, user);
  const db = ctx.database.db;
  const v = validate(pageSpec, input);
  const existing = id === null ? null : await editablePage(ctx, user, id);
  const actor = await assertCanPublishFor(db, user, v.body_id);
  if (await slugTaken(db, v.slug, existing?.id ?? null)) {
    throw new ValidationError([{ field: 'slug', message: (t) => t.contentAdmin.errSlugTaken }]);
  }
  const state = nextState(v.intent, existing, v.publish_at);
  const bodyHtml = renderMarkdown(v.body_md);
  const now = new Date().toISOString();
  const fields = { body_id: v.body_id, kind: v.kind, slug: v.slug, title: v.title, body_md: v.body_md, body_html: bodyHtml, sort: v.sort ?? 0, ...state, updated_at: now };
  const pageId = await transaction(ctx.database, async (trx) => {
    let rowId: number;
    if (existing) {
      await trx.updateTable('pages').set(fields).where('id', '=', existing.id).execute();
      rowId = existing.id;
    } else {
      const r = await trx.insertInto('pages').values({ ...fields, author_id: actor.id, created_at: now }).returning('id').executeTakeFirstOrThrow();
      rowId = r.id;
    }
    await syncPublication(trx, { type: 'page', id: rowId, title: v.title, bodyHtml, url: `/pages/${v.slug}`, state }, existing, actor.id);
    return rowId;
  });
  ctx.pageCache.invalidate();
  return pageId;
}

export async function unpublishPage(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const row = await editablePage(ctx, user, id);
  const actor = user as CurrentUser;
  const state = { status: 'draft' as const, publish_at: null, published_at: null };
  await transaction(ctx.database, async (trx) => {
    await trx.updateTable('pages').set({ ...state, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    await syncPublication(trx, { type: 'page', id, title: row.title, bodyHtml: row.body_html, url: `/pages/${row.slug}`, state }, row, actor.id);
  });
  ctx.pageCache.invalidate();
}

export async function deletePage(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const row = await editablePage(ctx, user, id);
  const actor = user as CurrentUser;
  const files = await transaction(ctx.database, async (trx) => {
    const keys = await removeOwnerAttachments(trx, 'page', id);
    await trx.deleteFrom('pages').where('id', '=', id).execute();
    await recordDeletion(trx, 'page', id, row.title, actor.id);
    return keys;
  });
  await files.unlinkAll(ctx);
  ctx.pageCache.invalidate();
}
