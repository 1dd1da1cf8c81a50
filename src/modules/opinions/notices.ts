import type { Executor } from '../../db/database.js';
import { notify } from '../../platform/notify/notify.js';
import { type LocalText, catalogFor, isLocale } from '../../web/i18n/index.js';

// Everyone concerned hears of a change through the outbox (in the transaction of the change):
// the citizen in-site, by text message and by e-mail if they gave one; handlers in-site.

export const citizenLink = (trackingCode: string): string => `/opinions/track?code=${trackingCode}`;
export const handlerLink = (opinionId: number): string => `/handle/opinions/${opinionId}`;
export const actionLink = (actionItemId: number): string => `/handle/actions/${actionItemId}`;

async function catalogOf(db: Executor, userIds: number[]) {
  const rows = userIds.length
    ? await db.selectFrom('users').select(['id', 'locale', 'status']).where('id', 'in', userIds).execute()
    : [];
  return new Map(rows.filter((r) => r.status === 'active').map((r) => [r.id, catalogFor(isLocale(r.locale) ? r.locale : 'zh-CN')]));
}

/** `trackingCode` saves reading it when the caller has it (a new opinion's). */
export async function notifyCitizen(db: Executor, citizenId: number | null, opinionId: number, title: LocalText, body: LocalText, trackingCode?: string): Promise<void> {
  if (citizenId === null) return;
  const code = trackingCode ?? (await db.selectFrom('opinions').select('tracking_code').where('id', '=', opinionId).executeTakeFirstOrThrow()).tracking_code;
  const t = (await catalogOf(db, [citizenId])).get(citizenId);
  if (!t) return;
  await notify(db, { userId: citizenId, kind: 'opinion', title: title(t), body: body(t), link: citizenLink(code), channels: ['site', 'sms', 'email'] });
}

/** The people who work a body's inbox: its staff and facilitators, or everyone on a member studio. */
export async function inboxPeople(db: Executor, bodyId: number): Promise<number[]> {
  const body = await db.selectFrom('bodies').select('kind').where('id', '=', bodyId).executeTakeFirst();
  const roles = body?.kind === 'member_studio'
    ? ['member', 'standing_member', 'staff', 'council_facilitator'] as const
    : body?.kind === 'department' ? ['department_handler'] as const : ['staff', 'council_facilitator'] as const;
  // Through the (body, role, user) index; a person holding two of the roles appears once.
  const rows = await db.selectFrom('memberships').select('user_id')
    .where('body_id', '=', bodyId).where('role', 'in', [...roles]).limit(200).execute();
  return [...new Set(rows.map((r) => r.user_id))].slice(0, 50);
}

/** Tells whoever now holds an opinion (a member, or the body's inbox people) in-site; a member also by text. */
export async function notifyInbox(db: Executor, bodyId: number, userId: number | null, opinionId: number, title: LocalText, body: LocalText): Promise<void> {
  const people = userId ? [userId] : await inboxPeople(db, bodyId);
  await notifyPeople(db, people, handlerLink(opinionId), title, body, userId ? ['site', 'sms'] : ['site']);
}

export async function notifyPeople(db: Executor, userIds: number[], link: string, title: LocalText, body: LocalText, channels: Array<'site' | 'sms' | 'email'> = ['site']): Promise<void> {
  const catalogs = await catalogOf(db, userIds);
  for (const [userId, t] of catalogs) {
    await notify(db, { userId, kind: 'opinion', title: title(t), body: body(t), link, channels });
  }
}
