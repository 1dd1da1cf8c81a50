import { hashToken, newToken } from '../platform/auth/sessions.js';
import { appendEvent } from '../platform/timeline/audit.js';
import { CliError, type Io, requireOption, withContext } from './common.js';

/** `token issue --user U --name N`: prints a new API token once; only its hash is kept. */
export async function issueToken(values: Record<string, unknown>, io: Io): Promise<void> {
  const who = requireOption(values, 'user');
  const name = requireOption(values, 'name');
  if (name.length > 100) throw new CliError('The token name must be at most 100 characters.', 2);
  const token = `xs_${newToken(32)}`;
  const { id, username } = await withContext((ctx) => ctx.database.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['id', 'username', 'status']).where('username', '=', who).executeTakeFirst();
    if (!user || user.status !== 'active') throw new CliError(`No active user with the username "${who}".`);
    const row = await trx.insertInto('api_tokens').values({
      name, token_hash: hashToken(token), user_id: user.id, created_by: null,
      created_at: new Date().toISOString(), last_used_at: null, revoked_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'api_token', streamId: row.id, action: 'token.issued', actorId: null, data: { userId: user.id, name, via: 'cli' } });
    return { id: row.id, username: user.username };
  }));
  io.err(`Issued token ${id} "${name}" for ${username}. It is shown once; keep it secret:`);
  io.out(token);
}

/** `token revoke <id>` */
export async function revokeToken(positionals: string[], io: Io): Promise<void> {
  const raw = positionals[0];
  if (!raw || !/^\d{1,12}$/.test(raw)) throw new CliError('Usage: token revoke <id> (the id from "token list")', 2);
  const id = Number(raw);
  await withContext((ctx) => ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new CliError(`There is no token ${id}.`);
    if (row.revoked_at) throw new CliError(`Token ${id} was already revoked at ${row.revoked_at}.`);
    await trx.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'api_token', streamId: id, action: 'token.revoked', actorId: null, data: { via: 'cli' } });
  }));
  io.out(`Revoked token ${id}.`);
}

/** `token list`: every token, newest first, without secrets. */
export async function listTokens(io: Io): Promise<void> {
  const rows = await withContext((ctx) => ctx.database.db.selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.name', 'users.username', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .orderBy('api_tokens.id', 'desc').execute());
  if (rows.length === 0) {
    io.out('No API tokens.');
    return;
  }
  io.out(['id', 'name', 'user', 'created', 'last used', 'status'].join('\t'));
  for (const r of rows) {
    io.out([r.id, r.name, r.username ?? '', r.created_at, r.last_used_at ?? '-', r.revoked_at ? `revoked ${r.revoked_at}` : 'active'].join('\t'));
  }
}
