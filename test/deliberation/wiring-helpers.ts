import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../../src/context.js';
import { hashToken, newToken } from '../../src/platform/auth/sessions.js';
import { makeBody, makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, postForm } from '../helpers/http.js';

// Shared by the deliberation wiring tests: people, an API token, and a deliberation made
// through the organisers' form.

export async function apiToken(ctx: AppContext, userId: number): Promise<string> {
  const token = `xs_${newToken()}`;
  await ctx.database.db.insertInto('api_tokens').values({ name: 'test', token_hash: hashToken(token), user_id: userId, created_by: null, created_at: new Date().toISOString(), last_used_at: null, revoked_at: null }).execute();
  return token;
}

export interface People { bodyId: number; staffId: number; staff: Jar; citizenId: number; citizen: Jar; otherId: number; other: Jar }

export async function people(app: FastifyInstance, ctx: AppContext): Promise<People> {
  const bodyId = await makeBody(ctx, { name: '县政协' });
  const staffId = await makeUser(ctx, { name: '工作人员', roles: [{ bodyId, role: 'staff' }] });
  const citizenId = await makeUser(ctx, { name: '群众甲' });
  const otherId = await makeUser(ctx, { name: '群众乙' });
  return {
    bodyId, staffId, citizenId, otherId,
    staff: await signedInJar(app, ctx, staffId), citizen: await signedInJar(app, ctx, citizenId), other: await signedInJar(app, ctx, otherId),
  };
}

/** Creates a deliberation through the form; returns its id. */
export async function createThroughForm(app: FastifyInstance, jar: Jar, fields: Record<string, string>): Promise<{ id: number; res: LightMyRequestResponse }> {
  const res = await postForm(app, '/deliberations', { moderation: 'strict', maxGroups: '5', description: '', seeds: '', ...fields }, jar);
  const m = /^\/deliberations\/(\d+)\/moderate/.exec(String(res.headers.location ?? ''));
  return { id: m ? Number(m[1]) : 0, res };
}

export async function statementIds(ctx: AppContext, deliberationId: number): Promise<number[]> {
  const rows = await ctx.database.db.selectFrom('deliberation_statements').select('id').where('deliberation_id', '=', deliberationId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

export async function json(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, body?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
}
