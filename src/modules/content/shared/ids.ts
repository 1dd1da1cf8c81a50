import { NotFoundError } from '../../../platform/errors.js';

/** A path id: digits only and within integer range, otherwise the thing does not exist. */
export function pathId(raw: string | undefined): number {
  if (!raw || !/^\d{1,10}$/.test(raw)) throw new NotFoundError();
  const n = Number(raw);
  if (n < 1 || n > 2_147_483_647) throw new NotFoundError();
  return n;
}

export const SLUG = /^[a-z0-9-]{1,60}$/;

export function pathSlug(raw: string | undefined): string {
  if (!raw || !SLUG.test(raw)) throw new NotFoundError();
  return raw;
}
