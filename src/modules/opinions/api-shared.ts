import type { FastifyRequest } from 'fastify';
import type { Executor } from '../../db/database.js';
import type { CurrentUser } from '../../platform/auth/current-user.js';
import { NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import type { OpinionRow } from './access.js';

// What the opinions API's three audiences (api-citizen, api-handler, api-department) share:
// JSON-schema fragments and the parsing of bodies, path ids and the caller.

export const str = { type: 'string' } as const;
export const nStr = { type: ['string', 'null'] } as const;
export const int = { type: 'integer' } as const;
export const nInt = { type: ['integer', 'null'] } as const;
export const bool = { type: 'boolean' } as const;
// Request bodies accept JSON numbers and booleans or their strings (the same rules as forms
// check them): anyOf keeps Ajv's strict mode happy; null first, so it is never coerced to 0.
export const intOrStr = (description: string) => ({ anyOf: [{ type: 'null' }, { type: 'integer' }, { type: 'string' }], description }) as const;
export const boolOrStr = (description: string) => ({ anyOf: [{ type: 'boolean' }, { type: 'string' }], description }) as const;
export const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
export const bearer = [{ bearer: [] }];
export const TAGS = ['opinions'];

export const timelineItem = obj({
  at: str, action: str, label: str, actor: nStr, text: nStr,
  detail: obj({
    to: nStr, department: nStr, dueOn: nStr, actionItemId: nInt, mergedCode: nStr,
    rating: { type: ['object', 'null'], properties: { handling: int, result: int } },
  }),
});

export const listMeta = { page: int, pages: int, total: int };

export const bodyOf = (req: FastifyRequest): Record<string, unknown> => {
  const b = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
};

/** A path id: digits only, else not found (never a query with a bad value). */
export function pathId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) <= 0) throw new NotFoundError();
  return Number(raw);
}

export function requireUser(req: FastifyRequest): CurrentUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

/** The opinion as it is now, after an action changed it. */
export async function reloadOpinion(db: Executor, id: number): Promise<OpinionRow> {
  const row = await db.selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}
