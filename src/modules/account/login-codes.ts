import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { isPostgres } from '../../platform/timeline/audit.js';

// One-time sign-in codes for citizens. Only an HMAC of the code is stored; the limits are
// counted from the login_codes table itself, so they hold across several app processes.

export const CODE_TTL_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 5;
export const MIN_INTERVAL_MS = 60_000;
export const MAX_PER_HOUR = 5;
const PURPOSE = 'sign_in';
/** Names this module's advisory locks on PostgreSQL (a per-phone lock within it). */
const LOCK_NAMESPACE = 7_142_002;

export const hashCode = (secret: string, phone: string, code: string): string =>
  createHmac('sha256', secret).update(`${phone}:${code}`).digest('hex');

export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export type IssueResult = { ok: true; code: string } | { ok: false; reason: 'too_soon' | 'hourly' };

/**
 * Checks the per-phone limits and records a new code, in the caller's transaction (which
 * also queues the text message). Concurrent requests for one phone are serialised.
 */
export async function issueCode(trx: Executor, secret: string, phone: string, now = new Date()): Promise<IssueResult> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock(${sql.lit(LOCK_NAMESPACE)}, hashtext(${phone}))`.execute(trx);
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const recent = await trx.selectFrom('login_codes').select('created_at')
    .where('phone', '=', phone).where('purpose', '=', PURPOSE).where('created_at', '>', hourAgo)
    .orderBy('created_at', 'desc').execute();
  const latest = recent[0];
  if (latest && now.getTime() - Date.parse(latest.created_at) < MIN_INTERVAL_MS) return { ok: false, reason: 'too_soon' };
  if (recent.length >= MAX_PER_HOUR) return { ok: false, reason: 'hourly' };
  // Codes older than a day count for nothing; the phone's own are cleared as it asks again.
  await trx.deleteFrom('login_codes').where('phone', '=', phone)
    .where('created_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
  const code = newCode();
  await trx.insertInto('login_codes').values({
    phone, purpose: PURPOSE, code_hash: hashCode(secret, phone, code), attempts: 0,
    created_at: now.toISOString(), expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(), used_at: null,
  }).execute();
  return { ok: true, code };
}

export type CheckResult = { ok: true } | { ok: false; reason: 'expired' | 'exhausted' } | { ok: false; reason: 'wrong'; left: number };

/**
 * Checks a typed code against the phone's newest code. A wrong guess is counted; the
 * right one is spent (single use, even against a concurrent request).
 */
export async function checkCode(trx: Executor, secret: string, phone: string, code: string, now = new Date()): Promise<CheckResult> {
  const row = await trx.selectFrom('login_codes').select(['id', 'code_hash', 'attempts', 'expires_at', 'used_at'])
    .where('phone', '=', phone).where('purpose', '=', PURPOSE)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
  if (row.attempts >= MAX_ATTEMPTS) return { ok: false, reason: 'exhausted' };
  const given = Buffer.from(hashCode(secret, phone, code), 'hex');
  if (!timingSafeEqual(given, Buffer.from(row.code_hash, 'hex'))) {
    const res = await trx.updateTable('login_codes').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id).where('attempts', '<', MAX_ATTEMPTS).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return { ok: false, reason: 'exhausted' };
    const left = MAX_ATTEMPTS - row.attempts - 1;
    return left > 0 ? { ok: false, reason: 'wrong', left } : { ok: false, reason: 'exhausted' };
  }
  const spent = await trx.updateTable('login_codes').set({ used_at: now.toISOString() })
    .where('id', '=', row.id).where('used_at', 'is', null).where('attempts', '<', MAX_ATTEMPTS).executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1 ? { ok: true } : { ok: false, reason: 'expired' };
}
