import type { Database, Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { scopeFor } from '../../platform/body-scope.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { assertCan } from '../../platform/permissions.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { text, validate } from '../../platform/validation.js';
import { catalogFor } from '../../web/i18n/index.js';
import { eraseUser, holdsPosition } from './erasure.js';

/** The confirmation word in either language is accepted, whichever the page showed. */
const ERASE_WORDS = new Set([catalogFor('zh-CN').privacy.eraseWord, catalogFor('en').privacy.eraseWord.toLowerCase()]);

/** A citizen closes their own account: checked, then erased at once. */
export async function eraseSelf(database: Database, user: CurrentUser, input: unknown): Promise<void> {
  if (await holdsPosition(database.db, user.id)) throw new ForbiddenError();
  const v = validate({ confirm: text({ label: (t) => t.privacy.eraseConfirmLabel(t.privacy.eraseWord), max: 20 }) }, input);
  if (!ERASE_WORDS.has(v.confirm.toLowerCase())) {
    throw new ValidationError([{ field: 'confirm', message: (t) => t.privacy.errEraseWord(t.privacy.eraseWord) }]);
  }
  await database.db.transaction().execute((trx) => eraseUser(trx, user.id, { actorId: user.id }));
}

/** Someone with a position asks for erasure; an administrator decides. One pending request at a time. */
export async function fileErasureRequest(database: Database, user: CurrentUser, input: unknown): Promise<void> {
  const v = validate({ reason: text({ label: (t) => t.privacy.reasonLabel, max: 1000, multiline: true, required: false }) }, input);
  await database.db.transaction().execute(async (trx) => {
    const pending = await trx.selectFrom('data_requests').select('id')
      .where('user_id', '=', user.id).where('status', '=', 'pending').executeTakeFirst();
    if (pending) return;
    const row = await trx.insertInto('data_requests').values({
      user_id: user.id, kind: 'erasure', status: 'pending', reason: v.reason ?? '', created_at: new Date().toISOString(),
      handled_at: null, handled_by: null, note: null,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'data_request', streamId: row.id, action: 'privacy.requested', actorId: user.id });
  });
}

export async function myRequests(db: Executor, userId: number) {
  return db.selectFrom('data_requests').select(['id', 'status', 'reason', 'created_at', 'handled_at', 'note'])
    .where('user_id', '=', userId).orderBy('id', 'desc').limit(20).execute();
}

export const PAGE_SIZE = 20;

/** Requests for the administrators' queue, pending first, then the most recent. */
export async function listRequests(db: Executor, user: CurrentUser | null, page: number) {
  assertCan(user, 'privacy.handle', await scopeFor(db, null));
  const base = db.selectFrom('data_requests').innerJoin('users', 'users.id', 'data_requests.user_id');
  const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base.select(['data_requests.id', 'data_requests.user_id', 'users.display_name', 'data_requests.status',
    'data_requests.reason', 'data_requests.created_at', 'data_requests.handled_at', 'data_requests.note'])
    .orderBy((eb) => eb.case().when('data_requests.status', '=', 'pending').then(0).else(1).end())
    .orderBy('data_requests.id', 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
  return { rows, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Approves (erase now, end positions) or rejects (with a note the person sees) a pending request. */
export async function decideRequest(database: Database, user: CurrentUser | null, requestId: number, decision: 'approve' | 'reject', input: unknown): Promise<void> {
  assertCan(user, 'privacy.handle', await scopeFor(database.db, null));
  const note = decision === 'reject'
    ? validate({ note: text({ label: (t) => t.privacy.rejectNoteLabel, max: 1000, multiline: true }) }, input).note
    : null;
  await database.db.transaction().execute(async (trx) => {
    const req = await trx.selectFrom('data_requests').select(['id', 'user_id', 'status']).where('id', '=', requestId).executeTakeFirst();
    if (!req) throw new NotFoundError();
    if (req.user_id === user.id) throw new ForbiddenError((t) => t.privacy.errOwnRequest);
    const claimed = await trx.updateTable('data_requests')
      .set({ status: decision === 'approve' ? 'done' : 'rejected', handled_at: new Date().toISOString(), handled_by: user.id, note,
        ...(decision === 'approve' ? { reason: '' } : {}) })
      .where('id', '=', requestId).where('status', '=', 'pending').executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new ConflictError((t) => t.privacy.errAlreadyHandled);
    if (decision === 'approve') await eraseUser(trx, req.user_id, { actorId: user.id, requestId, endMemberships: true });
    await appendEvent(trx, { streamType: 'data_request', streamId: requestId, action: decision === 'approve' ? 'privacy.approved' : 'privacy.rejected', actorId: user.id });
  });
}
