import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../../context.js';
import type { Executor } from '../../../db/database.js';
import type { CurrentUser } from '../../../platform/auth/current-user.js';
import { hashToken } from '../../../platform/auth/sessions.js';
import { BadRequestError, NotFoundError, ValidationError } from '../../../platform/errors.js';
import { appendEvent } from '../../../platform/timeline/audit.js';
import { int, text, validate } from '../../../platform/validation.js';
import { nowIso, requireAdmin } from '../access.js';

const spec = {
  name: text({ label: (t) => t.adminOps.tokenName, max: 100 }),
  userId: int({ label: (t) => t.adminOps.tokenUser, min: 1 }),
};

export interface TokenRow { id: number; name: string; userId: number; userName: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

export async function listTokens(db: Executor, user: CurrentUser | null, page: number, size = 50) {
  await requireAdmin(db, user, 'admin.tokens');
  const { n } = await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.user_id', 'users.display_name', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .orderBy('api_tokens.id', 'desc').limit(size).offset((page - 1) * size).execute();
  const list: TokenRow[] = rows.map((r) => ({ id: r.id, name: r.name, userId: r.user_id, userName: r.display_name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
  return { rows: list, total: Number(n), pages: Math.max(1, Math.ceil(Number(n) / size)) };
}

/**
 * Creates a token without a permission check: for the CLI and for `issueToken`, which checks.
 * Returns the token itself; only its SHA-256 is stored, so it can be shown this once only.
 */
export async function createApiToken(db: Executor, o: { userId: number; name: string; createdBy: number | null }): Promise<{ id: number; token: string }> {
  const token = `xs_${randomBytes(32).toString('base64url')}`;
  const run = async (trx: Executor) => {
    const row = await trx.insertInto('api_tokens').values({
      name: o.name, token_hash: hashToken(token), user_id: o.userId, created_by: o.createdBy, created_at: nowIso(), last_used_at: null, revoked_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await appendEvent(trx, { streamType: 'api_token', streamId: row.id, action: 'issued', actorId: o.createdBy, data: { userId: o.userId, name: o.name } });
    return { id: row.id, token };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export async function issueToken(ctx: AppContext, user: CurrentUser | null, input: unknown): Promise<{ id: number; token: string }> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.tokens');
  const v = validate(spec, input);
  const owner = await db.selectFrom('users').select(['id', 'status']).where('id', '=', v.userId).executeTakeFirst();
  if (!owner || owner.status !== 'active') throw new ValidationError([{ field: 'userId', message: (t) => t.adminOps.errTokenUser }]);
  return createApiToken(db, { userId: v.userId, name: v.name, createdBy: actor.id });
}

export async function revokeToken(ctx: AppContext, user: CurrentUser | null, id: number): Promise<void> {
  const db = ctx.database.db;
  const actor = await requireAdmin(db, user, 'admin.tokens');
  const row = await db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  if (row.revoked_at) throw new BadRequestError((t) => t.adminOps.errAlreadyRevoked);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('id', '=', id).execute();
    await appendEvent(trx, { streamType: 'api_token', streamId: id, action: 'revoked', actorId: actor.id });
  });
}
