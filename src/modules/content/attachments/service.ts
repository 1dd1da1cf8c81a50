import { createHash, randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../../context.js';
import { type Executor, transaction } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { scopeFor } from '../../../platform/body-scope.js';
import { NotFoundError, ValidationError } from '../../../platform/errors.js';
import { assertCan, can } from '../../../platform/permissions.js';
import { cleanText } from '../../../platform/validation.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { detectFileType, extensionMatches } from './file-types.js';
import { type Owner, type OwnerType, findOwner } from './owners.js';

export interface Upload { filename: string; data: Buffer }

export const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0);

const fileIssue = (message: ValidationError['issues'][number]['message']) => new ValidationError([{ field: 'file', message }]);

/** A safe display name: the last path segment, readable, at most 120 characters. */
export function cleanFilename(raw: string): string | null {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const s = cleanText(base);
  if (!s || s.includes('\n') || s.startsWith('.')) return null;
  const chars = [...s];
  return chars.length > 120 ? chars.slice(chars.length - 120).join('') : s;
}

export async function editableOwner(ctx: AppContext, user: CurrentUser | null, type: OwnerType, id: number): Promise<Owner> {
  const owner = await findOwner(ctx.database.db, type, id);
  if (!owner) throw new NotFoundError();
  assertCan(user, 'content.publish', await scopeFor(ctx.database.db, owner.bodyId));
  return owner;
}

/** Stores an upload for a news item or page after checking its real type and size. */
export async function addAttachment(ctx: AppContext, user: CurrentUser | null, type: OwnerType, ownerId: number, upload: Upload | null): Promise<number> {
  await editableOwner(ctx, user, type, ownerId);
  const actor = user as CurrentUser;
  if (!upload || upload.data.length === 0) throw fileIssue((t) => t.contentAdmin.errNoFile);
  const max = ctx.config.uploadMaxBytes;
  if (upload.data.length > max) throw fileIssue((t) => t.contentAdmin.errFileTooLarge(megabytes(max)));
  const filename = cleanFilename(upload.filename);
  if (!filename) throw fileIssue((t) => t.contentAdmin.errFileName);
  const kind = detectFileType(upload.data);
  if (!kind || !extensionMatches(filename, kind)) throw fileIssue((t) => t.contentAdmin.errFileType);
  const storageKey = randomBytes(18).toString('hex');
  const path = join(ctx.config.uploadsDir, storageKey);
  const sha256 = createHash('sha256').update(upload.data).digest('hex');
  await writeFile(path, upload.data, { flag: 'wx', mode: 0o640 });
  try {
    const id = await transaction(ctx.database, async (trx) => {
      const row = await trx.insertInto('attachments').values({
        owner_type: type, owner_id: ownerId, filename, mime: kind.mime, size: upload.data.length, sha256,
        storage_key: storageKey, created_by: actor.id, created_at: new Date().toISOString(),
      }).returning('id').executeTakeFirstOrThrow();
      await appendEvent(trx, { streamType: type, streamId: ownerId, action: 'attach', actorId: actor.id, data: { attachmentId: row.id, filename, sha256 } });
      return row.id;
    });
    ctx.pageCache.invalidate();
    return id;
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
}

export async function deleteAttachment(ctx: AppContext, user: CurrentUser | null, id: number): Promise<Owner> {
  const db = ctx.database.db;
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  const owner = await editableOwner(ctx, user, row.owner_type as OwnerType, row.owner_id);
  await transaction(ctx.database, async (trx) => {
    await trx.deleteFrom('attachments').where('id', '=', id).execute();
    await appendEvent(trx, { streamType: owner.type, streamId: owner.id, action: 'detach', actorId: (user as CurrentUser).id, data: { attachmentId: id, filename: row.filename } });
  });
  await unlink(join(ctx.config.uploadsDir, row.storage_key)).catch(() => undefined);
  ctx.pageCache.invalidate();
  return owner;
}

/** An attachment the viewer may download: its item is public, or the viewer may edit it. */
export async function downloadableAttachment(ctx: AppContext, user: CurrentUser | null, id: number, filename: string) {
  const db = ctx.database.db;
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.filename !== filename) throw new NotFoundError();
  const owner = await findOwner(db, row.owner_type as OwnerType, row.owner_id);
  if (!owner) throw new NotFoundError();
  if (!owner.isPublic && !can(user, 'content.publish', await scopeFor(db, owner.bodyId))) throw new NotFoundError();
  return { ...row, path: join(ctx.config.uploadsDir, row.storage_key), isPublic: owner.isPublic };
}

export interface AttachmentItem { id: number; filename: string; mime: string; size: number; url: string }

export async function listAttachments(db: Executor, type: OwnerType, ownerId: number): Promise<AttachmentItem[]> {
  const rows = await db.selectFrom('attachments').select(['id', 'filename', 'mime', 'size'])
    .where('owner_type', '=', type).where('owner_id', '=', ownerId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, url: attachmentUrl(r.id, r.filename) }));
}

export const attachmentUrl = (id: number, filename: string): string => `/attachments/${id}/${encodeURIComponent(filename)}`;

/** Deletes an item's attachment rows in the caller's transaction; the files go once it committed. */
export async function removeOwnerAttachments(trx: Executor, type: OwnerType, ownerId: number): Promise<{ unlinkAll(ctx: AppContext): Promise<void> }> {
  const rows = await trx.selectFrom('attachments').select('storage_key').where('owner_type', '=', type).where('owner_id', '=', ownerId).execute();
  await trx.deleteFrom('attachments').where('owner_type', '=', type).where('owner_id', '=', ownerId).execute();
  return {
    async unlinkAll(ctx) {
      await Promise.all(rows.map((r) => unlink(join(ctx.config.uploadsDir, r.storage_key)).catch(() => undefined)));
    },
  };
}
