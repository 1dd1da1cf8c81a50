import type { Executor } from '../../../db/database.js';
import type { BodyOption } from '../shared/editable-bodies.js';

/** Every body, in display order (the table is small: dozens of rows). */
export async function allBodies(db: Executor): Promise<BodyOption[]> {
  const rows = await db.selectFrom('bodies').select(['id', 'name', 'name_en', 'kind']).orderBy('sort').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, kind: r.kind }));
}

export async function findBody(db: Executor, id: number) {
  return db.selectFrom('bodies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function childBodies(db: Executor, id: number) {
  return db.selectFrom('bodies').select(['id', 'name', 'name_en', 'kind']).where('parent_id', '=', id).orderBy('sort').orderBy('id').execute();
}
