import { sql } from 'kysely';
import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import type { MembershipRole, UserStatus } from '../../../db/schema.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { hashPassword } from '../../../platform/auth/passwords.js';
import { destroyUserSessions } from '../../../platform/auth/sessions.js';
import { scopeFor } from '../../../platform/body-scope.js';
import { BadRequestError, NotFoundError, ValidationError } from '../../../platform/errors.js';
import { can } from '../../../platform/permissions.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { type Rule, cleanText, maskPhone, normalisePhone, text, validate } from '../../../platform/validation.js';
import { guardConstraints, nowIso, requireAdmin } from '../access.js';

export const PAGE_SIZE = 30;
const L = (k: 'username' | 'password' | 'displayName' | 'phone' | 'realName') => (t: Parameters<Parameters<typeof text>[0]['label']>[0]) => t.adminPeople[k];

const accountSpec = {
  displayName: text({ label: L('displayName'), max: 50 }),
  username: text({ label: L('username'), min: 3, max: 32, pattern: /^[A-Za-z0-9_.-]+$/, required: false }),
  phone: optionalPhone(),
  realName: text({ label: L('realName'), max: 50, required: false }),
};
/** A mainland mobile number, normalised, or nothing. */
function optionalPhone(): Rule<string | null> {
  return {
    label: L('phone'),
    parse(raw) {
      const s = cleanText(raw);
      if (s === undefined || s === '') return { ok: true, value: null };
      const p = s === null || s.length > 20 ? null : normalisePhone(s);
      return p ? { ok: true, value: p } : { ok: false, message: (t) => t.common.errInvalidPhone(t.adminPeople.phone) };
    },
  };
}
const passwordSpec = { password: text({ label: L('password'), min: 10, max: 200 }) };

export interface UserListRow { id: number; displayName: string; username: string | null; status: UserStatus; isAdmin: boolean; phone: string; roles: MembershipRole[] }

/** Whether the viewer sees phone numbers and real names unmasked. */
export async function seesPii(db: Executor, user: CurrentUser | null): Promise<boolean> {
  return can(user, 'pii.view', await scopeFor(db, null));
}

