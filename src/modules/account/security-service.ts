import type { Database } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import { hashToken } from '../../platform/auth/sessions.js';
import { ForbiddenError, ValidationError } from '../../platform/errors.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { validate } from '../../platform/validation.js';
import { password, sixDigits } from './credentials.js';
import { checkTotp, newTotpSecret } from './totp.js';

// Only password accounts (members, staff, handlers) have a password and a second factor;
// citizens sign in with a code texted to their phone.

async function passwordAccount(database: Database, user: CurrentUser) {
  const row = await database.db.selectFrom('users').select(['password_hash', 'totp_secret', 'totp_enabled'])
    .where('id', '=', user.id).executeTakeFirstOrThrow();
  if (!row.password_hash) throw new ForbiddenError();
  return row;
}

const changeSpec = {
  currentPassword: password({ label: (t) => t.account.currentPassword, checkLength: false }),
  newPassword: password({ label: (t) => t.account.newPassword }),
  newPasswordConfirm: password({ label: (t) => t.account.newPasswordConfirm, checkLength: false }),
};

/** Changes the password and signs the user out everywhere but this session. */
export async function changePassword(database: Database, user: CurrentUser, currentSession: string, input: unknown): Promise<void> {
  const row = await passwordAccount(database, user);
  const v = validate(changeSpec, input);
  if (v.newPassword !== v.newPasswordConfirm) {
    throw new ValidationError([{ field: 'newPasswordConfirm', message: (t) => t.account.errPasswordMismatch }]);
  }
  if (!(await verifyPassword(row.password_hash, v.currentPassword))) {
    throw new ValidationError([{ field: 'currentPassword', message: (t) => t.account.errCurrentPassword }]);
  }
  const hash = await hashPassword(v.newPassword);
  await database.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', hashToken(currentSession)).execute();
    await appendEvent(trx, { streamType: 'user', streamId: user.id, action: 'account.password_changed', actorId: user.id });
  });
}

/** Starts TOTP enrolment: a fresh secret, stored but not yet in force. Returns it. */
export async function startTotp(database: Database, user: CurrentUser): Promise<string> {
  const row = await passwordAccount(database, user);
  if (row.totp_enabled === 1) throw new ForbiddenError();
  const secret = newTotpSecret();
  await database.db.updateTable('users').set({ totp_secret: secret }).where('id', '=', user.id).where('totp_enabled', '=', 0).execute();
  return secret;
}

/** The secret of an enrolment in progress, or null. */
export async function pendingTotpSecret(database: Database, user: CurrentUser): Promise<string | null> {
  const row = await passwordAccount(database, user);
  return row.totp_enabled === 0 ? row.totp_secret : null;
}

const codeSpec = { code: sixDigits({ label: (t) => t.account.totpCode, message: (t) => t.account.errCodeFormat }) };

/** Puts TOTP in force once the user proves their app produces the right codes. */
export async function confirmTotp(database: Database, user: CurrentUser, input: unknown): Promise<void> {
  const row = await passwordAccount(database, user);
  if (row.totp_enabled === 1) return;
  if (!row.totp_secret) throw new ValidationError([{ field: 'code', message: (t) => t.account.errTotpNotStarted }]);
  const v = validate(codeSpec, input);
  if (!checkTotp(row.totp_secret, v.code)) throw new ValidationError([{ field: 'code', message: (t) => t.account.errTotpWrong }]);
  await database.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled: 1 }).where('id', '=', user.id).execute();
    await appendEvent(trx, { streamType: 'user', streamId: user.id, action: 'account.totp_enabled', actorId: user.id });
  });
}

/** Turns TOTP off; needs a valid current code, so a stolen session alone cannot do it. */
export async function disableTotp(database: Database, user: CurrentUser, input: unknown): Promise<void> {
  const row = await passwordAccount(database, user);
  if (row.totp_enabled !== 1) return;
  const v = validate(codeSpec, input);
  if (!checkTotp(row.totp_secret, v.code)) throw new ValidationError([{ field: 'code', message: (t) => t.account.errTotpWrong }]);
  await database.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_enabled: 0, totp_secret: null }).where('id', '=', user.id).execute();
    await appendEvent(trx, { streamType: 'user', streamId: user.id, action: 'account.totp_disabled', actorId: user.id });
  });
}
