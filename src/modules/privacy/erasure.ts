import type { Executor, Trx } from '../../db/database.js';
import { ConflictError } from '../../platform/errors.js';
import { removeDocument } from '../../platform/search/index.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { maskPhone } from '../../platform/validation.js';

/** What an erased account is called from then on (stored text; the same in every language). */
export const ERASED_LABEL = '已注销用户';
export const REDACTED_SMS = '[已删除]';

/**
 * Other capabilities that keep personal data about a person (opinions, comments…) register
 * a hook that anonymises it; hooks run inside the erasure transaction.
 */
export type ErasureHook = (trx: Trx, userId: number) => Promise<void>;
const hooks: ErasureHook[] = [];
export function registerErasureHook(hook: ErasureHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

/** Whether erasure needs an administrator's review: anyone who holds or held a position. */
export async function holdsPosition(db: Executor, userId: number): Promise<boolean> {
  const user = await db.selectFrom('users').select('is_admin').where('id', '=', userId).executeTakeFirst();
  const m = await db.selectFrom('memberships').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return Boolean(m) || user?.is_admin === 1;
}

/**
 * Erases a person's personal data, in the caller's transaction. The account row stays (other
 * records point at it) under a neutral label; the audit event records that it happened, not
 * what was erased.
 */
export async function eraseUser(trx: Trx, userId: number, o: { actorId: number; requestId?: number; endMemberships?: boolean }): Promise<void> {
  const user = await trx.selectFrom('users').select(['status']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.status === 'erased') throw new ConflictError();
  const now = new Date().toISOString();
  const phone = (await trx.selectFrom('user_pii').select('phone').where('user_id', '=', userId).executeTakeFirst())?.phone ?? null;
  await trx.deleteFrom('user_pii').where('user_id', '=', userId).execute();
  await trx.updateTable('users').set({
    display_name: ERASED_LABEL, username: null, password_hash: null, totp_secret: null, totp_enabled: 0,
    is_admin: 0, status: 'erased', erased_at: now, locale: null,
  }).where('id', '=', userId).execute();
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  await trx.deleteFrom('notifications').where('user_id', '=', userId).execute();
  if (phone) {
    await trx.deleteFrom('login_codes').where('phone', '=', phone).execute();
    // Unsent texts are not sent any more; sent ones keep only a masked number and no text.
    await trx.updateTable('sms_messages').set({ status: 'failed', error: 'recipient erased' })
      .where('phone', '=', phone).where('status', '=', 'queued').execute();
    await trx.updateTable('sms_messages').set({ text: REDACTED_SMS, phone: maskPhone(phone) }).where('phone', '=', phone).execute();
  }
  await trx.updateTable('member_profiles').set({
    gender: null, ethnicity: null, party: null, occupation: '', bio: '', is_public: 0, sort_name: '',
  }).where('user_id', '=', userId).execute();
  await removeDocument(trx, 'member', userId);
  if (o.endMemberships) {
    const today = now.slice(0, 10);
    await trx.updateTable('memberships').set({ ends_on: today }).where('user_id', '=', userId)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', today)])).execute();
  }
  for (const hook of hooks) await hook(trx, userId);
  await appendEvent(trx, {
    streamType: 'user', streamId: userId, action: 'privacy.erased', actorId: o.actorId,
    data: o.requestId ? { requestId: o.requestId } : { self: true },
  });
}