// LIKE with an explicit escape character behaves the same on both engines.
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listUsers(db: Executor, user: CurrentUser | null, o: { q?: unknown; page: number }) {
  await requireAdmin(db, user, 'admin.users');
  const q = cleanText(o.q);
  if (q === null || (q && [...q].length > 50)) throw new BadRequestError((t) => t.adminPeople.errSearch);
  let base = db.selectFrom('users').leftJoin('user_pii', 'user_pii.user_id', 'users.id').where('users.status', '!=', 'erased');
  if (q) {
    const like = `%${likeEscape(q)}%`;
    const cols = ['users.display_name', 'users.username', 'user_pii.phone', 'user_pii.real_name'];
    base = base.where(sql<boolean>`(${sql.join(cols.map((c) => sql`${sql.ref(c)} like ${like} escape '\\'`), sql` or `)})`);
  }
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(o.page, pages);
  const rows = await base.select(['users.id', 'users.display_name', 'users.username', 'users.status', 'users.is_admin', 'user_pii.phone'])
    .orderBy('users.id', 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
  const ids = rows.map((r) => r.id);
  const memberships = ids.length ? await db.selectFrom('memberships').select(['user_id', 'role']).where('user_id', 'in', ids).execute() : [];
  const showPii = await seesPii(db, user);
  const list: UserListRow[] = rows.map((r) => ({
    id: r.id, displayName: r.display_name, username: r.username, status: r.status, isAdmin: r.is_admin === 1,
    phone: showPii ? (r.phone ?? '') : maskPhone(r.phone),
    roles: [...new Set(memberships.filter((m) => m.user_id === r.id).map((m) => m.role))],
  }));
  return { rows: list, total, page, pages, q: q ?? '' };
}

export async function getAccount(db: Executor, user: CurrentUser | null, id: number) {
  await requireAdmin(db, user, 'admin.users');
  const u = await db.selectFrom('users').leftJoin('user_pii', 'user_pii.user_id', 'users.id')
    .select(['users.id', 'users.display_name', 'users.username', 'users.status', 'users.is_admin', 'users.created_at', 'users.password_hash', 'user_pii.phone', 'user_pii.real_name'])
    .where('users.id', '=', id).executeTakeFirst();
  if (!u || u.status === 'erased') throw new NotFoundError();
  const showPii = await seesPii(db, user);
  return {
    id: u.id, displayName: u.display_name, username: u.username, status: u.status, isAdmin: u.is_admin === 1, createdAt: u.created_at,
    hasPassword: u.password_hash !== null, phone: showPii ? (u.phone ?? '') : maskPhone(u.phone), realName: showPii ? (u.real_name ?? '') : u.real_name ? '***' : '',
    piiVisible: showPii,
  };
}

function parseAccount(input: unknown) {
  return validate(accountSpec, input);
}

async function checkUnique(db: Executor, v: { username: string | null; phone: string | null }, selfId: number | null): Promise<void> {
  const issues: ValidationError['issues'] = [];
  if (v.username) {
    const o = await db.selectFrom('users').select('id').where('username', '=', v.username).executeTakeFirst();
    if (o && o.id !== selfId) issues.push({ field: 'username', message: (t) => t.adminPeople.errUsernameTaken });
  }
  if (v.phone) {
    const o = await db.selectFrom('user_pii').select('user_id').where('phone', '=', v.phone).executeTakeFirst();
    if (o && o.user_id !== selfId) issues.push({ field: 'phone', message: (t) => t.adminPeople.errPhoneTaken });
  }
  if (issues.length) throw new ValidationError(issues);
}

/** An account for a member, staff member or department handler, with an initial password. */
export async function createAccount(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<number> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  const issues: ValidationError['issues'] = [];
  let v: ReturnType<typeof parseAccount> | null = null;
  let pw: { password: string } | null = null;
  try { v = parseAccount(input); } catch (e) { if (e instanceof ValidationError) issues.push(...e.issues); else throw e; }
  try { pw = validate(passwordSpec, input); } catch (e) { if (e instanceof ValidationError) issues.push(...e.issues); else throw e; }
  if (!v?.username && !issues.some((i) => i.field === 'username')) issues.push({ field: 'username', message: (t) => t.common.errRequired(t.adminPeople.username) });
  if (issues.length || !v || !pw) throw new ValidationError(issues);
  const account = v;
  const hash = await hashPassword(pw.password);
  return guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkUnique(trx, account, null);
    const row = await trx.insertInto('users').values({
      display_name: account.displayName, username: account.username, password_hash: hash, totp_secret: null, locale: null, created_at: nowIso(), erased_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('user_pii').values({ user_id: row.id, phone: account.phone, real_name: account.realName, id_number: null, email: null, updated_at: nowIso() }).execute();
    await appendEvent(trx, { streamType: 'user', streamId: row.id, action: 'created', actorId: actor.id, data: { username: account.username } });
    return row.id;
  }));
}

export async function updateAccount(ctx: AppContext, user: CurrentUser | null, id: number, input: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  const current = await getAccount(db, actor, id);
  const v = parseAccount(input);
  await guardConstraints(() => db.transaction().execute(async (trx) => {
    await checkUnique(trx, v, id);
    await trx.updateTable('users').set({ display_name: v.displayName, username: v.username ?? current.username }).where('id', '=', id).execute();
    await trx.insertInto('user_pii').values({ user_id: id, phone: v.phone, real_name: v.realName, id_number: null, email: null, updated_at: nowIso() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ phone: v.phone, real_name: v.realName, updated_at: nowIso() })).execute();
    await appendEvent(trx, { streamType: 'user', streamId: id, action: 'account_updated', actorId: actor.id, data: { username: v.username ?? current.username } });
  }));
  ctx.pageCache.invalidate();
}

/** Sets a new password and signs the person out everywhere. */
export async function resetPassword(ctx: AppContext, user: CurrentUser | null, id: number, input: unknown): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  await getAccount(db, actor, id);
  const v = validate(passwordSpec, input);
  const hash = await hashPassword(v.password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
    await destroyUserSessions(trx, id);
    await appendEvent(trx, { streamType: 'user', streamId: id, action: 'password_reset', actorId: actor.id });
  });
}

export async function setUserStatus(ctx: AppContext, user: CurrentUser | null, id: number, status: 'active' | 'disabled'): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.users');
  await getAccount(db, actor, id);
  if (id === actor.id && status === 'disabled') throw new BadRequestError((t) => t.adminPeople.errDisableSelf);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ status }).where('id', '=', id).execute();
    if (status === 'disabled') {
      await destroyUserSessions(trx, id);
      await trx.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    }
    await appendEvent(trx, { streamType: 'user', streamId: id, action: status === 'disabled' ? 'disabled' : 'enabled', actorId: actor.id });
  });
  ctx.pageCache.invalidate();
}
