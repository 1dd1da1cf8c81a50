import { type Database, type Executor, sql } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { verifyPassword } from '../../platform/auth/passwords.js';
import { createSession, destroySession } from '../../platform/auth/sessions.js';
import { RateLimitedError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { getSiteSettings } from '../../platform/site-settings.js';
import { queueSms } from '../../platform/sms/queue.js';
import { maskPhone, phone, validate } from '../../platform/validation.js';
import type { Catalog } from '../../web/i18n/index.js';
import { password, signInName, sixDigits } from './credentials.js';
import { checkCode, issueCode } from './login-codes.js';
import { totpStep } from './totp.js';

const fieldError = (field: string, message: (t: Catalog) => string) => new ValidationError([{ field, message }]);

/** Validates the phone, applies the per-phone limits and texts a fresh code. Returns the phone. */
export async function requestCode(database: Database, secret: string, smsAdapter: string, input: unknown, t: Catalog): Promise<string> {
  const v = validate({ phone: phone({ label: (c) => c.account.phone }) }, input);
  const settings = await getSiteSettings(database.db);
  const result = await database.db.transaction().execute(async (trx) => {
    const issued = await issueCode(trx, secret, v.phone);
    if (issued.ok) await queueSms(trx, v.phone, t.account.smsText(settings.orgName || t.common.siteSuffix, issued.code), smsAdapter);
    return issued;
  });
  if (!result.ok) {
    throw new RateLimitedError(result.reason === 'too_soon' ? (c) => c.account.errCodeTooSoon : (c) => c.account.errCodeHourly);
  }
  return v.phone;
}

/**
 * Signs a citizen in with the code texted to their phone, creating their account on first
 * sign-in. Wrong guesses are recorded even though the sign-in fails.
 */
export async function signInWithCode(database: Database, secret: string, phoneNumber: string, input: unknown, oldToken: string | null): Promise<string> {
  const v = validate({ code: sixDigits({ label: (t) => t.account.code, message: (t) => t.account.errCodeFormat }) }, input);
  const outcome = await database.db.transaction().execute(async (trx) => {
    const checked = await checkCode(trx, secret, phoneNumber, v.code);
    if (!checked.ok) return { checked };
    const pii = await trx.selectFrom('user_pii').innerJoin('users', 'users.id', 'user_pii.user_id')
      .select(['users.id', 'users.status', 'users.password_hash']).where('user_pii.phone', '=', phoneNumber).executeTakeFirst();
    if (pii?.password_hash) return { refused: 'password' as const };
    if (pii && pii.status !== 'active') return { refused: 'disabled' as const };
    const userId = pii?.id ?? (await createCitizen(trx, phoneNumber));
    if (oldToken) await destroySession(trx, oldToken);
    return { token: await createSession(trx, userId) };
  });
  if ('token' in outcome && outcome.token) return outcome.token;
  if ('refused' in outcome) {
    throw fieldError('code', outcome.refused === 'password' ? (t) => t.account.errPasswordAccount : (t) => t.account.errAccountDisabled);
  }
  const c = outcome.checked;
  if (!c || c.ok) throw new Error('unreachable');
  if (c.reason === 'wrong') throw fieldError('code', (t) => t.account.errWrongCode(c.left));
  throw fieldError('code', c.reason === 'exhausted' ? (t) => t.account.errCodeExhausted : (t) => t.account.errCodeExpired);
}

/**
 * The citizen account of a verified phone number, created on first use (signing in, or
 * sending an opinion without signing in). Null when the number belongs to a staff account
 * (which signs in with a password) or a disabled one.
 */
export async function citizenForPhone(trx: Executor, phoneNumber: string): Promise<number | null> {
  const pii = await trx.selectFrom('user_pii').innerJoin('users', 'users.id', 'user_pii.user_id')
    .select(['users.id', 'users.status', 'users.password_hash']).where('user_pii.phone', '=', phoneNumber).executeTakeFirst();
  if (pii && (pii.password_hash || pii.status !== 'active')) return null;
  return pii?.id ?? createCitizen(trx, phoneNumber);
}

async function createCitizen(trx: Executor, phoneNumber: string): Promise<number> {
  const now = new Date().toISOString();
  const user = await trx.insertInto('users').values({
    display_name: maskPhone(phoneNumber), username: null, password_hash: null, totp_secret: null,
    is_admin: 0, locale: null, created_at: now, erased_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('user_pii').values({ user_id: user.id, phone: phoneNumber, real_name: null, id_number: null, email: null, updated_at: now }).execute();
  return user.id;
}

export const passwordSignInSpec = {
  username: signInName({ label: (t) => t.account.username }),
  password: password({ label: (t) => t.account.password, checkLength: false }),
};

/** Username and password; one generic message for every kind of wrong. TOTP users get a pending session. */
export async function signInWithPassword(database: Database, input: unknown, oldToken: string | null): Promise<{ token: string; mfaPending: boolean }> {
  const src = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  let v: { username: string; password: string } | null = null;
  try {
    v = validate(passwordSignInSpec, src);
  } catch (err) {
    if (!(err instanceof ValidationError) || !err.issues.every((i) => i.field === 'username' && src.username)) throw err;
  }
  const user = v ? await database.db.selectFrom('users').select(['id', 'password_hash', 'totp_enabled', 'status'])
    // Usernames are matched case-insensitively, whatever case they were stored in.
    .where(sql<string>`lower(username)`, '=', v.username).executeTakeFirst() : undefined;
  const valid = await verifyPassword(user?.status === 'active' ? user.password_hash : null, v?.password ?? '');
  if (!valid || !user) throw fieldError('username', (t) => t.account.errBadCredentials);
  return database.db.transaction().execute(async (trx) => {
    if (oldToken) await destroySession(trx, oldToken);
    const mfaPending = user.totp_enabled === 1;
    return { token: await createSession(trx, user.id, { mfaPending }), mfaPending };
  });
}

/** Checks the second factor of a pending session's user. */
export async function checkSecondFactor(db: Executor, userId: number, input: unknown): Promise<void> {
  const v = validate({ code: sixDigits({ label: (t) => t.account.totpCode, message: (t) => t.account.errCodeFormat }) }, input);
  const user = await db.selectFrom('users').select(['totp_secret', 'totp_enabled', 'status']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.status !== 'active') throw new UnauthenticatedError();
  const step = user.totp_enabled === 1 ? totpStep(user.totp_secret, v.code) : null;
  if (step === null) throw fieldError('code', (t) => t.account.errTotpWrong);
  // One use per code: the step is claimed atomically, so a replayed (or raced) code fails.
  const claimed = await db.updateTable('users').set({ totp_last_step: step }).where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)])).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw fieldError('code', (t) => t.account.errTotpWrong);
}

export function requireUser(user: CurrentUser | null): CurrentUser {
  if (!user) throw new UnauthenticatedError();
  return user;
}
