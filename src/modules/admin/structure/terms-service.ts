import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { NotFoundError, ValidationError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { date, int, text, validate } from '../../../platform/validation.js';
import { guardConstraints, requireAdmin } from '../access.js';

const spec = {
  number: int({ label: (t) => t.adminStructure.termNumber, min: 1, max: 999 }),
  name: text({ label: (t) => t.adminStructure.name, max: 50 }),
  startsOn: date({ label: (t) => t.adminStructure.startsOn }),
  endsOn: date({ label: (t) => t.adminStructure.endsOn, required: false }),
};

export interface TermRow { id: number; number: number; name: string; startsOn: string; endsOn: string | null }

export async function listTerms(db: Executor, user: CurrentUser | null): Promise<TermRow[]> {
  await requireAdmin(db, user, 'admin.structure');
  return allTerms(db);
}

export async function allTerms(db: Executor): Promise<TermRow[]> {
  const rows = await db.selectFrom('terms').selectAll().orderBy('number', 'desc').execute();
  return rows.map((r) => ({ id: r.id, number: r.number, name: r.name, startsOn: r.starts_on, endsOn: r.ends_on }));
}

export async function getTerm(db: Executor, user: CurrentUser | null, id: number): Promise<TermRow> {
  await requireAdmin(db, user, 'admin.structure');
  const r = await db.selectFrom('terms').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new NotFoundError();
  return { id: r.id, number: r.number, name: r.name, startsOn: r.starts_on, endsOn: r.ends_on };
}

function parse(input: unknown) {
  const v = validate(spec, input);
  if (v.endsOn && v.endsOn < v.startsOn) throw new ValidationError([{ field: 'endsOn', message: (t) => t.adminStructure.errEndsBeforeStart }]);
  return v;
}

async function checkNumber(db: Executor, number: number, selfId: number | null): Promise<void> {
  const other = await db.selectFrom('terms').select('id').where('number', '=', number).executeTakeFirst();
  if (other && other.id !== selfId) throw new ValidationError([{ field: 'number', message: (t) => t.adminStructure.errTermNumberTaken }]);
}

export async function createTerm(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  const v = parse(input);
  const id = await guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkNumber(trx, v.number, null);
    const row = await trx.insertInto('terms').values({ number: v.number, name: v.name, starts_on: v.startsOn, ends_on: v.endsOn })
      .returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'term', streamId: row.id, action: 'created', actorId: actor.id, data: { number: v.number, name: v.name } });
    return row.id;
  }));
  ctx.pageCache.invalidate();
  return id;
}

export async function updateTerm(ctx: AppContext, user: CurrentUser | null, id: number, input: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.structure');
  await getTerm(db, actor, id);
  const v = parse(input);
  await guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkNumber(trx, v.number, id);
    await trx.updateTable('terms').set({ number: v.number, name: v.name, starts_on: v.startsOn, ends_on: v.endsOn }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'term', streamId: id, action: 'updated', actorId: actor.id, data: { number: v.number, name: v.name } });
  }));
  ctx.pageCache.invalidate();
}
