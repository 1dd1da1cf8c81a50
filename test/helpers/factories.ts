import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/context.js';
import type { BodyKind, MembershipRole } from '../../src/db/schema.js';
import { SESSION_COOKIE, createSession } from '../../src/platform/auth/sessions.js';
import { Jar } from './http.js';

const now = () => new Date().toISOString();
let seq = 0;

export async function makeBody(ctx: AppContext, o: { name?: string; kind?: BodyKind; parentId?: number | null } = {}): Promise<number> {
  const row = await ctx.database.db.insertInto('bodies').values({
    name: o.name ?? `机构${++seq}`, kind: o.kind ?? 'committee', parent_id: o.parentId ?? null, name_en: null, region_id: null, created_at: now(),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function makeUser(ctx: AppContext, o: { name?: string; isAdmin?: boolean; phone?: string; roles?: { bodyId: number; role: MembershipRole }[] } = {}): Promise<number> {
  const db = ctx.database.db;
  const user = await db.insertInto('users').values({
    display_name: o.name ?? `用户${++seq}`, username: null, password_hash: null, totp_secret: null,
    is_admin: o.isAdmin ? 1 : 0, locale: null, created_at: now(), erased_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  if (o.phone) await db.insertInto('user_pii').values({ user_id: user.id, phone: o.phone, real_name: null, id_number: null, email: null, updated_at: now() }).execute();
  for (const r of o.roles ?? []) {
    await db.insertInto('memberships').values({ user_id: user.id, body_id: r.bodyId, role: r.role, term_id: null, title: null, starts_on: null, ends_on: null, created_at: now() }).execute();
  }
  return user.id;
}

/** A cookie jar signed in as the user (a real session row, a signed cookie). */
export async function signedInJar(app: FastifyInstance, ctx: AppContext, userId: number): Promise<Jar> {
  const token = await createSession(ctx.database.db, userId);
  const jar = new Jar();
  jar.cookies.set(SESSION_COOKIE, encodeURIComponent(app.signCookie(token)));
  return jar;
}
