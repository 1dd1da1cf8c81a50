import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import { type CurrentUser, USER_COLUMNS, type UserRow, currentUserFrom } from './current-user.js';

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

// Asked on every signed-in request: built once (db/prepared.ts), each with the person and their
// memberships joined (current-user.ts), one round trip in all.
const sessionById = preparedQuery(1, (db, id: string) => db.selectFrom('sessions as x').innerJoin('users as u', 'u.id', 'x.user_id')
  .leftJoin('memberships as m', 'm.user_id', 'u.id').select(['x.user_id', 'x.expires_at', 'x.mfa_pending', ...USER_COLUMNS]).where('x.id', '=', id));
const tokenByHash = preparedQuery(1, (db, hash: string) => db.selectFrom('api_tokens as x').innerJoin('users as u', 'u.id', 'x.user_id')
  .leftJoin('memberships as m', 'm.user_id', 'u.id').select(['x.id as token_id', 'x.user_id', 'x.revoked_at', 'x.last_used_at', ...USER_COLUMNS]).where('x.token_hash', '=', hash));

/** A session's person (`user`: null unless active). */
export async function findSession(db: Executor, token: string): Promise<{ userId: number; mfaPending: boolean; user: CurrentUser | null } | null> {
  if (!token || token.length > 100) return null;
  const rows: UserRow[] & Array<{ expires_at: string; mfa_pending: number; user_id: number }> = await sessionById.execute(db, hashToken(token));
  const row = rows[0];
  if (!row || row.expires_at < new Date().toISOString()) return null;
  return { userId: row.user_id, mfaPending: row.mfa_pending === 1, user: currentUserFrom(rows) };
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
export async function findApiToken(db: Executor, token: string): Promise<{ userId: number; tokenId: number; stale: boolean; user: CurrentUser | null } | null> {
  if (!token.startsWith('xs_') || token.length > 100) return null;
  const rows: UserRow[] & Array<{ token_id: number; user_id: number; revoked_at: string | null; last_used_at: string | null }> = await tokenByHash.execute(db, hashToken(token));
  const row = rows[0];
  if (!row || row.revoked_at) return null;
  const stale = !row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000;
  return { userId: row.user_id, tokenId: row.token_id, stale, user: currentUserFrom(rows) };
}

/** Records that a token was used now (shown to administrators; kept to the minute). */
export async function touchApiToken(db: Executor, tokenId: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: new Date().toISOString() }).where('id', '=', tokenId).execute();
}
