import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { NotFoundError, ValidationError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { int, text, validate } from '../../../platform/validation.js';
import { guardConstraints, requireAdmin } from '../access.js';

const spec = {
  name: text({ label: (t) => t.adminStructure.name, max: 50 }),
  nameEn: text({ label: (t) => t.adminStructure.nameEn, max: 100, required: false }),
  sort: int({ label: (t) => t.adminStructure.sort, min: 0, max: 9999, required: false }),
};

export interface SectorRow { id: number; name: string; nameEn: string | null; sort: number }

export async function listSectors(db: Executor, user: CurrentUser | null): Promise<SectorRow[]> {
  await requireAdmin(db, user, 'admin.structure');
  const rows = await db.selectFrom('sectors').selectAll().orderBy('sort').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, sort: r.sort }));
}

export async function getSector(db: Executor, user: CurrentUser | null, id: number): Promise<SectorRow> {
  await requireAdmin(db, user, 'admin.structure');
  const r = await db.selectFrom('sectors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError();
  return { id: r.id, name: r.name, nameEn: r.name_en, sort: r.sort };
}

async function checkName(db: Executor, name: string, selfId: number | null): Promise<void> {
  const other = await db.selectFrom('sectors').select('id').where('name', '=', name).executeTakeFirst();
  if (other && other.id !== selfId) throw new ValidationError([{ field: 'name', message: (t) => t.adminStructure.errNameTaken }]);
}

export async function createSector(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const v = validate(spec, input);
  const id = await guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkName(trx, v.name, null);
    const row = await trx.insertInto('sectors').values({ name: v.name, name_en: v.nameEn, sort: v.sort ?? 0 }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'sector', streamId: row.id, action: 'created', actorId: actor.id, data: { name: v.name } });
    return row.id;
  }));
  ctx.pageCache.invalidate();
  return id;
}

export async function updateSector(ctx: AppContext, user: CurrentUser | null, id: number, input: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const current = await getSector(db, actor, id);
  const v = validate(spec, input);
  await guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkName(trx, v.name, id);
    await trx.updateTable('sectors').set({ name: v.name, name_en: v.nameEn, sort: v.sort ?? 0 }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'sector', streamId: id, action: 'updated', actorId: actor.id, data: { name: v.name, from: current.name } });
  }));
  ctx.pageCache.invalidate();
}
