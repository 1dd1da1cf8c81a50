import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { scopeFor } from '../../platform/body-scope.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import { type Action, assertCan } from '../../platform/permissions.js';

/** Organisation-wide admin actions: the grant must sit on a root body (see permissions.ts). */
export async function requireAdmin(db: Executor, user: CurrentUser | null, action: Action): Promise<CurrentUser> {
  assertCan(user, action, await scopeFor(db, null));
  return user;
}

/** A path or body id: a positive integer, or the thing does not exist (never a 500). */
export function parseId(raw: unknown): number {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 && raw < 2_147_483_647) return raw;
  if (typeof raw === 'string' && /^\d{1,9}$/.test(raw) && Number(raw) > 0) return Number(raw);
  throw new NotFoundError();
}

/** A page number from a query string: anything odd is page 1. */
export function parsePage(raw: unknown): number {
  return typeof raw === 'string' && /^\d{1,5}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1;
}

/** Unique and foreign-key violations (a race lost to another request) become 409, not 500. */
export function isConstraintError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === '23505' || code === '23503');
}

export async function guardConstraints<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isConstraintError(err)) throw new ConflictError();
    throw err;
  }
}

export const nowIso = (): string => new Date().toISOString();
