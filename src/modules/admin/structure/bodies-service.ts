import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import { BODY_KINDS, type BodyKind } from '../../../db/schema.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { NotFoundError, ValidationError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { choice, int, text, validate } from '../../../platform/validation.js';
import { guardConstraints, nowIso, requireAdmin } from '../access.js';

const spec = {
  kind: choice({ label: (t) => t.adminStructure.bodyKind, values: BODY_KINDS }),
  name: text({ label: (t) => t.adminStructure.name, max: 100 }),
  nameEn: text({ label: (t) => t.adminStructure.nameEn, max: 200, required: false }),
  parentId: int({ label: (t) => t.adminStructure.parentBody, min: 1, required: false }),
  regionId: int({ label: (t) => t.adminStructure.region, min: 1, required: false }),
  description: text({ label: (t) => t.adminStructure.description, max: 2000, multiline: true, required: false }),
  sort: int({ label: (t) => t.adminStructure.sort, min: 0, max: 9999, required: false }),
};

export interface BodyRow {
  id: number; parentId: number | null; kind: BodyKind; name: string; nameEn: string | null;
  regionId: number | null; description: string; sort: number; depth: number;
}

/** All bodies in tree order (a deployment has dozens). */
export async function listBodies(db: Executor, user: CurrentUser | null): Promise<BodyRow[]> {
  await requireAdmin(db, user, 'admin.structure');
  return bodyTree(db);
}

export async function bodyTree(db: Executor): Promise<BodyRow[]> {
  const rows = await db.selectFrom('bodies').select(['id', 'parent_id', 'kind', 'name', 'name_en', 'region_id', 'description', 'sort'])
    .orderBy('sort').orderBy('id').execute();
  const kids = new Map<number | null, typeof rows>();
  for (const r of rows) kids.set(r.parent_id, [...(kids.get(r.parent_id) ?? []), r]);
  const out: BodyRow[] = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const r of kids.get(parent) ?? []) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ id: r.id, parentId: r.parent_id, kind: r.kind, name: r.name, nameEn: r.name_en, regionId: r.region_id, description: r.description, sort: r.sort, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export async function getBody(db: Executor, user: CurrentUser | null, id: number): Promise<BodyRow> {
  await requireAdmin(db, user, 'admin.structure');
  const r = await db.selectFrom('bodies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError();
  return { id: r.id, parentId: r.parent_id, kind: r.kind, name: r.name, nameEn: r.name_en, regionId: r.region_id, description: r.description, sort: r.sort, depth: 0 };
}

async function checkRefs(db: Executor, v: { parentId: number | null; regionId: number | null }, selfId: number | null): Promise<void> {
  if (v.regionId !== null) {
    const r = await db.selectFrom('regions').select('id').where('id', '=', v.regionId).executeTakeFirst();
    if (!r) throw new ValidationError([{ field: 'regionId', message: (t) => t.adminStructure.errUnknownRegion }]);
  }
  if (v.parentId === null) return;
  const all = await db.selectFrom('bodies').select(['id', 'parent_id']).execute();
  const parent = new Map(all.map((b) => [b.id, b.parent_id]));
  if (!parent.has(v.parentId)) throw new ValidationError([{ field: 'parentId', message: (t) => t.adminStructure.errUnknownParent }]);
  // Walk up from the new parent: meeting this body means the move would make a loop.
  for (let cur: number | null | undefined = v.parentId, n = 0; cur != null && n <= all.length; cur = parent.get(cur), n++) {
    if (cur === selfId) throw new ValidationError([{ field: 'parentId', message: (t) => t.adminStructure.errParentLoop }]);
  }
}

export async function createBody(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const v = validate(spec, input);
  const id = await guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkRefs(trx, v, null);
    const row = await trx.insertInto('bodies').values({
      kind: v.kind, name: v.name, name_en: v.nameEn, parent_id: v.parentId, region_id: v.regionId,
      description: v.description ?? '', sort: v.sort ?? 0, created_at: nowIso(),
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'body', streamId: row.id, action: 'created', actorId: actor.id, data: { name: v.name, kind: v.kind, parentId: v.parentId } });
    return row.id;
  }));
  ctx.pageCache.invalidate();
  return id;
}

export async function updateBody(ctx: AppContext, user: CurrentUser | null, id: number, input: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const current = await getBody(db, actor, id);
  const v = validate(spec, input);
  await guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkRefs(trx, v, id);
    await trx.updateTable('bodies').set({
      kind: v.kind, name: v.name, name_en: v.nameEn, parent_id: v.parentId, region_id: v.regionId,
      description: v.description ?? '', sort: v.sort ?? 0,
    }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'body', streamId: id, action: 'updated', actorId: actor.id,
      data: { name: v.name, from: current.name, kind: v.kind, parentId: v.parentId } });
  }));
  ctx.pageCache.invalidate();
}
