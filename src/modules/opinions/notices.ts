import type { Executor } from '../../db/database.js';
import { preparedList } from '../../db/prepared-list.js';
import { preparedQuery } from '../../db/prepared.js';
import { type Contact, type Notice, notify, notifyAll } from '../../platform/notify/notify.js';
import type { MembershipRole } from '../../db/schema.js';
import { type LocalText, catalogFor, isLocale } from '../../web/i18n/index.js';

// Everyone concerned hears of a change through the outbox (in the transaction of the change):
// the citizen in-site, by text message and by e-mail if they gave one; handlers in-site.

export const citizenLink = (trackingCode: string): string => `/opinions/track?code=${trackingCode}`;
export const handlerLink = (opinionId: number): string => `/handle/opinions/${opinionId}`;
export const actionLink = (actionItemId: number): string => `/handle/actions/${actionItemId}`;

const localesOf = preparedList(1, (db, ids: [userId: number][]) =>
  db.selectFrom('users').select(['id', 'locale', 'status']).where('id', 'in', ids.map((r) => r[0])));

async function catalogOf(db: Executor, userIds: number[]) {
  const rows = userIds.length ? await localesOf.execute(db, userIds.map((id) => [id])) : [];
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

/**
 * The people who work a body's inbox: its staff and facilitators, or everyone on a member
 * studio. `knownKind` saves reading the body's kind when the caller has just read it.
 */
export async function inboxPeople(db: Executor, bodyId: number, knownKind?: string): Promise<number[]> {
  const kind = knownKind ?? (await db.selectFrom('bodies').select('kind').where('id', '=', bodyId).executeTakeFirst())?.kind;
  const people = kind === 'member_studio' ? studioPeople : kind === 'department' ? departmentPeople : bodyPeople;
  const rows = await people.execute(db, bodyId);
  return [...new Set(rows.map((r) => r.user_id))].slice(0, 50);
}

// Through the (body, role, user) index; a person holding two of the roles appears once.
const holdersOf = (roles: readonly MembershipRole[]) => preparedQuery(1, (db, bodyId: number) => db.selectFrom('memberships').select('user_id')
  .where('body_id', '=', bodyId).where('role', 'in', [...roles]).limit(200));
const studioPeople = holdersOf(['member', 'standing_member', 'staff', 'council_facilitator']);
const departmentPeople = holdersOf(['department_handler']);
const bodyPeople = holdersOf(['staff', 'council_facilitator']);

/** Tells whoever now holds an opinion (a member, or the body's inbox people) in-site; a member also by text. */
export async function notifyInbox(db: Executor, bodyId: number, userId: number | null, opinionId: number, title: LocalText, body: LocalText): Promise<void> {
  const people = userId ? [userId] : await inboxPeople(db, bodyId);
  await notifyPeople(db, people, handlerLink(opinionId), title, body, userId ? ['site', 'sms'] : ['site']);
}

export async function notifyPeople(db: Executor, userIds: number[], link: string, title: LocalText, body: LocalText, channels: Array<'site' | 'sms' | 'email'> = ['site']): Promise<void> {
  const catalogs = await catalogOf(db, userIds);
  await notifyAll(db, [...catalogs].map(([userId, t]) => ({ userId, kind: 'opinion', title: title(t), body: body(t), link, channels })));
}

export interface NewOpinionNotices {
  citizenId: number;
  opinionId: number;
  trackingCode: string;
  handlerBodyId: number;
  /** The handling body's kind when the caller has read it. */
  handlerBodyKind?: string | null;
  handlerUserId: number | null;
  citizen: { title: LocalText; body: LocalText };
  inbox: { title: LocalText; body: LocalText };
  /** Phones and e-mail addresses the caller has read (the citizen's, a chosen member's). */
  contacts?: ReadonlyMap<number, Contact>;
}

/**
 * A new opinion's notices, as `notifyCitizen` and `notifyInbox` would send them, in one
 * pass: the people's languages in one read, every in-site notice in one insert, the text
 * messages (the citizen's, a chosen member's) and their jobs in one insert each.
 */
export async function notifyNewOpinion(db: Executor, n: NewOpinionNotices): Promise<void> {
  const people = n.handlerUserId ? [n.handlerUserId] : await inboxPeople(db, n.handlerBodyId, n.handlerBodyKind ?? undefined);
  const catalogs = await catalogOf(db, [n.citizenId, ...people]);
  const notices: Notice[] = [];
  const ct = catalogs.get(n.citizenId);
  if (ct) {
    notices.push({ userId: n.citizenId, kind: 'opinion', title: n.citizen.title(ct), body: n.citizen.body(ct), link: citizenLink(n.trackingCode), channels: ['site', 'sms', 'email'] });
  }
  const link = handlerLink(n.opinionId);
  for (const userId of people) {
    const t = catalogs.get(userId);
    if (t) notices.push({ userId, kind: 'opinion', title: n.inbox.title(t), body: n.inbox.body(t), link, channels: n.handlerUserId ? ['site', 'sms'] : ['site'] });
  }
  await notifyAll(db, notices, n.contacts ? { contacts: n.contacts } : {});
}
