import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';

export const SESSION_COOKIE = 'xs_sid';
export const SESSION_DAYS = 14;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Creates a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(db: Executor, userId: number, opts: { mfaPending?: boolean } = {}): Promise<string> {
  const token = newToken();
  const now = new Date();
  await db.insertInto('sessions').values({
    id: hashToken(token),
    user_id: userId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    mfa_pending: opts.mfaPending ? 1 : 0,
  }).execute();
  return token;
}

// Asked on every signed-in request: built once (db/prepared.ts).
const sessionById = preparedQuery(1, (db, id: string) => db.selectFrom('sessions').select(['user_id', 'expires_at', 'mfa_pending']).where('id', '=', id));
const tokenByHash = preparedQuery(1, (db, hash: string) => db.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at', 'last_used_at']).where('token_hash', '=', hash));

export async function findSession(db: Executor, token: string): Promise<{ userId: number; mfaPending: boolean } | null> {
  if (!token || token.length > 100) return null;
  const row = await sessionById.first(db, hashToken(token));
  if (!row || row.expires_at < new Date().toISOString()) return null;
  return { userId: row.user_id, mfaPending: row.mfa_pending === 1 };
}

export async function completeMfa(db: Executor, token: string): Promise<void> {
  await db.updateTable('sessions').set({ mfa_pending: 0 }).where('id', '=', hashToken(token)).execute();
}

export async function destroySession(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

export async function destroyUserSessions(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/**
 * Resolves a bearer API token to its user. `stale` says its last use is not recorded to the
 * minute: the caller records it (`touchApiToken`), off the request's path.
 */
export async function findApiToken(db: Executor, token: string): Promise<{ userId: number; tokenId: number; stale: boolean } | null> {
  if (!token.startsWith('xs_') || token.length > 100) return null;
  const row = await tokenByHash.first(db, hashToken(token));
  if (!row || row.revoked_at) return null;
  const stale = !row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000;
  return { userId: row.user_id, tokenId: row.id, stale };
}

/** Records that a token was used now (shown to administrators; kept to the minute). */
export async function touchApiToken(db: Executor, tokenId: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: new Date().toISOString() }).where('id', '=', tokenId).execute();
}
