import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import { type Executor, type Trx, transaction } from '../../db/database.js';
import type { ActionItemsTable } from '../../db/schema.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { scopeFor } from '../../platform/body-scope.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { assertCan, can } from '../../platform/permissions.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { checkbox, text, validate } from '../../platform/validation.js';
import type { StoredFile } from '../opinions/files.js';
import { actionLink, inboxPeople, notifyPeople } from '../opinions/notices.js';

// One action-item model for every "someone must do something by a date": a department
// answering a forwarded opinion, later a consultation's recommendations. The source
// (the opinion…) hears of progress, answers and completion through a registered hook.

export type ActionItemRow = Selectable<ActionItemsTable>;
export type UpdateKind = 'progress' | 'answer' | 'done';

export interface ActionSource {
  /** Runs inside the transaction of the update, after it was recorded. */
  onUpdate(trx: Trx, item: ActionItemRow, kind: UpdateKind, text: string, actor: CurrentUser): Promise<void>;
  /** A link to the source for the department's page, e.g. the opinion's handler page. */
  link(item: ActionItemRow): string;
}

const sources = new Map<string, ActionSource>();
export function registerActionSource(type: string, source: ActionSource): void {
  sources.set(type, source);
}
export const sourceOf = (type: string): ActionSource | undefined => sources.get(type);

export interface NewActionItem {
  sourceType: string; sourceId: number; title: string; instructions: string; ownerBodyId: number;
  dueOn: string; assignedBy: number | null; assignedByBodyId: number | null;
}

/** Creates an item in the caller's transaction and tells the department. */
export async function createActionItem(trx: Executor, n: NewActionItem): Promise<number> {
  const dept = await trx.selectFrom('bodies').select('kind').where('id', '=', n.ownerBodyId).executeTakeFirst();
  if (dept?.kind !== 'department') throw new ValidationError([{ field: 'departmentId', message: (t) => t.opinions.errNotDepartment }]);
  const now = new Date().toISOString();
  const row = await trx.insertInto('action_items').values({
    source_type: n.sourceType, source_id: n.sourceId, title: n.title, instructions: n.instructions, owner_body_id: n.ownerBodyId,
    assigned_by: n.assignedBy, assigned_by_body_id: n.assignedByBodyId, due_on: n.dueOn, status: 'open', answer: null,
    answered_at: null, answered_by: null, done_at: null, reminded_at: null, escalated_at: null, created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await appendEvent(trx, {
    streamType: 'action_item', streamId: row.id, action: 'created', actorId: n.assignedBy,
    data: { sourceType: n.sourceType, sourceId: n.sourceId, ownerBodyId: n.ownerBodyId, dueOn: n.dueOn },
  });
  await notifyPeople(trx, await inboxPeople(trx, n.ownerBodyId), actionLink(row.id), (t) => t.opinions.nActionTitle, (t) => t.opinions.nActionBody(n.title, n.dueOn), ['site', 'sms']);
  return row.id;
}

export async function loadActionItem(db: Executor, id: number): Promise<ActionItemRow> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError();
  const row = await db.selectFrom('action_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** Whether the user answers for the item's department (or supervises the body that assigned it). */
export async function actionRights(db: Executor, user: CurrentUser | null, item: ActionItemRow): Promise<{ answer: boolean; supervise: boolean }> {
  if (!user) return { answer: false, supervise: false };
  const answer = can(user, 'action.answer', await scopeFor(db, item.owner_body_id));
  const supervise = item.assigned_by_body_id !== null && can(user, 'opinion.supervise', await scopeFor(db, item.assigned_by_body_id));
  return { answer, supervise };
}

const updateSpec = {
  text: text({ label: (t) => t.opinions.fAnswer, max: 5000, min: 2, multiline: true }),
  done: checkbox({ label: (t) => t.opinions.fProgress }),
};

/**
 * A department reports on an item: `progress` (a step on the way), `answer` (its answer to
 * the source, optionally marking it done at once) or `done` (completed, with the evidence).
 */
export async function updateActionItem(ctx: AppContext, user: CurrentUser | null, id: number, kind: UpdateKind, raw: unknown, evidence: StoredFile[] = []): Promise<void> {
  const v = validate(updateSpec, raw);
  await transaction(ctx.database, async (trx) => {
    const item = await loadActionItem(trx, id);
    assertCan(user, 'action.answer', await scopeFor(trx, item.owner_body_id));
    if (item.status === 'done') throw new ConflictError((t) => t.opinions.errActionNotOpen);
    const now = new Date().toISOString();
    const finalKind: UpdateKind = kind === 'answer' && v.done ? 'done' : kind;
    await trx.insertInto('action_item_updates').values({ action_item_id: id, kind, body: v.text, author_id: user.id, created_at: now }).execute();
    if (kind === 'answer' || finalKind === 'done') {
      await trx.updateTable('action_items').set({
        status: finalKind === 'done' ? 'done' : 'answered',
        ...(kind === 'answer' ? { answer: v.text, answered_at: now, answered_by: user.id } : {}),
        ...(finalKind === 'done' ? { done_at: now } : {}),
        updated_at: now,
      }).where('id', '=', id).execute();
    } else {
      await trx.updateTable('action_items').set({ updated_at: now }).where('id', '=', id).execute();
    }
    if (evidence.length) {
      await trx.insertInto('attachments').values(evidence.map((f) => ({
        owner_type: 'action_item', owner_id: id, filename: f.filename, mime: f.mime, size: f.size, sha256: f.sha256, storage_key: f.storageKey, created_by: user.id, created_at: now,
      }))).execute();
    }
    await appendEvent(trx, { streamType: 'action_item', streamId: id, action: kind, actorId: user.id, data: { done: finalKind === 'done', ...(evidence.length ? { attachments: evidence.map((f) => f.sha256) } : {}) } });
    const fresh = await loadActionItem(trx, id);
    const source = sourceOf(item.source_type);
    if (source) {
      await source.onUpdate(trx, fresh, kind, v.text, user);
      if (kind === 'answer' && finalKind === 'done') await source.onUpdate(trx, fresh, 'done', v.text, user);
    }
  });
  ctx.pageCache.invalidate();
}

export interface ActionItemUpdate { id: number; kind: UpdateKind; body: string; authorName: string | null; createdAt: string }

export async function actionItemUpdates(db: Executor, id: number): Promise<ActionItemUpdate[]> {
  const rows = await db.selectFrom('action_item_updates').leftJoin('users', 'users.id', 'action_item_updates.author_id')
    .select(['action_item_updates.id', 'action_item_updates.kind', 'action_item_updates.body', 'action_item_updates.created_at', 'users.display_name'])
    .where('action_item_id', '=', id).orderBy('action_item_updates.id').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, body: r.body, authorName: r.display_name, createdAt: r.created_at }));
}

/** Evidence a department attached (images, PDF), stored with owner_type 'action_item'. */
export async function actionItemEvidence(db: Executor, id: number): Promise<{ id: number; filename: string; mime: string; size: number; createdAt: string }[]> {
  const rows = await db.selectFrom('attachments').select(['id', 'filename', 'mime', 'size', 'created_at'])
    .where('owner_type', '=', 'action_item').where('owner_id', '=', id).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, filename: r.filename, mime: r.mime, size: r.size, createdAt: r.created_at }));
}
