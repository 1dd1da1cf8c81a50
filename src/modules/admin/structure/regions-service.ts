import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import type { RegionLevel } from '../../../db/schema.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { int, text, validate } from '../../../platform/validation.js';
import { guardConstraints, requireAdmin } from '../access.js';

// County → township/street → village/community. A region's level follows from its parent
// and never changes: moving keeps the level, so a township moves under another county only.
export const REGION_LEVELS: readonly RegionLevel[] = ['county', 'township', 'village'];
const childLevel = (l: RegionLevel | null): RegionLevel | null => (l === null ? 'county' : REGION_LEVELS[REGION_LEVELS.indexOf(l) + 1] ?? null);

const spec = {
  name: text({ label: (t) => t.adminStructure.name, max: 100 }),
  nameEn: text({ label: (t) => t.adminStructure.nameEn, max: 200, required: false }),
  code: text({ label: (t) => t.adminStructure.regionCode, max: 20, required: false, pattern: /^[0-9A-Za-z_-]+$/ }),
  parentId: int({ label: (t) => t.adminStructure.parentRegion, min: 1, required: false }),
};

export interface RegionRow { id: number; parentId: number | null; level: RegionLevel; name: string; nameEn: string | null; code: string | null; depth: number }

/** Every region in tree order (a county has hundreds at most, so one list is fine). */
export async function listRegions(db: Executor, user: CurrentUser | null): Promise<RegionRow[]> {
  await requireAdmin(db, user, 'admin.structure');
  return regionTree(db);
}

export async function regionTree(db: Executor): Promise<RegionRow[]> {
  const rows = await db.selectFrom('regions').select(['id', 'parent_id', 'level', 'name', 'name_en', 'code']).orderBy('sort').orderBy('id').execute();
  const kids = new Map<number | null, typeof rows>();
  for (const r of rows) kids.set(r.parent_id, [...(kids.get(r.parent_id) ?? []), r]);
  const out: RegionRow[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const r of kids.get(parent) ?? []) {
      if (out.some((o) => o.id === r.id)) continue;
      out.push({ id: r.id, parentId: r.parent_id, level: r.level, name: r.name, nameEn: r.name_en, code: r.code, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export async function getRegion(db: Executor, user: CurrentUser | null, id: number): Promise<RegionRow> {
  await requireAdmin(db, user, 'admin.structure');
  const r = await db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError();
  return { id: r.id, parentId: r.parent_id, level: r.level, name: r.name, nameEn: r.name_en, code: r.code, depth: 0 };
}

async function checkCode(db: Executor, code: string | null, selfId: number | null): Promise<void> {
  if (!code) return;
  const other = await db.selectFrom('regions').select('id').where('code', '=', code).executeTakeFirst();
  if (other && other.id !== selfId) throw new ValidationError([{ field: 'code', message: (t) => t.adminStructure.errCodeTaken }]);
}

async function parentLevel(db: Executor, parentId: number | null): Promise<RegionLevel | null> {
  if (parentId === null) return null;
  const p = await db.selectFrom('regions').select('level').where('id', '=', parentId).executeTakeFirst();
  if (!p) throw new ValidationError([{ field: 'parentId', message: (t) => t.adminStructure.errUnknownParent }]);
  return p.level;
}

export async function createRegion(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const v = validate(spec, input);
  const id = await guardConstraints(() => db.transaction().execute(async (trx) => {
    const level = childLevel(await parentLevel(trx, v.parentId));
    if (!level) throw new ValidationError([{ field: 'parentId', message: (t) => t.adminStructure.errVillageHasNoChildren }]);
    await checkCode(trx, v.code, null);
    const row = await trx.insertInto('regions').values({ parent_id: v.parentId, level, name: v.name, name_en: v.nameEn, code: v.code })
      .returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'region', streamId: row.id, action: 'created', actorId: actor.id, data: { name: v.name, level, parentId: v.parentId } });
    return row.id;
  }));
  ctx.pageCache.invalidate();
  return id;
}

/** Renames and/or moves a region; the new parent must sit one level above it. */
export async function updateRegion(ctx: AppContext, user: CurrentUser | null, id: number, input: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const current = await getRegion(db, actor, id);
  const v = validate(spec, input);
  await guardConstraints(() => db.transaction().execute(async (trx) => {
    if (v.parentId !== current.parentId) {
      const level = childLevel(await parentLevel(trx, v.parentId));
      if (level !== current.level) throw new ValidationError([{ field: 'parentId', message: (t) => t.adminStructure.errMoveLevel }]);
    }
    await checkCode(trx, v.code, id);
    await trx.updateTable('regions').set({ parent_id: v.parentId, name: v.name, name_en: v.nameEn, code: v.code }).where('id', '=', id).execute();
    const moved = v.parentId !== current.parentId;
    await appendEvent(trx, { streamType: 'region', streamId: id, action: moved ? 'moved' : 'updated', actorId: actor.id,
      data: { name: v.name, from: current.name, ...(moved ? { parentFrom: current.parentId, parentTo: v.parentId } : {}) } });
  }));
  ctx.pageCache.invalidate();
}

/** Deletes a region nobody refers to: no sub-regions, bodies, members or site setting. */
export async function deleteRegion(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const current = await getRegion(db, actor, id);
  const inUse = () => new ConflictError((t) => t.adminStructure.errRegionInUse);
  await guardConstraintsAs(inUse, () => db.transaction().execute(async (trx) => {
    const [child, body, member, root] = await Promise.all([
      trx.selectFrom('regions').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('bodies').select('id').where('region_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('member_profiles').select('user_id').where('region_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('settings').select('key').where('key', '=', 'root_region_id').where('value', '=', String(id)).executeTakeFirst(),
    ]);
    if (child || body || member || root) throw inUse();
    await appendEvent(trx, { streamType: 'region', streamId: id, action: 'deleted', actorId: actor.id, data: { name: current.name, level: current.level } });
    await trx.deleteFrom('regions').where('id', '=', id).execute();
  }));
  ctx.pageCache.invalidate();
}

/** Tables added later may refer to regions too: their foreign keys also mean "in use". */
async function guardConstraintsAs<T>(make: () => Error, fn: () => Promise<T>): Promise<T> {
  try {
    return await guardConstraints(fn);
  } catch (err) {
    if (err instanceof ConflictError) throw make();
    throw err;
  }
}
