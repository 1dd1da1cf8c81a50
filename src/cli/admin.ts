import { hashPassword } from '../platform/auth/passwords.js';
import { appendEvent } from '../platform/timeline/audit.js';
import { CliError, type Io, requireOption, withContext } from './common.js';
import { askHidden } from './prompt.js';

export const MIN_PASSWORD = 10;

async function readPassword(): Promise<string> {
  const fromEnv = process.env.XS_ADMIN_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new CliError('Set XS_ADMIN_PASSWORD, or run this command in a terminal to be asked for the password.');
  const first = await askHidden('Password: ');
  const second = await askHidden('Password again: ');
  if (first !== second) throw new CliError('The two passwords differ; nothing was created.');
  return first;
}

/** `create-admin --username U --name N`: an administrator who signs in with a password. */
export async function createAdmin(values: Record<string, unknown>, io: Io): Promise<void> {
  const username = requireOption(values, 'username');
  const name = requireOption(values, 'name');
  if (!/^[A-Za-z0-9._-]{2,50}$/.test(username)) throw new CliError('The username must be 2–50 letters, digits, dots, dashes or underscores.', 2);
  if (name.length > 100) throw new CliError('The name must be at most 100 characters.', 2);
  const password = await readPassword();
  if (password.length < MIN_PASSWORD) throw new CliError(`The password is too weak: use at least ${MIN_PASSWORD} characters. Nothing was created.`);
  const passwordHash = await hashPassword(password);
  const id = await withContext((ctx) => ctx.database.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    if (taken) throw new CliError(`The username "${username}" is taken; nothing was created.`);
    const user = await trx.insertInto('users').values({
      display_name: name, username, password_hash: passwordHash, totp_secret: null, is_admin: 1,
      locale: null, created_at: new Date().toISOString(), erased_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'user', streamId: user.id, action: 'admin.created', actorId: null, data: { username, via: 'cli' } });
    return user.id;
  }));
  io.out(`Created administrator ${username} (id ${id}).`);
}
