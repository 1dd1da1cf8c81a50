import { createHash, randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../context.js';
import { transaction } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { cleanText, date, text, validate } from '../../platform/validation.js';
import { detectFileType, extensionMatches } from '../content/attachments/file-types.js';
import { cleanFilename, megabytes } from '../content/attachments/service.js';
import { STREAM, canManageAny, holdingBodyIds, loadConsultation, managedConsultation, validId } from './access.js';

// Preparation: background materials (files checked by their real type, like attachments)
// and the field research that informs the consultation.

export interface MaterialUpload { title: unknown; isPublic: boolean; filename: string | null; data: Buffer | null }

const titleRule = text({ label: (t) => t.consultations.fMaterialTitle, max: 100, required: false });

export async function addMaterial(ctx: AppContext, user: CurrentUser | null, id: number, up: MaterialUpload): Promise<number> {
  const { user: actor } = await managedConsultation(ctx.database.db, user, id);
  const fileIssue = (message: ValidationError['issues'][number]['message']) => new ValidationError([{ field: 'file', message }]);
  const title = titleRule.parse(up.title);
  if (!title.ok) throw new ValidationError([{ field: 'materialTitle', message: title.message }]);
  if (!up.data || up.data.length === 0 || !up.filename) throw fileIssue((t) => t.contentAdmin.errNoFile);
  const max = ctx.config.uploadMaxBytes;
  if (up.data.length > max) throw fileIssue((t) => t.contentAdmin.errFileTooLarge(megabytes(max)));
  const filename = cleanFilename(up.filename);
  if (!filename) throw fileIssue((t) => t.contentAdmin.errFileName);
  const kind = detectFileType(up.data);
  if (!kind || !extensionMatches(filename, kind)) throw fileIssue((t) => t.contentAdmin.errFileType);
  const storageKey = randomBytes(18).toString('hex');
  const path = join(ctx.config.uploadsDir, storageKey);
  await writeFile(path, up.data, { flag: 'wx', mode: 0o640 });
  try {
    const mid = await transaction(ctx.database, async (trx) => {
      const row = await trx.insertInto('consultation_materials').values({
        consultation_id: id, title: title.value ?? filename, filename, mime: kind.mime, size: up.data?.length ?? 0,
        sha256: createHash('sha256').update(up.data as Buffer).digest('hex'), storage_key: storageKey, is_public: up.isPublic ? 1 : 0,
        created_by: actor.id, created_at: new Date().toISOString(),
      }).returning('id').executeTakeFirstOrThrow();
      await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'material_added', actorId: actor.id, data: { materialId: row.id, filename } });
      return row.id;
    });
    ctx.pageCache.invalidate();
    return mid;
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
}

export async function removeMaterial(ctx: AppContext, user: CurrentUser | null, id: number, materialId: number): Promise<void> {
  const { user: actor } = await managedConsultation(ctx.database.db, user, id);
  if (!validId(materialId)) throw new NotFoundError();
  const row = await ctx.database.db.selectFrom('consultation_materials').select(['storage_key', 'filename']).where('id', '=', materialId).where('consultation_id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  await transaction(ctx.database, async (trx) => {
    await trx.deleteFrom('consultation_materials').where('id', '=', materialId).execute();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'material_removed', actorId: actor.id, data: { materialId, filename: row.filename } });
  });
  await unlink(join(ctx.config.uploadsDir, row.storage_key)).catch(() => undefined);
  ctx.pageCache.invalidate();
}

/** A material the viewer may download: public on a public consultation, or the viewer manages it. */
export async function downloadableMaterial(ctx: AppContext, user: CurrentUser | null, id: number, materialId: number, filename: string) {
  const db = ctx.database.db;
  const c = await loadConsultation(db, id);
  if (!validId(materialId)) throw new NotFoundError();
  const row = await db.selectFrom('consultation_materials').selectAll().where('id', '=', materialId).where('consultation_id', '=', id).executeTakeFirst();
  if (!row || row.filename !== filename) throw new NotFoundError();
  const isPublic = c.is_public === 1 && row.is_public === 1;
  if (!isPublic && !(await canManageAny(db, user, [c.lead_body_id, ...(await holdingBodyIds(db, id))]))) throw new NotFoundError();
  return { ...row, path: join(ctx.config.uploadsDir, row.storage_key), isPublic };
}

const researchSpec = {
  researchTitle: text({ label: (t) => t.consultations.fResearchTitle, max: 100, min: 4 }),
  researchSummary: text({ label: (t) => t.consultations.fResearchSummary, max: 5000, min: 10, multiline: true }),
  researchPlace: text({ label: (t) => t.consultations.fResearchPlace, max: 100, required: false }),
  researchOn: date({ label: (t) => t.consultations.fResearchOn, required: false }),
};

/** Records field research (调研) done for the consultation, held by its lead body. */
export async function addResearch(ctx: AppContext, user: CurrentUser | null, id: number, raw: unknown): Promise<number> {
  const { c, user: actor } = await managedConsultation(ctx.database.db, user, id);
  const v = validate(researchSpec, raw);
  const rid = await transaction(ctx.database, async (trx) => {
    const now = new Date().toISOString();
    const row = await trx.insertInto('field_research').values({
      body_id: c.lead_body_id, title: v.researchTitle, summary: v.researchSummary, place: v.researchPlace, visited_on: v.researchOn,
      topic_id: c.topic_id, consultation_id: id, created_by: actor.id, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'research_added', actorId: actor.id, data: { researchId: row.id } });
    return row.id;
  });
  ctx.pageCache.invalidate();
  return rid;
}

export async function removeResearch(ctx: AppContext, user: CurrentUser | null, id: number, researchId: number): Promise<void> {
  const { user: actor } = await managedConsultation(ctx.database.db, user, id);
  if (!validId(researchId)) throw new NotFoundError();
  await transaction(ctx.database, async (trx) => {
    const res = await trx.deleteFrom('field_research').where('id', '=', researchId).where('consultation_id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new NotFoundError();
    await appendEvent(trx, { streamType: STREAM, streamId: id, action: 'research_removed', actorId: actor.id, data: { researchId } });
  });
  ctx.pageCache.invalidate();
}

interface Part { type?: string; value?: unknown; filename?: string; toBuffer?: () => Promise<Buffer> }

/** Fields of a multipart body (attachFieldsToBody): plain values, and the one file. */
export async function materialFromBody(body: unknown): Promise<MaterialUpload> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, Part | Part[] | undefined>;
  const one = (k: string): Part | undefined => { const v = b[k]; return Array.isArray(v) ? v[0] : v; };
  const value = (k: string): unknown => { const p = one(k); return p && typeof p === 'object' && 'value' in p ? p.value : p; };
  const file = one('file');
  const isFile = file?.type === 'file' && typeof file.toBuffer === 'function' && Boolean(file.filename);
  return {
    title: value('materialTitle'), isPublic: ['on', '1', 'true'].includes(String(cleanText(value('materialPublic')) ?? '')),
    filename: isFile ? (file?.filename as string) : null, data: isFile ? await (file?.toBuffer as () => Promise<Buffer>)() : null,
  };
}
