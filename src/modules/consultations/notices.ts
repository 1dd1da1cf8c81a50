import type { Executor } from '../../db/database.js';
import { type Channel, notify } from '../../platform/notify/notify.js';
import { type LocalText, catalogFor, isLocale } from '../../web/i18n/index.js';

/** Tells people about a consultation, each in their own language, through the outbox (the caller's transaction). */
export async function notifyUsers(db: Executor, userIds: number[], link: string, title: LocalText, body: LocalText, channels: Channel[] = ['site']): Promise<void> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  const rows = await db.selectFrom('users').select(['id', 'locale']).where('id', 'in', ids).where('status', '=', 'active').execute();
  for (const r of rows) {
    const t = catalogFor(isLocale(r.locale) ? r.locale : 'zh-CN');
    await notify(db, { userId: r.id, kind: 'consultation', title: title(t), body: body(t), link, channels });
  }
}

/** The people who run a body's consultations: its staff and council facilitators. */
export async function organisers(db: Executor, bodyId: number): Promise<number[]> {
  const rows = await db.selectFrom('memberships').select('user_id').distinct()
    .where('body_id', '=', bodyId).where('role', 'in', ['staff', 'council_facilitator']).limit(50).execute();
  return rows.map((r) => r.user_id);
}
