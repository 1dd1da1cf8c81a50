import type { Executor } from '../../db/database.js';
import { preparedList } from '../../db/prepared-list.js';
import { preparedQuery } from '../../db/prepared.js';
import { type Notice, notify, notifyAll } from '../../platform/notify/notify.js';
import type { MembershipRole } from '../../db/schema.js';
import { type Catalog, type LocalText, catalogFor, isLocale } from '../../web/i18n/index.js';

// Everyone concerned hears of a change through the outbox (in the transaction of the change):
// the citizen in-site, by text message and by e-mail if they gave one; handlers in-site.

export const citizenLink = (trackingCode: string): string => `/opinions/track?code=${trackingCode}`;
export const handlerLink = (opinionId: number): string => `/handle/opinions/${opinionId}`;
export const actionLink = (actionItemId: number): string => `/handle/actions/${actionItemId}`;

const localesOf = preparedList(1, (db, ids: [userId: number][]) =>
  db.selectFrom('users').select(['id', 'locale', 'status']).where('id', 'in', ids.map((r) => r[0])));

const catalogOfRow = (r: { locale: string | null }) => catalogFor(isLocale(r.locale) ? r.locale : 'zh-CN');

async function catalogOf(db: Executor, userIds: number[]) {
  const rows = userIds.length ? await localesOf.execute(db, userIds.map((id) => [id])) : [];
  return new Map(rows.filter((r) => r.status === 'active').map((r) => [r.id, catalogOfRow(r)]));
}

/** What notifying a person needs: their language, whether active, their phone and e-mail (null without `user_pii`). */
export interface Addressee { locale: string | null; status: string; phone: string | null; email: string | null }

const addresseeRows = preparedList(1, (db, ids: [userId: number][]) => db.selectFrom('users')
  .leftJoin('user_pii', 'user_pii.user_id', 'users.id')
  .select(['users.id', 'users.locale', 'users.status', 'user_pii.phone', 'user_pii.email'])
  .where('users.id', 'in', ids.map((r) => r[0])));

/** These people's addressees, in one read. */
export async function addresseesOf(db: Executor, userIds: number[]): Promise<Map<number, Addressee>> {
  const rows = await addresseeRows.execute(db, userIds.map((id) => [id]));
  return new Map(rows.map((r) => [r.id, { locale: r.locale, status: r.status, phone: r.phone, email: r.email }]));
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
  const rows = await holders(knownKind ?? (await bodyKindOf(db, bodyId))).execute(db, bodyId);
  return [...new Set(rows.map((r) => r.user_id))].slice(0, 50);
}

const bodyKindOf = async (db: Executor, bodyId: number): Promise<string | undefined> =>
  (await db.selectFrom('bodies').select('kind').where('id', '=', bodyId).executeTakeFirst())?.kind;

const INBOX_ROLES = {
  studio: ['member', 'standing_member', 'staff', 'council_facilitator'],
  department: ['department_handler'],
  body: ['staff', 'council_facilitator'],
} as const satisfies Record<string, readonly MembershipRole[]>;
const inboxRoles = (kind: string | undefined) => (kind === 'member_studio' ? 'studio' : kind === 'department' ? 'department' : 'body');

// Through the (body, role, user) index; a person holding two of the roles appears once.
const holdersOf = (roles: readonly MembershipRole[]) => preparedQuery(1, (db, bodyId: number) => db.selectFrom('memberships').select('user_id')
  .where('body_id', '=', bodyId).where('role', 'in', [...roles]).limit(200));
const holderQueries = { studio: holdersOf(INBOX_ROLES.studio), department: holdersOf(INBOX_ROLES.department), body: holdersOf(INBOX_ROLES.body) };
const holders = (kind: string | undefined) => holderQueries[inboxRoles(kind)];
// The same rows with each person's language (every membership has its user).
const holdersWithLocaleOf = (roles: readonly MembershipRole[]) => preparedQuery(1, (db, bodyId: number) => db.selectFrom('memberships')
  .innerJoin('users', 'users.id', 'memberships.user_id').select(['memberships.user_id', 'users.locale', 'users.status'])
  .where('memberships.body_id', '=', bodyId).where('memberships.role', 'in', [...roles]).limit(200));
const withLocaleQueries = {
  studio: holdersWithLocaleOf(INBOX_ROLES.studio), department: holdersWithLocaleOf(INBOX_ROLES.department), body: holdersWithLocaleOf(INBOX_ROLES.body),
};
const holdersWithLocale = (kind: string | undefined) => withLocaleQueries[inboxRoles(kind)];

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
  /** The citizen's and a chosen member's addressees (addresseesOf), read by the caller. */
  addressees: ReadonlyMap<number, Addressee>;
}

/**
 * A new opinion's notices, as `notifyCitizen` and `notifyInbox` would send them, in one
 * pass: the inbox's people read with their languages (the citizen and a chosen member come
 * read by the caller), every in-site notice in one insert, the text messages (the
 * citizen's, a chosen member's) and their jobs in one insert each.
 */
export async function notifyNewOpinion(db: Executor, n: NewOpinionNotices): Promise<void> {
  const catalogs = new Map<number, Catalog>();
  for (const [id, a] of n.addressees) if (a.status === 'active') catalogs.set(id, catalogOfRow(a));
  let people: number[];
  if (n.handlerUserId) people = [n.handlerUserId];
  else {
    // The inbox's people with their languages, in one read.
    const rows = await holdersWithLocale(n.handlerBodyKind ?? (await bodyKindOf(db, n.handlerBodyId))).execute(db, n.handlerBodyId);
    for (const r of rows) if (r.status === 'active') catalogs.set(r.user_id, catalogOfRow(r));
    people = [...new Set(rows.map((r) => r.user_id))].slice(0, 50);
  }
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
  await notifyAll(db, notices, { contacts: n.addressees });
}
